import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';

// ../shared beside the project root (CI lays a copy there), else the workplace's copy.
const BESIDE = fileURLToPath(new URL('../../../shared/reference/graph-v1.0-metadata.csdl.xml', import.meta.url));

/** Path of the official Graph v1.0 CSDL used as the source of truth (the sandbox also serves it as /$metadata). */
export const CSDL_PATH = process.env.GRAPH_CSDL ?? (existsSync(BESIDE) ? BESIDE : '/work/shared/reference/graph-v1.0-metadata.csdl.xml');

/** A property as the CSDL declares it. */
export interface CsdlProperty { type: string; collection: boolean; nullable: boolean; nav: boolean }
/** An entity or complex type with its own (not inherited) properties. */
export interface CsdlType { name: string; kind: 'entity' | 'complex'; base?: string; abstract: boolean; props: Map<string, CsdlProperty> }
/** A bound action's parameters (request body of e.g. assignLicense). */
export interface CsdlAction { name: string; binding: string; params: Map<string, CsdlProperty> }

/** The parsed schema: types by full name, enums, actions. */
export interface CsdlSchema {
  types: Map<string, CsdlType>;
  enums: Map<string, Set<string>>;
  actions: CsdlAction[];
}

type Node = Record<string, unknown>;
const arr = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

function parseType(t: string, aliases: Map<string, string>): { type: string; collection: boolean } {
  const m = /^Collection\((.+)\)$/.exec(t);
  const inner = m ? m[1]! : t;
  const dot = inner.lastIndexOf('.');
  const ns = inner.slice(0, dot);
  const full = aliases.has(ns) ? `${aliases.get(ns)}.${inner.slice(dot + 1)}` : inner;
  return { type: full, collection: !!m };
}

let cached: CsdlSchema | undefined;

/** Parse the CSDL once per process. */
export function loadCsdl(path = CSDL_PATH): CsdlSchema {
  if (cached) return cached;
  const xml = readFileSync(path, 'utf8');
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['Schema', 'EntityType', 'ComplexType', 'EnumType', 'Property', 'NavigationProperty', 'Member', 'Action', 'Parameter'].includes(name) });
  const doc = parser.parse(xml) as Node;
  const schemas = arr(((doc['edmx:Edmx'] as Node)['edmx:DataServices'] as Node).Schema as Node[]);
  const aliases = new Map<string, string>();
  for (const s of schemas) {
    aliases.set(String(s['@Namespace']), String(s['@Namespace']));
    if (s['@Alias']) aliases.set(String(s['@Alias']), String(s['@Namespace']));
  }
  const types = new Map<string, CsdlType>();
  const enums = new Map<string, Set<string>>();
  const actions: CsdlAction[] = [];
  const prop = (p: Node, nav: boolean): [string, CsdlProperty] => {
    const { type, collection } = parseType(String(p['@Type']), aliases);
    return [String(p['@Name']), { type, collection, nullable: p['@Nullable'] !== 'false', nav }];
  };
  for (const s of schemas) {
    const ns = String(s['@Namespace']);
    for (const [kind, list] of [['entity', s.EntityType], ['complex', s.ComplexType]] as const) {
      for (const t of arr(list as Node[])) {
        const props = new Map<string, CsdlProperty>([...arr(t.Property as Node[]).map((p) => prop(p, false)), ...arr(t.NavigationProperty as Node[]).map((p) => prop(p, true))]);
        types.set(`${ns}.${String(t['@Name'])}`, {
          name: `${ns}.${String(t['@Name'])}`, kind, abstract: t['@Abstract'] === 'true', props,
          base: t['@BaseType'] ? parseType(String(t['@BaseType']), aliases).type : undefined,
        });
      }
    }
    for (const e of arr(s.EnumType as Node[])) enums.set(`${ns}.${String(e['@Name'])}`, new Set(arr(e.Member as Node[]).map((m) => String(m['@Name']))));
    for (const a of arr(s.Action as Node[])) {
      const params = arr(a.Parameter as Node[]).map((p) => prop(p, false));
      const binding = params.find(([n]) => n === 'bindingParameter')?.[1].type ?? '';
      actions.push({ name: String(a['@Name']), binding, params: new Map(params.filter(([n]) => n !== 'bindingParameter')) });
    }
  }
  cached = { types, enums, actions };
  return cached;
}

/** All properties of a type including inherited ones. */
export function allProperties(schema: CsdlSchema, typeName: string): Map<string, CsdlProperty> {
  const out = new Map<string, CsdlProperty>();
  for (let t = schema.types.get(typeName); t; t = t.base ? schema.types.get(t.base) : undefined) {
    for (const [k, v] of t.props) if (!out.has(k)) out.set(k, v);
  }
  return out;
}

/** Whether `derived` is `base` or inherits from it. */
export function derivesFrom(schema: CsdlSchema, derived: string, base: string): boolean {
  for (let t = schema.types.get(derived); t; t = t.base ? schema.types.get(t.base) : undefined) if (t.name === base) return true;
  return false;
}
