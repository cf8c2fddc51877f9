import { errorBody, GraphFail, newRequestId, type GraphRequest, type GraphResponse, type SandboxContext } from './graph-core';
import { appRoutes } from './routes-apps';
import { directoryRoutes, purgeExpired } from './routes-directory';
import { domainRoutes } from './routes-domains';
import { healthRoutes } from './routes-health';
import { orgRoutes } from './routes-org';
import { userRoutes } from './routes-users';

/** A Graph route: method, path pattern (relative to /v1.0), handler. */
export interface Route {
  method: string;
  pattern: RegExp;
  /** May be async (domain verification resolves DNS). */
  handler: (req: GraphRequest, ctx: SandboxContext, params: string[]) => GraphResponse | Promise<GraphResponse>;
}

// Order matters: /users/delta before /users/{id}.
const ROUTES: Route[] = [...directoryRoutes, ...orgRoutes, ...domainRoutes, ...healthRoutes, ...appRoutes, ...userRoutes];

/** Run one Graph request against the state; never throws. */
export async function dispatch(req: GraphRequest, ctx: SandboxContext): Promise<GraphResponse> {
  purgeExpired(ctx);
  const path = req.path.replace(/\/$/, '');
  let pathMatched = false;
  for (const r of ROUTES) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (r.method !== req.method) continue;
    try {
      return await r.handler(req, ctx, m.slice(1));
    } catch (e) {
      if (e instanceof GraphFail) return { status: e.status, headers: e.headers, body: errorBody(e.code, e.message, req.requestId, ctx.now()) };
      return { status: 500, body: errorBody('generalException', 'An internal server error occurred.', req.requestId, ctx.now()) };
    }
  }
  if (pathMatched) {
    return { status: 405, body: errorBody('Request_BadRequest', `Specified HTTP method is not allowed for the request uri.`, req.requestId, ctx.now()) };
  }
  const seg = path.split('/').filter(Boolean).pop() ?? '';
  return { status: 400, body: errorBody('BadRequest', `Resource not found for the segment '${seg}'.`, req.requestId, ctx.now()) };
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

/** Validate the envelope the way Graph does (≤ 20 requests, unique ids, known dependsOn, Content-Type with bodies). */
export function validateBatch(body: unknown): BatchItem[] {
  const reqs = (body as { requests?: unknown })?.requests;
  if (!Array.isArray(reqs)) throw new GraphFail(400, 'BadRequest', 'Invalid batch payload format.');
  if (reqs.length > 20) throw new GraphFail(400, 'BadRequest', 'Unable to deserialize batch request: Number of requests exceeds the maximum allowed limit of 20.');
  const ids = new Set<string>();
  for (const r of reqs as BatchItem[]) {
    if (typeof r.id !== 'string' || typeof r.method !== 'string' || typeof r.url !== 'string') throw new GraphFail(400, 'BadRequest', 'Invalid batch payload format.');
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
  return { path: decodeURIComponent(u.pathname).replace(/^\/v1\.0/, ''), query: u.searchParams };
}

export { newRequestId };
