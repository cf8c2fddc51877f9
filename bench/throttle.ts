// bench:throttle — the tenant client creating and updating users against the sandbox tenant under
// Microsoft's documented identity & access limits (time-scaled), then again with 20 % injected faults.
// Last line: {"write_ceiling_ratio":…,"http_429":…,"duplicates":…,"lost_writes":…,"faulted_ratio":…}
import { MemorySecretStore } from '../electron/stores/secret-store';
import { generateAppCertificate } from '../electron/tenant/certificate';
import { TenantClient } from '../electron/tenant/tenant-client';
import { TenantError } from '../electron/tenant/tenant-errors';
import type { FaultRule } from '../test/sandbox-tenant/faults';
import { startSandboxTenant, type SandboxTenant } from '../test/sandbox-tenant/sandbox';

const TIME_SCALE = Number(process.env.BENCH_TIME_SCALE ?? 5);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 12);
const WINDOW_S = 150 / TIME_SCALE; // the 3,000-writes window, scaled
const CEILING_PER_S = (3000 / 150) * TIME_SCALE;

interface RunResult { accepted: number; seconds: number; ratio: number; http429: number; duplicates: number; lost: number; faultedRatio: number; errors: Record<string, number> }

async function client(sb: SandboxTenant, name: string): Promise<TenantClient> {
  const cert = generateAppCertificate(name);
  const reg = await sb.control.registerApplication({
    displayName: name, certificateDerBase64: cert.keyCredential.key, appRoles: ['User.ReadWrite.All', 'Organization.Read.All'], directoryRoles: [],
  });
  const secrets = new MemorySecretStore();
  await secrets.set('k', cert.privateKeyPem);
  return new TenantClient({
    endpoints: { authorityHost: sb.url, graphBaseUrl: sb.url, caPem: sb.caPem, authorityMetadata: sb.authorityMetadata },
    tenantId: sb.tenantId, clientId: reg.appId,
    retry: { maxTransientRetries: 10, maxThrottleRetries: 10_000, baseDelayMs: 20, maxDelayMs: 1000 },
    credential: { kind: 'certificate', thumbprintSha256: cert.thumbprintSha256, certificatePem: cert.certificatePem, privateKeySecretName: 'k', secrets },
  });
}

