import { AuthenticationHandler, Client, GraphError, type AuthenticationProvider } from '@microsoft/microsoft-graph-client';
import type { Agent } from 'node:https';
import { customHostsFor, graphRoot, type TenantEndpoints } from './endpoints';
import { HttpsMessageHandler, TransportError } from './https-transport';
import { RetryPolicy, type Failure, type ProbeSpec, type RetryOptions } from './retry-policy';
import { TenantError, toTenantError } from './tenant-errors';

/** Extra per-call options. */
export interface CallOptions<T> {
  headers?: Record<string, string>;
  /** For creates: how to find the object if an earlier attempt succeeded without us hearing back. */
  probe?: ProbeSpec<T>;
}

function retryAfterMs(headers: unknown): number | undefined {
  const h = headers as Headers | undefined;
  const v = h && typeof h.get === 'function' ? h.get('retry-after') : undefined;
  if (!v) return undefined;
  const secs = Number(v);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

/** Classify an SDK error for the retry policy. */
export function classifyGraphError(e: unknown): Failure {
  if (e instanceof TenantError) return e.code === 'unreachable' ? { kind: 'transient', error: e } : { kind: 'fatal', error: e };
  if (e instanceof TransportError || (e instanceof GraphError && (e.statusCode === -1 || e.code === 'TransportError'))) {
    return { kind: 'transient', error: new TenantError('unreachable', 'Microsoft 365 could not be reached.', { status: -1 }) };
  }
  if (e instanceof GraphError) {
    const ra = retryAfterMs(e.headers);
    const err = toTenantError(e.statusCode, { error: { code: e.code, message: e.message } }, e.requestId ?? undefined, ra);
    if (e.statusCode === 429) return { kind: 'throttled', retryAfterMs: ra, error: err };
    if (e.statusCode >= 500 || e.statusCode === 0) return { kind: 'transient', retryAfterMs: ra, error: err };
    return { kind: 'fatal', error: err };
  }
  return { kind: 'transient', error: new TenantError('unreachable', 'Microsoft 365 could not be reached.', {}) };
}

/** Graph over the official SDK with our transport and retry policy: the only place HTTP to Graph happens. */
export class GraphCaller {
  readonly client: Client;
  readonly policy: RetryPolicy;
  readonly root: string;

  constructor(endpoints: TenantEndpoints, private readonly auth: AuthenticationProvider, agent: Agent, retry?: RetryOptions, timeoutMs = 60_000) {
    this.root = graphRoot(endpoints);
    const authHandler = new AuthenticationHandler(auth);
    authHandler.setNext(new HttpsMessageHandler(agent, timeoutMs));
    this.client = Client.initWithMiddleware({
      middleware: authHandler, baseUrl: `${this.root}/`, defaultVersion: 'v1.0', customHosts: customHostsFor(endpoints),
    });
    this.policy = new RetryPolicy(retry);
  }

  /** One logical call, retried under the policy. `path` is relative to /v1.0 or an absolute nextLink. */
  call<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown, opts: CallOptions<T> = {}): Promise<T> {
    return this.policy.run<T>(() => this.once<T>(method, path, body, opts.headers), classifyGraphError, opts.probe);
  }

  /** A single attempt (no retry). */
  async once<T>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    // Acquire (or read from MSAL's cache) first, so sign-in failures surface as TenantErrors rather than
    // being flattened by the SDK into status -1.
    await this.auth.getAccessToken();
    let req = this.client.api(path);
    if (headers) req = req.headers(headers);
    switch (method) {
      case 'GET': return (await req.get()) as T;
      case 'POST': return (await req.post(body ?? {})) as T;
      case 'PATCH': return (await req.patch(body)) as T;
      case 'DELETE': return (await req.delete()) as T;
      default: throw new Error(`unsupported method ${method}`);
    }
  }
}
