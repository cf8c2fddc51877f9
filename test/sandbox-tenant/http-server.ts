// HTTP in front of the sandbox: /_control, /$metadata, the identity endpoints and Graph (/v1.0, /beta),
// each answered on the scheme and host the request came in on. Writes are saved before the answer leaves.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { CSDL_PATH } from '../csdl/csdl-schema';
import type { SandboxControl } from './control';
import type { FaultInjector, FaultRule } from './faults';
import { errorBody, newRequestId } from './graph-core';
import type { GraphService, Origin } from './graph-service';
import type { Identity } from './identity';
import { validateBatch, type BatchItem } from './router';

/** What the HTTP layer drives. */
export interface HttpHost {
  controlSecret(): string;
  control: SandboxControl;
  faults: FaultInjector;
  identity: Identity;
  graph: GraphService;
  now(): Date;
  /** Save what changed (before the answer is sent). */
  flush(): void;
  /** The identity endpoints changed something kept in the state file. */
  identityWrote(): void;
}

const JSON_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The scheme+host a request came in on (a proxy for login.microsoftonline.com keeps the Host header). */
export function originOf(req: IncomingMessage, fallback: string): string {
  const host = req.headers.host;
  return host ? `https://${host}` : fallback;
}

/** The WWW-Authenticate challenge Graph sends with a 401. */
function challenge(origin: string): string {
  const authority = /\/\/graph\.microsoft\.com$/i.test(origin) ? 'https://login.microsoftonline.com' : origin;
  return `Bearer realm="", authorization_uri="${authority}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`;
}

let metadataXml: string | undefined;

/** Build the request handler. */
export function createHandler(h: HttpHost, listenUrl: () => string) {
  function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
    h.flush();
    const text = typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body);
    const out: Record<string, string> = { ...headers };
    if (typeof body === 'object' && body !== undefined && !out['content-type']) out['content-type'] = JSON_TYPE;
    res.writeHead(status, out);
    res.end(text);
  }

  async function control(req: IncomingMessage, res: ServerResponse, name: string, raw: Buffer): Promise<void> {
    const secret = String(req.headers['x-sandbox-control-secret'] ?? ''), want = h.controlSecret();
    const ok = secret.length === want.length && timingSafeEqual(Buffer.from(secret), Buffer.from(want));
    if (!ok) return send(res, 401, {}, { error: 'control secret required' });
    const fn = h.control[name as keyof SandboxControl] as ((...a: unknown[]) => Promise<unknown>) | undefined;
    if (typeof fn !== 'function') return send(res, 404, {}, { error: 'unknown control method' });
    try {
      const args = raw.length ? (JSON.parse(raw.toString()) as { args?: unknown[] }).args ?? [] : [];
      return send(res, 200, {}, { result: (await fn(...args)) ?? null });
    } catch (e) { return send(res, 400, {}, { error: (e as Error).message }); }
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const origin = originOf(req, listenUrl());
    const u = new URL(req.url ?? '/', origin);
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = await readBody(req);
    const requestId = newRequestId();
    const clientRequestId = req.headers['client-request-id'] ? String(req.headers['client-request-id']) : undefined;
    const baseHeaders = { 'request-id': requestId, 'client-request-id': clientRequestId ?? requestId };
    const gErr = (code: string, message: string) => errorBody(code, message, requestId, h.now(), clientRequestId);

    if (u.pathname.startsWith('/_control/')) return control(req, res, u.pathname.slice('/_control/'.length), raw);

    const fault: FaultRule | undefined = u.pathname === '/' ? undefined : h.faults.pick(method, u.pathname);
    if (fault?.kind === 'slow') await sleep(fault.delayMs ?? 2000);
    if (fault && fault.phase !== 'after') {
      if (fault.kind === 'reset') { req.socket.destroy(); return; }
      if (fault.kind === 'status') {
        const st = fault.status ?? 503;
        const code = st === 429 ? 'TooManyRequests' : st === 503 ? 'serviceNotAvailable' : st === 504 ? 'UnknownError' : 'generalException';
        const msg = st === 429 ? 'Please retry again later.' : st === 503 ? 'Service Unavailable' : 'An internal server error occurred.';
        // A fault's Retry-After is sent as the test wrote it (whole seconds unless the test wants otherwise).
        const retry: Record<string, string> = st === 429 || st === 503 ? { 'retry-after': String(fault.retryAfterSec ?? 1) } : {};
        return send(res, st, { ...baseHeaders, ...retry }, gErr(code, msg));
      }
    }
    const after = (status: number, headers: Record<string, string>, body: unknown) => {
      if (fault && fault.phase === 'after') {
        h.flush();
        if (fault.kind === 'reset') { req.socket.destroy(); return; }
        if (fault.kind === 'status') return send(res, fault.status ?? 500, baseHeaders, gErr('generalException', 'An internal server error occurred.'));
      }
      send(res, status, headers, body);
    };

    const seg = u.pathname.split('/').filter(Boolean);
    const version = /^(v1\.0|beta)$/i.exec(seg[0] ?? '')?.[1]?.toLowerCase();
    if (!version) {
      if (seg.length >= 2) {
        const reply = await h.identity.handle(method, decodeURIComponent(seg[0]!), seg.slice(1).join('/'), u.searchParams, new URLSearchParams(raw.toString()), origin, req.headers.authorization);
        if (reply) { if (method === 'POST') h.identityWrote(); return after(reply.status, { ...baseHeaders, ...(reply.headers ?? {}) }, reply.body); }
      }
      const page = method === 'GET' || method === 'POST' ? await h.identity.page(method, u.pathname, new URLSearchParams(raw.toString()), origin) : undefined;
      if (page) { if (method === 'POST') h.identityWrote(); return after(page.status, { ...baseHeaders, ...(page.headers ?? {}) }, page.body); }
      return send(res, 404, baseHeaders, { error: 'not found' });
    }
    const rest = u.pathname.slice(seg[0]!.length + 1);
    if (method === 'GET' && rest === '/$metadata') {
      metadataXml ??= readFileSync(CSDL_PATH, 'utf8');
      return send(res, 200, { ...baseHeaders, 'content-type': 'application/xml' }, metadataXml);
    }
    const authz = String(req.headers.authorization ?? '');
    const token = /^Bearer\s+(.+)$/i.exec(authz)?.[1];
    const unauthorized = (message: string) => send(res, 401, { ...baseHeaders, 'www-authenticate': challenge(origin) }, gErr('InvalidAuthenticationToken', message));
    if (!token) return unauthorized('Access token is empty.');
    const auth = await h.identity.verifyAccessToken(token);
    if (typeof auth === 'string') return unauthorized(auth);
    let body: unknown;
    if (raw.length) {
      try { body = JSON.parse(raw.toString()); } catch {
        return send(res, 400, baseHeaders, gErr('BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.'));
      }
    }
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
    const where: Origin = { baseUrl: origin, version, clientRequestId };
    if (rest.toLowerCase() === '/$batch' && method === 'POST') {
      let items: BatchItem[];
      try { items = validateBatch(body); } catch (e) {
        const f = e as { status: number; code: string; message: string };
        return send(res, f.status ?? 400, baseHeaders, gErr(f.code ?? 'BadRequest', f.message));
      }
      return after(200, baseHeaders, await h.graph.batch(items, auth, where));
    }
    const r = await h.graph.run(method, `${rest}${u.search}`, headers, body, auth, requestId, where);
    return after(r.status, { ...baseHeaders, ...(r.headers ?? {}) }, r.body);
  };
}
