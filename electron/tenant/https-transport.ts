import { request as httpsRequest, Agent } from 'node:https';
import { rootCertificates } from 'node:tls';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import type { Context, Middleware } from '@microsoft/microsoft-graph-client';

/** Keep-alive agent trusting the system roots plus an extra CA (the sandbox's) when given. */
export function createAgent(caPem?: string): Agent {
  return new Agent({ keepAlive: true, maxSockets: 32, ...(caPem ? { ca: [...rootCertificates, caPem] } : {}) });
}

/** A transport failure (reset, refused, timeout): the request may or may not have been carried out. */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(readonly code: string, message: string) { super(message); }
}

interface RawResponse { status: number; headers: Record<string, string>; body: string }

/** One HTTPS request with a timeout; never logs bodies (they may hold secrets). */
export function send(url: string, agent: Agent, init: { method: string; headers: Record<string, string>; body?: string; timeoutMs: number }): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method: init.method, headers: init.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
        resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', (e: NodeJS.ErrnoException) => reject(new TransportError(e.code ?? 'ECONNRESET', `Connection to ${new URL(url).host} failed (${e.code ?? e.message}).`)));
    });
    req.setTimeout(init.timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (e: NodeJS.ErrnoException) => reject(new TransportError(e.code ?? 'ECONNRESET', `Connection to ${new URL(url).host} failed (${e.code ?? e.message}).`)));
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

/** MSAL's network module over the same agent, so token calls trust the same CA. */
export class MsalNetworkClient implements INetworkModule {
  constructor(private readonly agent: Agent, private readonly timeoutMs = 30_000) {}
  async sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    const r = await send(url, this.agent, { method: 'GET', headers: options?.headers ?? {}, timeoutMs: timeout ?? this.timeoutMs });
    return { status: r.status, headers: r.headers, body: JSON.parse(r.body || '{}') as T };
  }
  async sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    const r = await send(url, this.agent, { method: 'POST', headers: options?.headers ?? {}, body: options?.body ?? '', timeoutMs: this.timeoutMs });
    let body: unknown;
    try { body = JSON.parse(r.body || '{}'); } catch { body = { error: 'invalid_response', error_description: `HTTP ${r.status}` }; }
    return { status: r.status, headers: r.headers, body: body as T };
  }
}

function headersToObject(h: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h) return out;
  if (typeof (h as Headers).forEach === 'function' && !(h instanceof Array)) {
    (h as Headers).forEach((v, k) => { out[k] = v; });
    return out;
  }
  for (const [k, v] of Object.entries(h as Record<string, string>)) out[k] = String(v);
  return out;
}

/** Last link of the Graph SDK middleware chain: the HTTPS call itself (replacing fetch so the CA and timeouts apply). */
export class HttpsMessageHandler implements Middleware {
  constructor(private readonly agent: Agent, private readonly timeoutMs = 60_000) {}
  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : (context.request as Request).url;
    const opts = context.options ?? {};
    const body = opts.body === undefined || opts.body === null ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    const r = await send(url, this.agent, { method: (opts.method ?? 'GET').toUpperCase(), headers: headersToObject(opts.headers), body, timeoutMs: this.timeoutMs });
    const nullBody = r.status === 204 || r.status === 304 || r.body.length === 0;
    context.response = new Response(nullBody ? null : r.body, { status: r.status, headers: r.headers });
  }
}
