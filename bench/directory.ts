// Directory benchmark against real Samba AD DCs (127.0.0.3): detection latency from a committed write to the change
// event (attribute, disable, delete) or captured password, and a paged read of 10,000 users (time, peak RSS).
// Last output line: one JSON object (see the issue). Run: npm run bench:directory -- [--changes=100] [--users=10000]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loopbackIp, startTestDc, descendantPids, type TestDc } from '../test/samba/dc-harness';
import { seedUsers } from '../test/samba/seed-users';
import { DirectoryClient, type DirectoryConfig } from '../electron/directory/directory-client';
import { ChangeFeed, type ChangeEvent } from '../electron/directory/change-feed';
import { SambaPasswordCapture } from '../electron/directory/samba-password-capture';

const arg = (name: string, def: number): number => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const CHANGES = arg('changes', 100);
const USERS = arg('users', 10_000);
const IP = loopbackIp(3);
const log = (...a: unknown[]): void => console.error('[bench]', ...a);

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! * 10) / 10 : NaN;
};
const cfgFor = (dc: TestDc): DirectoryConfig => ({ url: dc.url, bindUpn: dc.adminUpn, password: dc.adminPassword, tls: { caPem: dc.caPem, serverName: dc.dnsHostName } });

/** CPU seconds used so far by the DC's process tree (to show what polling costs the DC). */
function dcCpuSeconds(dc: TestDc): number {
  let ticks = 0;
  for (const p of [dc.pid, ...descendantPids(dc.pid)]) {
    try {
      const st = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch { /* exited */ }
  }
  return ticks / 100;
}

/** Waits for events by predicate; records arrival time with a monotonic clock. */
class Waiter<T> {
  private pending: { pred: (e: T) => boolean; resolve: (at: number) => void }[] = [];
  push(e: T): void {
    const at = performance.now();
    for (const w of [...this.pending]) if (w.pred(e)) { this.pending.splice(this.pending.indexOf(w), 1); w.resolve(at); }
  }
  wait(pred: (e: T) => boolean, timeoutMs = 10_000): Promise<number> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('event not seen within 10 s')), timeoutMs);
      this.pending.push({ pred, resolve: (at) => { clearTimeout(t); resolve(at); } });
    });
  }
}

