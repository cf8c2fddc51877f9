import { errorBody, GraphFail, type GraphRequest, type GraphResponse, type SandboxContext } from './graph-core';
import { secretRoutes } from './app-secrets';
import { appRoutes } from './routes-apps';
import { directoryRoutes, purgeExpired } from './routes-directory';
import { domainRoutes } from './routes-domains';
import { healthRoutes } from './routes-health';
import { groupRoutes } from './routes-groups';
import { orgRoutes } from './routes-org';
import { roleRoutes } from './routes-roles';
import { tenantRoutes } from './routes-tenant';
import { userRoutes } from './routes-users';
import { userLinkRoutes } from './user-links';

/** A Graph route: method, path pattern (relative to /v1.0), handler. */
export interface Route {
  method: string;
  pattern: RegExp;
  /** May be async (domain verification resolves DNS). */
  handler: (req: GraphRequest, ctx: SandboxContext, params: string[]) => GraphResponse | Promise<GraphResponse>;
}

// Every route module, in match order (/users/delta and /users/$count before /users/{id}). Graph matches
// segment names case-insensitively (/Users, /subscribedskus), so every pattern is compiled with the i flag.
const ROUTES: Route[] = [
  ...directoryRoutes, ...orgRoutes, ...domainRoutes, ...healthRoutes, ...secretRoutes, ...appRoutes, ...roleRoutes, ...tenantRoutes,
  ...groupRoutes, ...userLinkRoutes, ...userRoutes,
].map((r) => ({ ...r, pattern: new RegExp(r.pattern.source, 'i') }));

/**
 * Graph's equivalent spellings of a path, reduced to one: /myorganization/… and /{tenantId}/… prefixes,
 * parenthesised keys (users('id')), alternate keys (servicePrincipals(appId='…') → servicePrincipals/appId=…),
 * and /me → /users/{caller} (delegated only, as in Graph).
 */
export function normalizePath(path: string, tenantId: string, req: Pick<GraphRequest, 'auth'> & { self?: boolean }): string {
  let p = path.replace(/\/$/, '');
  const first = p.split('/')[1]?.toLowerCase();
  if (first === 'myorganization' || first === tenantId.toLowerCase()) p = p.slice(first.length + 1) || '/';
  p = p.replace(/\/([A-Za-z]+)\('([^']*)'\)/g, (_m, seg: string, key: string) => `/${seg}/${encodeURIComponent(key)}`)
    .replace(/\/([A-Za-z]+)\((appId|roleTemplateId)='([^']*)'\)/gi, (_m, seg: string, k: string, v: string) => `/${seg}/${k}=${encodeURIComponent(v)}`);
  if (/^\/me(\/|$)/i.test(p)) {
    if (!req.auth.userId) throw new GraphFail(400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
    req.self = true;
    p = `/users/${req.auth.userId}${p.slice(3)}`;
  }
  return p;
}

/** Run one Graph request against the state; never throws. */
export async function dispatch(req: GraphRequest, ctx: SandboxContext): Promise<GraphResponse> {
  const failed = (e: unknown): GraphResponse => {
    if (e instanceof GraphFail) return { status: e.status, headers: e.headers, body: errorBody(e.code, e.message, req.requestId, ctx.now(), req.clientRequestId, e.details) };
    return { status: 500, body: errorBody('generalException', 'An internal server error occurred.', req.requestId, ctx.now(), req.clientRequestId) };
  };
  purgeExpired(ctx);
  let path: string;
  try { path = normalizePath(req.path, ctx.state.tenantId, req); } catch (e) { return failed(e); }
  req.path = path;
  let pathMatched = false;
  for (const r of ROUTES) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (r.method !== req.method) continue;
    try {
      return await r.handler(req, ctx, m.slice(1));
    } catch (e) {
      return failed(e);
    }
  }
  if (pathMatched) {
    return { status: 405, body: errorBody('Request_BadRequest', `Specified HTTP method is not allowed for the request uri.`, req.requestId, ctx.now(), req.clientRequestId) };
  }
  const seg = path.split('/').filter(Boolean).pop() ?? '';
  return { status: 400, body: errorBody('BadRequest', `Resource not found for the segment '${seg}'.`, req.requestId, ctx.now(), req.clientRequestId) };
}

/** An inner $batch request. */
export interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

/** Validate the envelope the way Graph does (≤ 20 requests, unique string ids, known dependsOn, Content-Type with bodies). */
export function validateBatch(body: unknown): BatchItem[] {
  const reqs = (body as { requests?: unknown })?.requests;
  if (!Array.isArray(reqs)) throw new GraphFail(400, 'BadRequest', 'Invalid batch payload format.');
  if (reqs.length > 20) throw new GraphFail(400, 'BadRequest', 'Unable to deserialize batch request: Number of requests exceeds the maximum allowed limit of 20.');
  const ids = new Set<string>();
  for (const r of reqs as BatchItem[]) {
    if (typeof r.id !== 'string' || !r.id || typeof r.method !== 'string' || typeof r.url !== 'string') throw new GraphFail(400, 'BadRequest', 'Invalid batch payload format.');
    if (ids.has(r.id)) throw new GraphFail(400, 'BadRequest', 'Batch request contains duplicate request ids.');
    ids.add(r.id);
    if (r.body !== undefined && !Object.keys(r.headers ?? {}).some((h) => h.toLowerCase() === 'content-type')) {
      throw new GraphFail(400, 'BadRequest', 'Write request id : ' + r.id + ' does not contain Content-Type header or body.');
    }
  }
  for (const r of reqs as BatchItem[]) {
    for (const d of r.dependsOn ?? []) if (!ids.has(d)) throw new GraphFail(400, 'BadRequest', `Request dependsOn id ${d} does not exist in the batch.`);
  }
  return reqs as BatchItem[];
}

/** Graph requests in `url` form ("/users?$top=1" or "users/123") → path + query. */
export function splitUrl(url: string): { path: string; query: URLSearchParams } {
  const u = new URL(url.replace(/^\/?/, '/'), 'https://x');
  return { path: decodeURIComponent(u.pathname).replace(/^\/(v1\.0|beta)(?=\/|$)/i, ''), query: u.searchParams };
}

