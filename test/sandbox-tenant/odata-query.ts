// OData system query options on collections and entities, as Graph's directory endpoints apply them:
// $select (case-insensitive, default property sets), $expand, $filter, $orderby, $search, $count, $top and
// $skiptoken paging with absolute links on the host the request came in on. Anything Graph refuses is a 400
// with its text; nothing is silently ignored.
import { GraphFail, fail, type GraphRequest, type GraphResponse, type SandboxContext } from './graph-core';
import { canonicalProperty } from './csdl-model';
import { parseFilter } from './odata-filter';
import type { GraphObject } from './state';

/** How a collection of one CSDL type behaves under the query options. */
export interface CollectionSpec {
  /** CSDL type without namespace, e.g. 'user'. */
  type: string;
  /** Navigation properties the sandbox can expand: name → the related object(s). */
  expand?: Record<string, (o: GraphObject, ctx: SandboxContext) => GraphObject | GraphObject[] | null>;
  /** Properties $orderby accepts (Graph allows few on directory objects). */
  orderable?: string[];
  /** Graph's default property set when there is no $select (users have one). */
  defaultSelect?: string[];
}

const KNOWN = new Set(['$filter', '$select', '$top', '$skiptoken', '$count', '$orderby', '$search', '$expand', '$deltatoken', '$format']);
const isEventual = (req: GraphRequest) => (req.headers['consistencylevel'] ?? '').toLowerCase() === 'eventual';

/** Refuse query options Graph refuses ($skip on directory objects, unknown system options). */
export function checkOptions(req: GraphRequest): void {
  for (const k of req.query.keys()) {
    if (!k.startsWith('$')) continue;
    const key = k.toLowerCase();
    if (key === '$skip') throw fail.badRequest("'$skip' is not supported by the service.");
    // [unconfirmed] text for an unknown system query option.
    if (!KNOWN.has(key)) throw new GraphFail(400, 'BadRequest', `The query parameter '${k}' is not supported.`);
  }
}

/** Query options are case-insensitive in Graph ($Select = $select). */
function opt(req: GraphRequest, name: string): string | null {
  for (const [k, v] of req.query) if (k.toLowerCase() === name) return v;
  return null;
}

function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0, start = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')') depth--;
    else if (s[i] === ',' && depth === 0) { out.push(s.slice(start, i)); start = i + 1; }
  }
  out.push(s.slice(start));
  return out.map((x) => x.trim()).filter(Boolean);
}

function selectList(raw: string | null, type: string): string[] | undefined {
  if (raw === null) return undefined;
  return splitTop(raw).map((name) => {
    const p = canonicalProperty(type, name);
    if (!p) throw new GraphFail(400, 'BadRequest', `Parsing OData Select and Expand failed: Could not find a property named '${name}' on type 'microsoft.graph.${type}'.`);
    return p[0];
  });
}

interface ExpandItem { name: string; select?: string[] }

function expandList(raw: string | null, spec: CollectionSpec): ExpandItem[] {
  if (raw === null) return [];
  return splitTop(raw).map((item) => {
    const m = /^([\w.]+)(?:\((.*)\))?$/.exec(item);
    const p = m ? canonicalProperty(spec.type, m[1]!) : undefined;
    if (!m || !p) throw new GraphFail(400, 'BadRequest', `Parsing OData Select and Expand failed: Could not find a property named '${m?.[1] ?? item}' on type 'microsoft.graph.${spec.type}'.`);
    if (!p[1].nav) throw new GraphFail(400, 'BadRequest', `Property '${p[0]}' on type 'microsoft.graph.${spec.type}' is not a navigation property or complex property. Only navigation properties can be expanded.`);
    // A sandbox limit, not a Graph text: the relationship exists in the schema but is not emulated.
    if (!spec.expand?.[p[0]]) throw new GraphFail(400, 'BadRequest', `The sandbox tenant cannot expand '${p[0]}' on 'microsoft.graph.${spec.type}'.`);
    const inner = m[2] ? /\$select=([^;]+)/i.exec(m[2])?.[1] : undefined;
    return { name: p[0], select: inner ? splitTop(inner) : undefined };
  });
}

function project(o: Record<string, unknown>, fields: string[] | undefined): Record<string, unknown> {
  if (!fields) return { ...o };
  const out: Record<string, unknown> = { id: o.id };
  if (o['@odata.type']) out['@odata.type'] = o['@odata.type'];
  for (const f of fields) if (f in o) out[f] = o[f];
  return out;
}

/** $select (or the type's default set) plus $expand for one object. */
export function shape(req: GraphRequest, ctx: SandboxContext, o: GraphObject, spec: CollectionSpec): Record<string, unknown> {
  const sel = selectList(opt(req, '$select'), spec.type) ?? spec.defaultSelect;
  const out = project(o, sel);
  for (const e of expandList(opt(req, '$expand'), spec)) {
    const rel = spec.expand![e.name]!(o, ctx);
    const one = (x: GraphObject) => project(x, e.select);
    out[e.name] = Array.isArray(rel) ? rel.map(one) : rel ? one(rel) : null;
  }
  return out;
}

/** A single entity response with its @odata.context. */
export function entity(req: GraphRequest, ctx: SandboxContext, o: GraphObject, spec: CollectionSpec, context: string): GraphResponse {
  checkOptions(req);
  return { status: 200, body: { '@odata.context': `${ctx.root}/$metadata#${context}/$entity`, ...shape(req, ctx, o, spec) } };
}

