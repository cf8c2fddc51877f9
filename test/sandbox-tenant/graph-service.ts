// The Graph side of the sandbox, independent of HTTP: one request (throttle → dispatch → record) and
// $batch (dependsOn honoured, independent requests run in a seeded random order as Graph gives no order).
import { errorBody, newRequestId, type AuthContext, type ExchangeRecord, type GraphResponse, type RecordedAction, type SandboxContext } from './graph-core';
import { dispatch, splitUrl, type BatchItem } from './router';
import type { Throttler } from './throttle';

const WRITE = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/** Where a request came in: scheme+host and API version, so every link points back there. */
export interface Origin { baseUrl: string; version: string; clientRequestId?: string }

/** What the service needs from the running sandbox. */
export interface GraphServiceHost {
  ctx(origin: Origin): SandboxContext;
  throttler: Throttler;
  actions: RecordedAction[];
  exchanges: ExchangeRecord[];
  /** A write reached the state: it must be saved before the answer goes out. */
  wrote(): void;
}

function redact(body: unknown): unknown {
  if (!body || typeof body !== 'object') return body;
  const copy = structuredClone(body) as Record<string, unknown>;
  const pp = copy.passwordProfile as Record<string, unknown> | undefined;
  if (pp && 'password' in pp) pp.password = '[REDACTED]';
  return copy;
}

/** Small seeded generator (mulberry32) so a batch order can be reproduced. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The Graph service over a host. */
export class GraphService {
  private rand = rng(Date.now());
  constructor(private readonly h: GraphServiceHost) {}

  /** Reproducible $batch order from now on. */
  seedBatchOrder(seed: number): void { this.rand = rng(seed); }

  /** One Graph request (outer or inner): throttle, dispatch, record. */
  async run(method: string, url: string, headers: Record<string, string>, body: unknown, auth: AuthContext, requestId: string, origin: Origin): Promise<GraphResponse> {
    const { path, query } = splitUrl(url);
    const ctx = this.h.ctx(origin);
    const t = this.h.throttler.check(auth.appId, auth.tenantId, ctx.state.users.length, method, path, query);
    if (t.hit) {
      return {
        status: 429,
        headers: {
          // Whole seconds, as Graph sends them (a fraction reads as 0 in clients that parse integers).
          'retry-after': String(Math.max(1, Math.ceil(t.hit.retryAfterSec))), 'x-ms-throttle-scope': t.hit.scope,
          'x-ms-throttle-information': t.hit.information, 'x-ms-resource-unit': String(t.cost),
        },
        body: errorBody('TooManyRequests', 'Please retry again later.', requestId, ctx.now(), origin.clientRequestId),
      };
    }
    const result = path === '/$batch'
      ? { status: 400, body: errorBody('BadRequest', 'Nested batch requests are not supported.', requestId, ctx.now(), origin.clientRequestId) }
      : await dispatch({ method, path, query, headers, body, auth, requestId, clientRequestId: origin.clientRequestId }, ctx);
    result.headers = { ...(result.headers ?? {}), 'x-ms-resource-unit': String(t.cost) };
    if (WRITE.has(method)) {
      const { actions } = this.h;
      actions.push({
        at: ctx.now().toISOString(), method, path, status: result.status, appId: auth.appId, actor: auth.userId ?? auth.appId,
        ...(ctx.target ? { target: ctx.target } : {}), ...(body !== undefined ? { body: redact(body) } : {}),
      });
      if (actions.length > 100_000) actions.splice(0, actions.length - 100_000);
      this.h.wrote();
    }
    const { exchanges } = this.h;
    exchanges.push({ method, path, status: result.status, requestBody: redact(body), responseBody: result.body });
    if (exchanges.length > 20000) exchanges.splice(0, exchanges.length - 20000);
    return result;
  }

  /** $batch: a request runs once its dependsOn are done (424 if one failed); the ready ones in random order. */
  async batch(items: BatchItem[], auth: AuthContext, origin: Origin): Promise<unknown> {
    const status = new Map<string, number>();
    const pending = [...items];
    const responses: unknown[] = [];
    while (pending.length) {
      const waiting = pending.filter((it) => (it.dependsOn ?? []).every((d) => status.has(d)));
      // A dependsOn cycle can never run: what is left fails as a failed dependency.
      const ready = waiting.length ? waiting : pending.map((x) => ({ ...x, dependsOn: [] as string[], cyclic: true }));
      const it = ready[Math.floor(this.rand() * ready.length)]!;
      pending.splice(pending.findIndex((x) => x.id === it.id), 1);
      const rid = newRequestId();
      let r: GraphResponse;
      if ('cyclic' in it || (it.dependsOn ?? []).some((d) => status.get(d)! >= 400)) {
        r = { status: 424, body: errorBody('BadRequest', 'Failed dependency', rid, this.h.ctx(origin).now(), origin.clientRequestId) };
      } else {
        const hdrs = Object.fromEntries(Object.entries(it.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
        r = await this.run(it.method.toUpperCase(), it.url, hdrs, it.body, auth, rid, origin);
      }
      status.set(it.id, r.status);
      responses.push({ id: it.id, status: r.status, headers: { 'content-type': 'application/json', ...(r.headers ?? {}) }, ...(r.body !== undefined ? { body: r.body } : {}) });
    }
    return { responses };
  }
}