async function readBench(): Promise<{ ms: number; rssPeakMb: number; count: number }> {
  const dc = await startTestDc({ ip: IP });
  try {
    const t0 = Date.now();
    const ou = await seedUsers(dc, USERS, { ou: 'Bulk', passwords: false, connections: 3 });
    log(`seeded ${USERS} users in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const client = new DirectoryClient(cfgFor(dc));
    await client.baseDn();
    global.gc?.();
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 5);
    const start = performance.now();
    let count = 0;
    for await (const page of client.listUsers({ baseDn: ou, pageSize: 1000 })) count += page.length;
    const ms = performance.now() - start;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    await client.close();
    if (count !== USERS) throw new Error(`read ${count} users, expected ${USERS}`);
    return { ms: Math.round(ms), rssPeakMb: Math.round(peak / 1048576), count };
  } finally {
    await dc.stop();
  }
}

async function detectBench(): Promise<{ p50: Record<string, number>; p95: Record<string, number>; compare: Record<string, unknown> }> {
  const dc = await startTestDc({ ip: IP, passwordCapture: true });
  const admin = new DirectoryClient(cfgFor(dc));
  const feedClient = new DirectoryClient(cfgFor(dc));
  const events = new Waiter<ChangeEvent>();
  const passwords = new Waiter<{ objectGuid: string; password: string }>();
  const capture = new SambaPasswordCapture({ smbConf: dc.smbConf, gnupgHome: dc.gnupgHome!, stateDir: path.join(dc.dir, 'pwcapture'), onError: (e) => log('capture:', e.message) });
  const feed = new ChangeFeed(feedClient, { wake: 'notify', skipInitial: true, onError: (e) => log('feed:', e.code) });
  const lat: Record<string, number[]> = { attribute: [], disable: [], delete: [], password: [] };
  try {
    const ou = await admin.ensureOu(dc.domainDn, 'Bench');
    const guids: string[] = [];
    for (let i = 0; i < CHANGES; i++) {
      guids.push((await admin.createUser({ parentDn: ou, sAMAccountName: `bench.${i}`, password: `Bench-${i}-Start!` })).objectGuid);
    }
    log(`created ${CHANGES} users`);
    // syncpasswords' first pass delivers every existing password: let it drain before measuring
    const initial = new Set<string>();
    await capture.start((e) => { initial.add(e.objectGuid); passwords.push(e); });
    const drainStart = Date.now();
    while (guids.some((g) => !initial.has(g)) && Date.now() - drainStart < 120_000) await new Promise((r) => setTimeout(r, 50));
    log(`password capture initial pass: ${initial.size} accounts in ${Date.now() - drainStart} ms`);
    await feed.start((b) => b.events.forEach((e) => events.push(e)));

    const measure = async (kind: string, write: (i: number) => Promise<unknown>, wait: (i: number) => Promise<number>): Promise<void> => {
      for (let i = 0; i < CHANGES; i++) {
        const seen = wait(i);
        await write(i);
        const done = performance.now();
        lat[kind]!.push(Math.max(0, (await seen) - done));
      }
      log(`${kind}: p50 ${pct(lat[kind]!, 50)} ms, p95 ${pct(lat[kind]!, 95)} ms, max ${pct(lat[kind]!, 100)} ms`);
    };
    await measure('attribute', (i) => admin.updateUser(guids[i]!, { title: `Title ${i}` }),
      (i) => events.wait((e) => e.objectGuid === guids[i] && e.attributes.title?.[0] === `Title ${i}`));
    await measure('password', (i) => admin.resetPassword(guids[i]!, `Bench-${i}-Reset!`),
      (i) => passwords.wait((e) => e.objectGuid === guids[i] && e.password === `Bench-${i}-Reset!`));
    await measure('disable', (i) => admin.setEnabled(guids[i]!, false),
      (i) => events.wait((e) => e.objectGuid === guids[i] && e.enabled === false));
    await measure('delete', (i) => admin.deleteObject(guids[i]!),
      (i) => events.wait((e) => e.objectGuid === guids[i] && e.kind === 'delete'));
    await feed.stop();
    await capture.stop();

    // the alternative wake-up, for the design choice: uSN poll every 100 ms (attribute changes, same DC)
    const compare: Record<string, unknown> = {};
    const probe = await admin.createUser({ parentDn: ou, sAMAccountName: 'bench.probe', password: 'Bench-Probe-0!' });
    for (const [name, opts] of [['notify', { wake: 'notify' as const }], ['poll100', { wake: 'poll' as const, pollMs: 100 }]] as const) {
      const f = new ChangeFeed(feedClient, { ...opts, skipInitial: true });
      await f.start((b) => b.events.forEach((e) => events.push(e)));
      const xs: number[] = [];
      for (let i = 0; i < Math.min(CHANGES, 50); i++) {
        await new Promise((r) => setTimeout(r, Math.random() * 150)); // don't phase-lock writes to the poll tick
        const seen = events.wait((e) => e.objectGuid === probe.objectGuid && e.attributes.department?.[0] === `${name}-${i}`);
        await admin.updateUser(probe.objectGuid, { department: `${name}-${i}` });
        const done = performance.now();
        xs.push((await seen) - done);
      }
      const cpu0 = dcCpuSeconds(dc);
      await new Promise((r) => setTimeout(r, 10_000));
      const idleCpu = dcCpuSeconds(dc) - cpu0;
      await f.stop();
      compare[name] = { p50_ms: pct(xs, 50), p95_ms: pct(xs, 95), dc_cpu_s_per_idle_min: Math.round(idleCpu * 6 * 100) / 100 };
      log(`wake ${name}:`, compare[name]);
    }
    const round = (k: number): Record<string, number> => Object.fromEntries(Object.entries(lat).map(([n, xs]) => [n, pct(xs, k)]));
    return { p50: round(50), p95: round(95), compare };
  } finally {
    await feed.stop().catch(() => undefined);
    await capture.stop().catch(() => undefined);
    await admin.close();
    await feedClient.close();
    await dc.stop();
  }
}

async function main(): Promise<void> {
  const detect = await detectBench();
  const read = await readBench();
  console.log(`wake-up comparison: ${JSON.stringify(detect.compare)}`);
  console.log(JSON.stringify({
    detect_p95_ms: detect.p95, detect_p50_ms: detect.p50, read_10k_ms: read.ms, rss_peak_mb: read.rssPeakMb,
    changes_per_kind: CHANGES, users_read: read.count, wake_compare: detect.compare,
  }));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? `${e.name}: ${e.message}` : e);
  process.exit(1);
});
