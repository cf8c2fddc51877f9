// Composition of the sandbox tenant: state (and its file), the Graph service, the identity endpoints, the
// control API and the HTTPS server in front of them.
import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createControl, type SandboxControl } from './control';
import { FaultInjector } from './faults';
import { errorBody, newRequestId, type ExchangeRecord, type RecordedAction, type SandboxContext } from './graph-core';
import { GraphService, type Origin } from './graph-service';
import { createHandler } from './http-server';
import { Identity } from './identity';
import { StateFile, type Persisted } from './persistence';
import { ensureGraphServicePrincipal } from './routes-apps';
import { buildState, migrateState, type SandboxSeed } from './state';
import { generateSandboxTls } from './tls';
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

/** Microsoft's public host names, in the certificate too: a plain TLS proxy can then carry them to the sandbox. */
export const MICROSOFT_HOSTS = ['login.microsoftonline.com', 'graph.microsoft.com', 'login.windows.net', 'login.microsoft.com'];

/** Start the Microsoft 365 emulator on HTTPS with its own CA. */
export async function startSandboxTenant(opts: SandboxOptions = {}): Promise<SandboxTenant> {
  const host = opts.host ?? '127.0.0.1';
  const file = new StateFile(opts.stateFile);
  const persisted: Persisted = file.load() ?? (() => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return {
      state: buildState(opts.seed, new Date()), tls: generateSandboxTls([host, 'localhost', '127.0.0.1', ...MICROSOFT_HOSTS]),
      signingKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      controlSecret: opts.controlSecret ?? randomBytes(24).toString('base64url'), seed: opts.seed,
    };
  })();
  migrateState(persisted.state);
  ensureGraphServicePrincipal(persisted.state);
  const actions: RecordedAction[] = [];
  const exchanges: ExchangeRecord[] = [];
  const throttler = new Throttler(opts.timeScale ?? 1);
  const faults = new FaultInjector();
  let listenUrl = '';
  const ctxBase = { replicationDelayMs: 0, createdAt: new Map<string, number>(), dnsServers: opts.dnsServers ?? [] };
  // The sandbox's own clock (advanceClock moves it); every timestamp the tenant writes comes from here.
  const now = () => new Date(Date.now() + persisted.state.clockOffsetMs);
  const mkCtx = (o: Origin = { baseUrl: listenUrl, version: 'v1.0' }): SandboxContext => ({
    state: persisted.state, baseUrl: o.baseUrl, root: `${o.baseUrl}/${o.version}`,
    replicationDelayMs: ctxBase.replicationDelayMs, createdAt: ctxBase.createdAt, dnsServers: ctxBase.dnsServers, now,
    changed: (id, removed) => { persisted.state.changeLog.push({ seq: ++persisted.state.seq, id, removed }); },
  });
  const persist = () => file.markDirty();
  const flush = () => file.flush(persisted);
  const identity = new Identity(() => persisted.state, () => listenUrl, createPrivateKey(persisted.signingKeyPem), now);
  const graph = new GraphService({ ctx: mkCtx, throttler, actions, exchanges, wrote: persist });

  const control = createControl({
    ctx: () => mkCtx(),
    setReplicationDelay: (ms) => { ctxBase.replicationDelayMs = ms; },
    setDnsServers: (servers) => { ctxBase.dnsServers = servers; },
    reseed: (seed) => {
      const tenantId = seed?.tenantId ?? persisted.state.tenantId;
      persisted.state = buildState({ ...(seed ?? {}), tenantId }, now());
      persisted.seed = seed;
      ensureGraphServicePrincipal(persisted.state);
    },
    actions, exchanges, throttler, faults, identity, graph,
    // Control writes are saved at once too: a test that seeded and then killed the sandbox finds its seed.
    persist: () => { persist(); flush(); },
    lastSeed: () => persisted.seed,
  });

  const handle = createHandler({
    controlSecret: () => persisted.controlSecret, control, faults, identity, graph, now, flush, identityWrote: persist,
  }, () => listenUrl);
  const server = createServer({ key: persisted.tls.keyPem, cert: `${persisted.tls.certPem}${persisted.tls.caPem}` }, (req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify(errorBody('generalException', `Sandbox error: ${(e as Error).message}`, newRequestId(), now())));
      }
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(opts.port ?? 0, host, () => resolve()); });
  const port = (server.address() as AddressInfo).port;
  listenUrl = `https://${host}:${port}`;
  file.write(persisted);
  return {
    url: listenUrl,
    get tenantId() { return persisted.state.tenantId; },
    caPem: persisted.tls.caPem,
    graphBaseUrl: `${listenUrl}/v1.0`,
    get authorityUrl() { return `${listenUrl}/${persisted.state.tenantId}`; },
    get authorityMetadata() { return JSON.stringify(identity.metadata(listenUrl, persisted.state.tenantId)); },
    controlSecret: persisted.controlSecret,
    control,
    async stop() {
      file.write(persisted);
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