async function run(sb: SandboxTenant, label: string, windows: number, faults: FaultRule[]): Promise<RunResult> {
  const c = await client(sb, `bench-${label}`);
  await c.getOrganization(); // token + warm-up, outside the measured span
  await sb.control.setFaults({ rules: faults, seed: 42 });
  await sb.control.clearActions();
  const durationMs = windows * WINDOW_S * 1000;
  const acked = new Map<string, { id: string; title: string }>(); // upn → last acknowledged state
  const ownCreates = new Map<string, string>();
  const errors: Record<string, number> = {};
  let failedOps = 0, seq = 0;
  const t0 = Date.now();
  const worker = async (w: number) => {
    let mine: { upn: string; id: string }[] = [];
    while (Date.now() - t0 < durationMs) {
      const n = seq++;
      try {
        if (mine.length === 0 || n % 2 === 0) {
          const upn = `b-${label}-${w}-${n}@contoso.com`;
          const u = await c.createUser({ userPrincipalName: upn, displayName: `Bench ${n}`, mailNickname: `b-${label}-${w}-${n}`, password: `Bench-Pa55-${n}!x`, onPremisesImmutableId: Buffer.from(upn).toString('base64') });
          ownCreates.set(upn, u.id!);
          acked.set(upn, { id: u.id!, title: '' });
          mine.push({ upn, id: u.id! });
          if (mine.length > 20) mine = mine.slice(-20);
        } else {
          const target = mine[n % mine.length]!;
          const title = `v${n}`;
          await c.updateUser(target.id, { jobTitle: title });
          acked.set(target.upn, { id: target.id, title });
        }
      } catch (e) {
        failedOps++;
        const code = e instanceof TenantError ? e.code : 'other';
        errors[code] = (errors[code] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
  const elapsed = (Date.now() - t0) / 1000;
  const stats = await sb.control.faultStats();
  await sb.control.setFaults({ rules: [] });
  const actions = await sb.control.actions();
  const ok = actions.filter((a) => a.appId === c.config.clientId && a.status < 300 && Date.parse(a.at) - t0 <= durationMs);
  const accepted = ok.length;
  // Duplicates: more than one successful create for the same intended account, or an own create reported as a conflict.
  const creates = new Map<string, number>();
  for (const a of ok.filter((x) => x.method === 'POST')) {
    const upn = String((a.body as { userPrincipalName?: string }).userPrincipalName);
    creates.set(upn, (creates.get(upn) ?? 0) + 1);
  }
  const duplicates = [...creates.values()].reduce((s, v) => s + Math.max(0, v - 1), 0) + (errors['upn-conflict'] ?? 0) + (errors['immutable-id-conflict'] ?? 0);
  // Lost writes: acknowledged state missing from the tenant, plus operations that gave up.
  const users = new Map((await sb.control.listUsers()).map((u) => [String(u.userPrincipalName), u]));
  let lost = failedOps;
  for (const [upn, want] of acked) {
    const u = users.get(upn);
    if (!u || u.id !== want.id || (want.title && u.jobTitle !== want.title)) lost++;
  }
  const seconds = durationMs / 1000;
  const result: RunResult = {
    accepted, seconds, ratio: accepted / (CEILING_PER_S * seconds), http429: c.stats.throttled, duplicates, lost,
    faultedRatio: stats.requests ? stats.faulted / stats.requests : 0, errors,
  };
  console.log(`${label}: ${accepted} writes accepted in ${seconds.toFixed(1)} s (ceiling ${CEILING_PER_S}/s, ran ${elapsed.toFixed(1)} s), ` +
    `ratio ${result.ratio.toFixed(3)}, 429s seen ${result.http429}, transient retries ${c.stats.transient}, recovered by probe ${c.stats.recoveredByProbe}, ` +
    `duplicates ${duplicates}, lost ${lost}, faulted ${(result.faultedRatio * 100).toFixed(1)} % of ${stats.requests} requests, errors ${JSON.stringify(errors)}`);
  return result;
}

const FAULTS_20: FaultRule[] = [
  { path: '^/v1.0/users', rate: 0.05, kind: 'status', status: 500, phase: 'after' },
  { path: '^/v1.0/users', rate: 0.04, kind: 'reset', phase: 'after' },
  { path: '^/v1.0/users', rate: 0.04, kind: 'status', status: 503, retryAfterSec: 0.2 },
  { path: '^/v1.0/users', rate: 0.04, kind: 'status', status: 504 },
  { path: '^/v1.0/users', rate: 0.03, kind: 'reset' },
];

const sb = await startSandboxTenant({ timeScale: TIME_SCALE });
try {
  console.log(`sandbox ${sb.url}, time scale ${TIME_SCALE} (write window ${WINDOW_S} s), ${WORKERS} workers`);
  const clean = await run(sb, 'clean', Number(process.env.BENCH_WINDOWS ?? 2), []);
  await sb.control.setThrottle({ timeScale: TIME_SCALE }); // fresh windows for the faulted run
  // Fault rates compound over a rule list; scale so the overall share is ~20 %.
  const faulted = await run(sb, 'faulted', 1, FAULTS_20.map((r, i) => ({ ...r, rate: r.rate / (1 - FAULTS_20.slice(0, i).reduce((s, x) => s + x.rate, 0)) })));
  console.log(JSON.stringify({
    write_ceiling_ratio: Number(clean.ratio.toFixed(4)), http_429: clean.http429 + faulted.http429,
    duplicates: clean.duplicates + faulted.duplicates, lost_writes: clean.lost + faulted.lost, faulted_ratio: Number(faulted.faultedRatio.toFixed(4)),
  }));
} finally {
  await sb.stop();
}
