import { randomUUID } from 'node:crypto';
import type { GraphObject, TenantState } from './state';

/** Who is calling: derived from a verified access token. */
export interface AuthContext {
  tenantId: string;
  appId: string;
  /** Present for delegated (user) tokens. */
  userId?: string;
  roles: string[];
  scopes: string[];
}

/** A Graph request after parsing, independent of HTTP so $batch can dispatch in-process. */
export interface GraphRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
  auth: AuthContext;
  requestId: string;
}

/** What a handler answers; the server or $batch serialises it. */
export interface GraphResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** An action as the control API exposes it; tests assert exact lists of these. */
export interface RecordedAction {
  at: string;
  method: string;
  path: string;
  status: number;
  appId?: string;
  actor?: string;
  target?: string;
  body?: unknown;
}

/** A request/response pair kept for the CSDL conformance checks. */
export interface ExchangeRecord {
  method: string;
  path: string;
  status: number;
  requestBody?: unknown;
  responseBody?: unknown;
}

/** What every route handler gets besides the request. */
export interface SandboxContext {
  state: TenantState;
  now(): Date;
  baseUrl: string;
  changed(id: string, removed?: 'changed' | 'deleted'): void;
  /** Set by handlers so the action log names the object acted on. */
  target?: string;
  replicationDelayMs: number;
  createdAt: Map<string, number>;
  /** Resolvers `verify` asks for the verification record (`ip` or `ip:port`), like Microsoft's view of public DNS. */
  dnsServers: string[];
}

/** Thrown by handlers; turned into Graph's error body. */
export class GraphFail extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly headers?: Record<string, string>) {
    super(message);
  }
}

/** Graph's exact error envelope. */
export function errorBody(code: string, message: string, requestId: string, now: Date): unknown {
  return {
    error: {
      code, message,
      innerError: { date: now.toISOString().replace(/\.\d{3}Z$/, ''), 'request-id': requestId, 'client-request-id': requestId },
    },
  };
}

