import { createPrivateKey, generateKeyPairSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { createServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createControl, type SandboxControl } from './control';
import { FaultInjector, type FaultRule } from './faults';
import { errorBody, newRequestId, type ExchangeRecord, type GraphResponse, type RecordedAction, type SandboxContext } from './graph-core';
import { Identity, type HttpReply } from './identity';
import { dispatch, splitUrl, validateBatch, type BatchItem } from './router';
import { ensureGraphServicePrincipal } from './routes-apps';
import { buildState, type SandboxSeed, type TenantState } from './state';
import { generateSandboxTls, type SandboxTls } from './tls';
import { Throttler } from './throttle';

/** Options for starting the emulator. */
export interface SandboxOptions {
  port?: number;
  host?: string;
  stateFile?: string;
  timeScale?: number;
  seed?: SandboxSeed;
  /** Secret for /_control over HTTPS; random when absent. */
  controlSecret?: string;
  /** DNS servers domain verification resolves through (tests: the BIND harness); none = nothing can be verified. */
  dnsServers?: string[];
}

/** A running sandbox tenant. */
export interface SandboxTenant {
  url: string;
  tenantId: string;
  caPem: string;
  graphBaseUrl: string;
  authorityUrl: string;
  /** OIDC metadata JSON (pass to MSAL as authorityMetadata to skip discovery). */
  authorityMetadata: string;
  controlSecret: string;
  control: SandboxControl;
  stop(): Promise<void>;
}

interface Persisted { state: TenantState; tls: SandboxTls; signingKeyPem: string; controlSecret: string; seed?: SandboxSeed }

const WRITE = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

function redact(body: unknown): unknown {
  if (!body || typeof body !== 'object') return body;
  const copy = structuredClone(body) as Record<string, unknown>;
  const pp = copy.passwordProfile as Record<string, unknown> | undefined;
  if (pp && 'password' in pp) pp.password = '[REDACTED]';
  return copy;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Start the Microsoft 365 emulator on HTTPS with its own CA. */
export async function startSandboxTenant(opts: SandboxOptions = {}): Promise<SandboxTenant> {
  const host = opts.host ?? '127.0.0.1';
  let persisted: Persisted;
  if (opts.stateFile && existsSync(opts.stateFile)) {
    persisted = JSON.parse(readFileSync(opts.stateFile, 'utf8')) as Persisted;
  } else {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    persisted = {
      state: buildState(opts.seed, new Date()), tls: generateSandboxTls([host, 'localhost', '127.0.0.1']),
      signingKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      controlSecret: opts.controlSecret ?? randomBytes(24).toString('base64url'), seed: opts.seed,
    };
  }
  ensureGraphServicePrincipal(persisted.state);
  const actions: RecordedAction[] = [];
  const exchanges: ExchangeRecord[] = [];
  const throttler = new Throttler(opts.timeScale ?? 1);
  const faults = new FaultInjector();
  let baseUrl = '';
  const ctxBase = { replicationDelayMs: 0, createdAt: new Map<string, number>(), dnsServers: opts.dnsServers ?? [] };
  const mkCtx = (): SandboxContext => ({
    state: persisted.state, baseUrl, replicationDelayMs: ctxBase.replicationDelayMs, createdAt: ctxBase.createdAt, dnsServers: ctxBase.dnsServers,
    now: () => new Date(Date.now() + persisted.state.clockOffsetMs),
    changed: (id, removed) => { persisted.state.changeLog.push({ seq: ++persisted.state.seq, id, removed }); },
  });
  let saveTimer: NodeJS.Timeout | undefined;
  const saveNow = () => {
    if (!opts.stateFile) return;
    writeFileSync(`${opts.stateFile}.tmp`, JSON.stringify(persisted));
    renameSync(`${opts.stateFile}.tmp`, opts.stateFile);
  };
  const persist = () => {
    if (!opts.stateFile || saveTimer) return;
    saveTimer = setTimeout(() => { saveTimer = undefined; saveNow(); }, 200);
  };
  const identity = new Identity(() => persisted.state, '', createPrivateKey(persisted.signingKeyPem));

  const control = createControl({
    ctx: mkCtx,
    setReplicationDelay: (ms) => { ctxBase.replicationDelayMs = ms; },
    setDnsServers: (servers) => { ctxBase.dnsServers = servers; },
    reseed: (seed) => {
      const tenantId = seed?.tenantId ?? persisted.state.tenantId;
      persisted.state = buildState({ ...(seed ?? {}), tenantId }, new Date());
      persisted.seed = seed;
      ensureGraphServicePrincipal(persisted.state);
    },
    actions, exchanges, throttler, faults, persist, lastSeed: () => persisted.seed,
  });

  function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
    const text = typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body);
    const h: Record<string, string> = { ...headers };
    if (typeof body === 'object' && body !== undefined && !h['content-type']) h['content-type'] = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
    res.writeHead(status, h);
    res.end(text);
  }

  /** One Graph request (outer or inner): throttle, dispatch, record. */
  async function runGraph(method: string, url: string, headers: Record<string, string>, body: unknown, auth: NonNullable<Awaited<ReturnType<Identity['verifyAccessToken']>>> & object, requestId: string): Promise<GraphResponse> {
    const { path, query } = splitUrl(url);
    const ctx = mkCtx();
    const t = throttler.check(auth.appId, auth.tenantId, ctx.state.users.length, method, path, query);
    if (t.hit) {
      return {
        status: 429,
        headers: {
          'retry-after': t.hit.retryAfterSec.toFixed(3), 'x-ms-throttle-scope': t.hit.scope, 'x-ms-throttle-information': t.hit.information,
          'x-ms-resource-unit': String(t.cost),
        },
        body: errorBody('TooManyRequests', 'Please retry again later.', requestId, ctx.now()),
      };
    }
    const result = path === '/$batch'
      ? { status: 400, body: errorBody('BadRequest', 'Nested batch requests are not supported.', requestId, ctx.now()) }
      : await dispatch({ method, path, query, headers, body, auth, requestId }, ctx);
    result.headers = { ...(result.headers ?? {}), 'x-ms-resource-unit': String(t.cost) };
    if (WRITE.has(method)) {
      actions.push({
        at: ctx.now().toISOString(), method, path, status: result.status, appId: auth.appId, actor: auth.userId ?? auth.appId,
        ...(ctx.target ? { target: ctx.target } : {}), ...(body !== undefined ? { body: redact(body) } : {}),
      });
      if (actions.length > 100_000) actions.splice(0, actions.length - 100_000);
      persist();
    }
    exchanges.push({ method, path, status: result.status, requestBody: redact(body), responseBody: result.body });
    if (exchanges.length > 20000) exchanges.splice(0, exchanges.length - 20000);
    return result;
  }

  async function runBatch(items: BatchItem[], auth: Parameters<typeof runGraph>[4]): Promise<unknown> {
    const done = new Map<string, number>();
    const responses: unknown[] = [];
    for (const it of items) {
      const rid = newRequestId();
      const failedDep = (it.dependsOn ?? []).find((d) => (done.get(d) ?? 424) >= 400);
      let r: GraphResponse;
      if (failedDep) {
        r = { status: 424, body: errorBody('BadRequest', 'Failed dependency', rid, new Date()) };
      } else {
        const hdrs = Object.fromEntries(Object.entries(it.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
        r = await runGraph(it.method.toUpperCase(), it.url, hdrs, it.body, auth, rid);
      }
      done.set(it.id, r.status);
      responses.push({ id: it.id, status: r.status, headers: { 'content-type': 'application/json', ...(r.headers ?? {}) }, ...(r.body !== undefined ? { body: r.body } : {}) });
    }
    return { responses };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', baseUrl);
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = await readBody(req);
    const requestId = newRequestId();
    const baseHeaders = { 'request-id': requestId, 'client-request-id': String(req.headers['client-request-id'] ?? requestId) };

    if (u.pathname.startsWith('/_control/')) {
      const secret = String(req.headers['x-sandbox-control-secret'] ?? '');
      const ok = secret.length === persisted.controlSecret.length && timingSafeEqual(Buffer.from(secret), Buffer.from(persisted.controlSecret));
      if (!ok) return send(res, 401, {}, { error: 'control secret required' });
      const name = u.pathname.slice('/_control/'.length) as keyof SandboxControl;
      const fn = control[name] as ((...a: unknown[]) => Promise<unknown>) | undefined;
      if (typeof fn !== 'function') return send(res, 404, {}, { error: 'unknown control method' });
      try {
        const args = raw.length ? (JSON.parse(raw.toString()) as { args?: unknown[] }).args ?? [] : [];
        const out = await fn(...args);
        return send(res, 200, {}, { result: out ?? null });
      } catch (e) { return send(res, 400, {}, { error: (e as Error).message }); }
    }

    const fault: FaultRule | undefined = u.pathname === '/' ? undefined : faults.pick(method, u.pathname);
    if (fault?.kind === 'slow') await sleep(fault.delayMs ?? 2000);
    if (fault && fault.phase !== 'after') {
      if (fault.kind === 'reset') { req.socket.destroy(); return; }
      if (fault.kind === 'status') {
        const st = fault.status ?? 503;
        const code = st === 429 ? 'TooManyRequests' : st === 503 ? 'serviceNotAvailable' : st === 504 ? 'UnknownError' : 'generalException';
        const msg = st === 429 ? 'Please retry again later.' : st === 503 ? 'Service Unavailable' : 'An internal server error occurred.';
        return send(res, st, { ...baseHeaders, ...(st === 429 || st === 503 ? { 'retry-after': String(fault.retryAfterSec ?? 1) } : {}) }, errorBody(code, msg, requestId, new Date()));
      }
    }
    const after = async (status: number, headers: Record<string, string>, body: unknown) => {
      if (fault && fault.phase === 'after') {
        if (fault.kind === 'reset') { req.socket.destroy(); return; }
        if (fault.kind === 'status') {
          return send(res, fault.status ?? 500, baseHeaders, errorBody('generalException', 'An internal server error occurred.', requestId, new Date()));
        }
      }
      send(res, status, headers, body);
    };

    const seg = u.pathname.split('/').filter(Boolean);
    if (seg[0] !== 'v1.0' && seg.length >= 2) {
      const reply: HttpReply | undefined = await identity.handle(method, decodeURIComponent(seg[0]!), seg.slice(1).join('/'), u.searchParams, new URLSearchParams(raw.toString()));
      if (reply) { persist(); return after(reply.status, { ...baseHeaders, ...(reply.headers ?? {}) }, reply.body); }
    }
    if (seg[0] !== 'v1.0') return send(res, 404, baseHeaders, { error: 'not found' });

    const authz = String(req.headers.authorization ?? '');
    const token = /^Bearer\s+(.+)$/i.exec(authz)?.[1];
    if (!token) return send(res, 401, baseHeaders, errorBody('InvalidAuthenticationToken', 'Access token is empty.', requestId, new Date()));
    const auth = await identity.verifyAccessToken(token);
    if (typeof auth === 'string') return send(res, 401, baseHeaders, errorBody('InvalidAuthenticationToken', auth, requestId, new Date()));
    let body: unknown;
    if (raw.length) {
      try { body = JSON.parse(raw.toString()); } catch {
        return send(res, 400, baseHeaders, errorBody('BadRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.', requestId, new Date()));
      }
    }
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
    const rel = `${u.pathname.slice('/v1.0'.length)}${u.search}`;
    if (u.pathname === '/v1.0/$batch' && method === 'POST') {
      let items: BatchItem[];
      try { items = validateBatch(body); } catch (e) {
        const f = e as { status: number; code: string; message: string };
        return send(res, f.status ?? 400, baseHeaders, errorBody(f.code ?? 'BadRequest', f.message, requestId, new Date()));
      }
      return after(200, baseHeaders, await runBatch(items, auth));
    }
    const r = await runGraph(method, rel, headers, body, auth, requestId);
    return after(r.status, { ...baseHeaders, ...(r.headers ?? {}) }, r.body);
  }

  const server = createServer({ key: persisted.tls.keyPem, cert: `${persisted.tls.certPem}${persisted.tls.caPem}` }, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, {}, errorBody('generalException', `Sandbox error: ${(e as Error).message}`, newRequestId(), new Date()));
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(opts.port ?? 0, host, () => resolve()); });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `https://${host}:${port}`;
  (identity as unknown as { baseUrl: string }).baseUrl = baseUrl;
  saveNow();
  return {
    url: baseUrl,
    get tenantId() { return persisted.state.tenantId; },
    caPem: persisted.tls.caPem,
    graphBaseUrl: `${baseUrl}/v1.0`,
    get authorityUrl() { return `${baseUrl}/${persisted.state.tenantId}`; },
    get authorityMetadata() { return JSON.stringify(identity.metadata()); },
    controlSecret: persisted.controlSecret,
    control,
    async stop() {
      if (saveTimer) { clearTimeout(saveTimer); saveTimer = undefined; }
      saveNow();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