function searchTest(raw: string, type: string): (o: GraphObject) => boolean {
  const clauses = raw.split(/\s+(AND|OR)\s+/);
  const tests: ((o: GraphObject) => boolean)[] = [];
  const ops: string[] = [];
  clauses.forEach((c, i) => {
    if (i % 2) { ops.push(c); return; }
    const m = /^"([\w.]+):(.*)"$/.exec(c.trim());
    // [unconfirmed] text for a $search clause without "property:value".
    if (!m) throw fail.badRequest(`Invalid $search clause ${c.trim()}: expected "property:value".`);
    const p = canonicalProperty(type, m[1]!);
    if (!p) throw fail.unsupported(`Unsupported property '${m[1]}' in $search.`);
    const term = m[2]!.toLowerCase();
    tests.push((o) => {
      const v = o[p[0]];
      const values = Array.isArray(v) ? v : [v];
      // Directory search is a tokenised prefix match: any word of the value starting with the term.
      return values.some((x) => typeof x === 'string' && (x.toLowerCase().startsWith(term) || x.toLowerCase().split(/[\s.@_\-:]+/).some((w) => w.startsWith(term))));
    });
  });
  return (o) => tests.reduce((acc, t, i) => (i === 0 ? t(o) : ops[i - 1] === 'AND' ? acc && t(o) : acc || t(o)), false);
}

function orderBy(raw: string, spec: CollectionSpec): (a: GraphObject, b: GraphObject) => number {
  const keys = splitTop(raw).map((part) => {
    const [name = '', dir = 'asc'] = part.split(/\s+/);
    const p = canonicalProperty(spec.type, name);
    if (!p) throw new GraphFail(400, 'BadRequest', `Could not find a property named '${name}' on type 'microsoft.graph.${spec.type}'.`);
    if (!(spec.orderable ?? []).includes(p[0])) throw fail.unsupported(`Unsupported sort property '${p[0]}' for '${spec.type[0]!.toUpperCase()}${spec.type.slice(1)}'.`);
    return { name: p[0], sign: dir.toLowerCase() === 'desc' ? -1 : 1 };
  });
  return (a, b) => {
    for (const k of keys) {
      const x = String(a[k.name] ?? '').toLowerCase(), y = String(b[k.name] ?? '').toLowerCase();
      if (x !== y) return (x < y ? -1 : 1) * k.sign;
    }
    return 0;
  };
}

const SKIP_PREFIX = 'sbx1:';
/** Opaque page token: the offset into the (filtered, ordered) collection. */
function decodeSkip(raw: string | null): number {
  if (raw === null) return 0;
  const s = Buffer.from(raw, 'base64url').toString();
  // [unconfirmed] Graph's answer to a page token it did not issue.
  if (!s.startsWith(SKIP_PREFIX) || !/^\d+$/.test(s.slice(SKIP_PREFIX.length))) {
    throw new GraphFail(400, 'Directory_ExpiredPageToken', 'The specified page token value has expired and can no longer be included in your request.');
  }
  return Number(s.slice(SKIP_PREFIX.length));
}

/** Filter, search, order and page a collection; absolute @odata.nextLink on the request's host, like Graph. */
export function page(req: GraphRequest, ctx: SandboxContext, items: GraphObject[], context: string, spec: CollectionSpec): GraphResponse {
  checkOptions(req);
  const eventual = isEventual(req);
  const count = opt(req, '$count');
  const filter = parseFilter(opt(req, '$filter'), spec.type);
  if (filter.advanced.length && !(eventual && count === 'true')) throw fail.unsupported();
  let out = items.filter((o) => filter.test(o));
  const search = opt(req, '$search');
  if (search !== null) {
    if (!eventual) throw fail.unsupported("Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'");
    out = out.filter(searchTest(search.trim(), spec.type));
  }
  const order = opt(req, '$orderby');
  if (order !== null) {
    const cmp = orderBy(order, spec);
    if (opt(req, '$filter') && !(eventual && count === 'true')) throw fail.unsupported('Sorting not supported for current query.');
    out = [...out].sort(cmp);
  }
  const rawTop = opt(req, '$top');
  if (rawTop !== null && !(/^\d+$/.test(rawTop) && Number(rawTop) >= 1 && Number(rawTop) <= 999)) {
    throw fail.badRequest(`Invalid page size specified: '${rawTop}'. Must be between 1 and 999 inclusive.`);
  }
  const top = Number(rawTop ?? 100);
  const skip = decodeSkip(opt(req, '$skiptoken'));
  const sel = opt(req, '$select');
  const body: Record<string, unknown> = { '@odata.context': `${ctx.root}/$metadata#${context}${sel ? `(${selectList(sel, spec.type)!.join(',')})` : ''}` };
  if (count === 'true') {
    if (!eventual) throw fail.badRequest('$count is not currently supported.');
    body['@odata.count'] = out.length;
  }
  if (skip + top < out.length) {
    const q = new URLSearchParams(req.query);
    q.set('$skiptoken', Buffer.from(`${SKIP_PREFIX}${skip + top}`).toString('base64url'));
    body['@odata.nextLink'] = `${ctx.root}${req.path}?${q.toString().replace(/\+/g, '%20')}`;
  }
  body.value = out.slice(skip, skip + top).map((o) => shape(req, ctx, o, spec));
  return { status: 200, body };
}

/** GET …/$count: a plain-text number, only as an advanced query (ConsistencyLevel: eventual). */
export function countOf(req: GraphRequest, items: GraphObject[], type: string): GraphResponse {
  if (!isEventual(req)) throw fail.badRequest('$count is not currently supported.');
  const filter = parseFilter(opt(req, '$filter'), type);
  return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: String(items.filter((o) => filter.test(o)).length) };
}

/** The items of one derived type (a `/microsoft.graph.user` cast segment on a directoryObject collection). */
export function ofType(items: GraphObject[], type: string): GraphObject[] {
  return items.filter((o) => String(o['@odata.type']).toLowerCase() === `#microsoft.graph.${type.toLowerCase()}`);
}