/** Shorthands for the errors the sandbox reproduces verbatim. */
export const fail = {
  badRequest: (message: string) => new GraphFail(400, 'Request_BadRequest', message),
  notFound: (id: string) => new GraphFail(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`),
  denied: () => new GraphFail(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
  unsupported: () => new GraphFail(400, 'Request_UnsupportedQuery', 'Unsupported Query.'),
};

/** Apply $select (id is always returned, as Graph does). */
export function select(obj: GraphObject, query: URLSearchParams): Record<string, unknown> {
  const sel = query.get('$select');
  if (!sel) return { ...obj };
  const out: Record<string, unknown> = { id: obj.id };
  for (const raw of sel.split(',')) {
    const k = raw.trim();
    if (k in obj) out[k] = obj[k];
  }
  return out;
}

type Pred = (o: GraphObject) => boolean;

/** The subset of OData $filter the app uses: eq/ne on scalars, startswith, any() on string collections, and/or. */
export function parseFilter(filter: string | null): Pred {
  if (!filter) return () => true;
  const orParts = splitTop(filter, ' or ');
  if (orParts.length > 1) {
    const preds = orParts.map(parseFilter);
    return (o) => preds.some((p) => p(o));
  }
  const andParts = splitTop(filter, ' and ');
  if (andParts.length > 1) {
    const preds = andParts.map(parseFilter);
    return (o) => preds.every((p) => p(o));
  }
  const f = filter.trim().replace(/^\((.*)\)$/, '$1');
  let m = /^startswith\((\w+),\s*'((?:[^']|'')*)'\)$/i.exec(f);
  if (m) {
    const [, prop, val] = m as unknown as [string, string, string];
    const v = val.replace(/''/g, "'").toLowerCase();
    return (o) => typeof o[prop] === 'string' && (o[prop] as string).toLowerCase().startsWith(v);
  }
  m = /^(\w+)\/any\((\w+):\s*\2\s+eq\s+'((?:[^']|'')*)'\)$/i.exec(f);
  if (m) {
    const [, prop, , val] = m as unknown as [string, string, string, string];
    const v = val.replace(/''/g, "'").toLowerCase();
    return (o) => Array.isArray(o[prop]) && (o[prop] as unknown[]).some((x) => String(x).toLowerCase() === v);
  }
  m = /^(\w+)\s+in\s+\((.*)\)$/i.exec(f);
  if (m) {
    const [, prop, list] = m as unknown as [string, string, string];
    const vals = [...list.matchAll(/'((?:[^']|'')*)'/g)].map((x) => (x[1] ?? '').replace(/''/g, "'").toLowerCase());
    return (o) => vals.includes(String(o[prop]).toLowerCase());
  }
  m = /^(\w+)\s+(eq|ne)\s+(.+)$/i.exec(f);
  if (m) {
    const [, prop, op, rawVal] = m as unknown as [string, string, string, string];
    const lit = parseLiteral(rawVal.trim());
    const eq = (o: GraphObject) => {
      const a = o[prop] ?? null;
      return typeof a === 'string' && typeof lit === 'string' ? a.toLowerCase() === lit.toLowerCase() : a === lit;
    };
    return op.toLowerCase() === 'eq' ? eq : (o) => !eq(o);
  }
  throw fail.unsupported();
}

function parseLiteral(v: string): unknown {
  if (v === 'true') return true;
  if (v === 'false') return false;
  if (v === 'null') return null;
  if (/^'.*'$/.test(v)) return v.slice(1, -1).replace(/''/g, "'");
  if (/^-?\d+$/.test(v)) return Number(v);
  throw fail.unsupported();
}

function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0, quote = false, start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "'") quote = !quote;
    else if (!quote && c === '(') depth++;
    else if (!quote && c === ')') depth--;
    else if (!quote && depth === 0 && s.startsWith(sep, i)) {
      out.push(s.slice(start, i));
      start = i + sep.length;
      i += sep.length - 1;
    }
  }
  out.push(s.slice(start));
  return out;
}

/** $top/$skiptoken paging with an absolute @odata.nextLink, like Graph. */
export function page(req: GraphRequest, ctx: SandboxContext, items: GraphObject[], contextUrl: string): GraphResponse {
  const rawTop = req.query.get('$top');
  if (rawTop !== null && !(/^\d+$/.test(rawTop) && Number(rawTop) >= 1 && Number(rawTop) <= 999)) {
    throw fail.badRequest(`Invalid page size specified: '${rawTop}'. Must be between 1 and 999 inclusive.`);
  }
  const top = Number(rawTop ?? 100);
  const skip = Number(Buffer.from(req.query.get('$skiptoken') ?? '', 'base64url').toString() || 0);
  const slice = items.slice(skip, skip + top).map((o) => select(o, req.query));
  const body: Record<string, unknown> = { '@odata.context': `${ctx.baseUrl}/v1.0/$metadata#${contextUrl}` };
  if (req.query.get('$count') === 'true') {
    if ((req.headers['consistencylevel'] ?? '').toLowerCase() !== 'eventual') {
      throw fail.badRequest("$count is not currently supported.");
    }
    body['@odata.count'] = items.length;
  }
  if (skip + top < items.length) {
    const q = new URLSearchParams(req.query);
    q.set('$skiptoken', Buffer.from(String(skip + top)).toString('base64url'));
    body['@odata.nextLink'] = `${ctx.baseUrl}/v1.0${req.path}?${q.toString()}`;
  }
  body.value = slice;
  return { status: 200, body };
}

/** A JSON object body or a 400 like Graph's. */
export function objectBody(req: GraphRequest): Record<string, unknown> {
  if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body)) {
    throw new GraphFail(400, 'BadRequest', 'Empty Payload. JSON content expected.');
  }
  return req.body as Record<string, unknown>;
}

/** Reject properties the CSDL does not define for the entity (Graph answers 400 for these). */
export function rejectUnknown(body: Record<string, unknown>, allowed: ReadonlySet<string>, entity: string): void {
  for (const k of Object.keys(body)) {
    if (k.startsWith('@odata.')) continue;
    if (!allowed.has(k)) {
      throw new GraphFail(400, 'Request_BadRequest', `Invalid property '${k}' for resource '${entity}'.`);
    }
  }
}

/** Fresh request ids for responses. */
export function newRequestId(): string {
  return randomUUID();
}
