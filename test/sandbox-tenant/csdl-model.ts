// The sandbox's view of the official v1.0 CSDL: property names as Graph matches them (case-insensitively),
// request values checked against the declared types with the OData texts Graph answers, and the
// non-nullable collections every object of a type carries.
import { allProperties, loadCsdl, type CsdlProperty } from '../csdl/csdl-schema';
import { GraphFail } from './graph-core';

const G = 'microsoft.graph.';
const byLower = new Map<string, Map<string, [string, CsdlProperty]>>();

/** Every property (own and inherited) of a type keyed by lower-case name → [canonical name, property]. */
export function propertiesOf(type: string): Map<string, [string, CsdlProperty]> {
  const full = type.startsWith(G) ? type : `${G}${type}`;
  let m = byLower.get(full);
  if (!m) {
    m = new Map([...allProperties(loadCsdl(), full)].map(([k, v]) => [k.toLowerCase(), [k, v] as [string, CsdlProperty]]));
    byLower.set(full, m);
  }
  return m;
}

// Collections of directoryObjects (memberOf, members) hold users, groups, roles…: names of any of them apply.
const DIRECTORY_OBJECT_TYPES = ['directoryObject', 'user', 'group', 'servicePrincipal', 'directoryRole', 'application', 'orgContact', 'device'];

/** The canonical spelling of a property, or undefined when the type has none by that name. */
export function canonicalProperty(type: string, name: string): [string, CsdlProperty] | undefined {
  const bare = type.replace(G, '');
  if (bare === 'directoryObject') {
    for (const t of DIRECTORY_OBJECT_TYPES) { const p = propertiesOf(t).get(name.toLowerCase()); if (p) return p; }
    return undefined;
  }
  return propertiesOf(type).get(name.toLowerCase());
}

/** OData's text when a property name in a query is not on the type. */
export function noSuchProperty(type: string, name: string): GraphFail {
  return new GraphFail(400, 'BadRequest', `Could not find a property named '${name}' on type '${type.startsWith(G) ? type : G + type}'.`);
}

/** `[]` for each non-nullable collection of the type (Graph never returns them null or absent). */
export function emptyCollections(type: string): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [name, p] of propertiesOf(type).values()) if (p.collection && !p.nullable && !p.nav) out[name] = [];
  return out;
}

const EDM_NUMBER = new Set(['Edm.Int32', 'Edm.Int64', 'Edm.Int16', 'Edm.Byte', 'Edm.Double', 'Edm.Single', 'Edm.Decimal']);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// How .NET's OData reader prints the literal it could not convert (booleans as True/False).
function literal(v: unknown): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

const convertFail = (v: unknown, type: string) => new GraphFail(400, 'Request_BadRequest', `Cannot convert the literal '${literal(v)}' to the expected type '${type}'.`);

function checkPrimitive(v: unknown, type: string): void {
  if (v === null) return;
  const ok = type === 'Edm.String' ? typeof v === 'string'
    : type === 'Edm.Boolean' ? typeof v === 'boolean'
      : EDM_NUMBER.has(type) ? typeof v === 'number' && (type.startsWith('Edm.Int') || type === 'Edm.Byte' ? Number.isInteger(v) : true)
        : type === 'Edm.Guid' ? typeof v === 'string' && GUID.test(v)
          : type === 'Edm.DateTimeOffset' ? typeof v === 'string' && !Number.isNaN(Date.parse(v))
            : typeof v === 'string';
  if (!ok) throw convertFail(v, type);
}

function checkValue(v: unknown, p: CsdlProperty, name: string): void {
  if (p.collection) {
    // [unconfirmed] OData reader text for a scalar where a collection belongs.
    if (v !== null && !Array.isArray(v)) {
      throw new GraphFail(400, 'Request_BadRequest', `A node of type 'PrimitiveValue' was read from the JSON reader when trying to read the contents of the property '${name}'; however, a 'StartArray' node was expected.`);
    }
    for (const x of (v as unknown[] | null) ?? []) checkItem(x, p.type);
    return;
  }
  if (Array.isArray(v)) {
    // [unconfirmed] OData reader text for an array where a single value belongs.
    throw new GraphFail(400, 'Request_BadRequest', `A node of type 'StartArray' was read from the JSON reader when trying to read a value of a property; however, a 'PrimitiveValue' or 'StartObject' node was expected.`);
  }
  checkItem(v, p.type);
}

function checkItem(v: unknown, type: string): void {
  if (type.startsWith('Edm.')) return checkPrimitive(v, type);
  const schema = loadCsdl();
  const en = schema.enums.get(type);
  if (en) {
    if (v !== null && (typeof v !== 'string' || !v.split(',').every((m) => en.has(m.trim())))) throw convertFail(v, type);
    return;
  }
  if (v === null) return;
  if (typeof v !== 'object') throw convertFail(v, type);
  const props = propertiesOf(type);
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (k.startsWith('@')) continue;
    const p = props.get(k.toLowerCase());
    if (p && !p[1].nav) checkValue(x, p[1], p[0]);
  }
}

/**
 * A request body as Graph reads it: property names matched case-insensitively to the CSDL's spelling,
 * names outside `writable` refused, and every value checked against its declared type.
 */
export function readBody(body: Record<string, unknown>, type: string, writable: ReadonlySet<string>, resource: string, binds: ReadonlySet<string> = new Set()): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    if (k.startsWith('@odata.')) continue;
    const bind = /^(\w+)@odata\.bind$/.exec(k)?.[1];
    if (bind !== undefined) {
      // Relationships set on create (`owners@odata.bind`): only those the handler takes.
      const nav = canonicalProperty(type, bind);
      if (!nav?.[1].nav || !binds.has(nav[0])) throw new GraphFail(400, 'Request_BadRequest', `Invalid property '${k}' for resource '${resource}'.`);
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new GraphFail(400, 'BadRequest', `Invalid value for '${k}': an array of @odata.id strings is expected.`); // [unconfirmed]
      out[`${nav[0]}@odata.bind`] = v;
      continue;
    }
    const found = canonicalProperty(type, k);
    if (!found || !writable.has(found[0])) {
      // [unconfirmed] Graph's text for a name that is not a writable property of the resource.
      throw new GraphFail(400, 'Request_BadRequest', `Invalid property '${k}' for resource '${resource}'.`);
    }
    checkValue(v, found[1], found[0]);
    out[found[0]] = v;
  }
  return out;
}
