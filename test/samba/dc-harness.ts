// Throwaway Samba AD DC for integration tests, benchmarks and the demo: provisioned in a private dir, bound to
// one loopback alias (so several DCs run side by side), started and stopped by PID only.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { promises as dnsp } from 'node:dns';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { seedUsers } from './seed-users';

const run = promisify(execFile);
const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Options for startTestDc; every field has a sensible default so tests can call startTestDc(). */
export interface TestDcOptions {
  ip?: string;
  dir?: string;
  /** Keep the provisioned domain on disk and reuse it next time (demo); stop() then keeps the dir. */
  reuse?: boolean;
  /** Configure a gpg key so `samba-tool user syncpasswords` can recover cleartext passwords. */
  passwordCapture?: boolean;
  realm?: string;
  /** Seed this many realistic users into OU=Staff (with passwords) after the first start. */
  users?: number;
  host?: string;
  /**
   * Provision Samba's internal DNS (SAMBA_INTERNAL), answering on `<ip>:53` for the AD zones (split-brain DNS tests).
   * Off by default: provisioning takes ~10 s instead of ~4 s.
   */
  dns?: boolean;
}

/** What a test needs to talk to the DC; `stop()` kills every process the harness started. */
export interface TestDc {
  ip: string;
  realm: string;
  domainDn: string;
  netbios: string;
  host: string;
  dnsHostName: string;
  url: string;
  caPem: string;
  caFile: string;
  adminDn: string;
  adminUpn: string;
  adminPassword: string;
  dir: string;
  smbConf: string;
  gnupgHome: string | undefined;
  staffOu: string;
  /** `<ip>:53` when provisioned with `dns: true` (Samba's internal DNS, authoritative for the AD zones). */
  dnsServer: string | undefined;
  /**
   * Environment for child processes (samba-tool, kinit) under which this DC's FQDN resolves to its loopback alias
   * (nss_wrapper, as Samba's own test suite does): on a real domain member the DC's DNS does that; here the machine's
   * resolver knows nothing of the test realm, and Kerberos needs the name, not the address.
   */
  nameServiceEnv: Record<string, string>;
  /** PID of the current samba root process (changes on restart). */
  pid: number;
  /** Stops samba (by PID) and starts it again on the same files, e.g. to test reconnects; `downMs` = outage length. */
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A loopback address `127.0.0.<last>`; `OE_TEST_NET` (e.g. `127.0.3`) moves every harness address to another /24, so two
 * checkouts can run their tests side by side without their DCs taking each other's addresses.
 */
export function loopbackIp(last: number): string {
  return `${process.env.OE_TEST_NET ?? '127.0.0'}.${last}`;
}

/** Per-worker default so parallel vitest forks never share a DC address. */
export function defaultTestIp(): string {
  return loopbackIp(20 + Number(process.env.VITEST_POOL_ID ?? 1));
}

/** Turns a DNS realm into its naming-context DN (corp.example.test -> DC=corp,DC=example,DC=test). */
export function realmToDn(realm: string): string {
  return realm.toLowerCase().split('.').map((l) => `DC=${l}`).join(',');
}

/** Adds `ip/32` to `lo` unless present (needs root); daemons that bind only existing addresses need it. */
export async function ensureLoopbackAlias(ip: string): Promise<void> {
  const { stdout } = await run('ip', ['-o', 'addr', 'show', 'dev', 'lo']);
  if (stdout.split('\n').some((l) => l.includes(` ${ip}/`))) return;
  try {
    await run('ip', ['addr', 'add', `${ip}/32`, 'dev', 'lo']);
  } catch (e) {
    // another worker may have added it concurrently
    const again = await run('ip', ['-o', 'addr', 'show', 'dev', 'lo']);
    if (!again.stdout.includes(` ${ip}/`)) throw e;
  }
}

/** Lists a process's descendants from /proc (depth-first), so stop() can reach every samba worker. */
export function descendantPids(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {
      /* process vanished */
    }
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(root);
  return out;
}

/**
 * Whether a process has files of `dir` open: how a samba left behind by a killed run is recognised (samba rewrites
 * its command line to "samba: root process", so the smb.conf path can't be matched there).
 */
function holdsFilesUnder(pid: number, dir: string): boolean {
  try {
    return fs.readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try { return fs.readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith(`${dir}/`); } catch { return false; }
    });
  } catch {
    return false; // gone
  }
}

/** Whether something already accepts TCP connections at host:port (a server left behind by a killed run). */
export function portInUse(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** SIGTERM a process tree by PID, SIGKILL whatever is left after `graceMs`. */
export async function killTree(pid: number, graceMs = 10_000): Promise<void> {
  const all = [pid, ...descendantPids(pid)];
  for (const p of all) {
    try {
      process.kill(p, 'SIGTERM');
    } catch {
      /* gone */
    }
  }
  const deadline = Date.now() + graceMs;
  while (all.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const p of all.filter(alive)) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

async function waitForLdaps(ip: string, caFile: string, serverName: string, child: ChildProcess, logFile: string): Promise<string> {
  const deadline = Date.now() + 60_000;
  let lastErr = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`samba exited during start (see ${logFile})`);
    }
    if (fs.existsSync(caFile)) {
      const caPem = fs.readFileSync(caFile, 'utf8');
      const ok = await new Promise<boolean>((resolve) => {
        const s = tls.connect({ host: ip, port: 636, ca: [caPem], servername: undefined,
          checkServerIdentity: (_h, cert) => tls.checkServerIdentity(serverName, cert) });
        s.once('secureConnect', () => { s.destroy(); resolve(true); });
        s.once('error', (e) => { lastErr = e.message; s.destroy(); resolve(false); });
      });
      if (ok) return caPem;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`LDAPS on ${ip}:636 not ready after 60 s: ${lastErr}`);
}

/** Spawns samba in the foreground (kept as our child), records its PID, and arms a kill-on-exit guard. */
async function launchSamba(smbConf: string, pidFile: string, gnupgHome: string | undefined): Promise<{ child: ChildProcess; logFile: string; kill(): Promise<void> }> {
  const logFile = path.join(path.dirname(pidFile), 'log', 'samba.stdout');
  const logFd = fs.openSync(logFile, 'a');
  const child = spawn('samba', ['-s', smbConf, '--foreground', '--no-process-group', '--debug-stdout'], {
    stdio: ['ignore', logFd, logFd],
    env: { ...process.env, ...(gnupgHome ? { GNUPGHOME: gnupgHome } : {}) },
  });
  fs.closeSync(logFd);
  const pid = child.pid!;
  fs.writeFileSync(pidFile, String(pid));
  // a crashing test worker must not leave a DC behind
  const onExit = (): void => {
    for (const p of [pid, ...descendantPids(pid)]) { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } }
  };
  process.on('exit', onExit);
  return {
    child, logFile,
    async kill() {
      await killTree(pid);
      process.off('exit', onExit);
    },
  };
}

interface Marker { realm: string; host: string; ip: string; passwordCapture: boolean; users: number; dns: boolean }

/**
 * Waits until `server` (`ip:port`) answers the SOA of `zone` — how a DNS server (Samba's, a moment after LDAPS, or
 * BIND's) is known to be up; `died()` returns a reason once the server process has exited, so a crash fails fast.
 */
export async function waitForSoa(server: string, zone: string, opts: { timeoutMs: number; died?: () => string | undefined }): Promise<void> {
  const resolver = new dnsp.Resolver({ timeout: 500, tries: 1 });
  resolver.setServers([server]);
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const dead = opts.died?.();
    if (dead) throw new Error(dead);
    try {
      await resolver.resolveSoa(zone);
      return;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`DNS on ${server} not answering for ${zone} after ${opts.timeoutMs / 1000} s: ${(e as Error).message}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Provisions (or reuses) and starts a Samba AD DC; resolves once LDAPS verifies against the DC's CA. */
export async function startTestDc(opts: TestDcOptions = {}): Promise<TestDc> {
  const ip = opts.ip ?? defaultTestIp();
  const realm = (opts.realm ?? 'CORP.EXAMPLE.TEST').toUpperCase();
  const host = (opts.host ?? 'DC1').toUpperCase();
  const netbios = realm.split('.')[0]!.slice(0, 15);
  const passwordCapture = opts.passwordCapture ?? false;
  const users = opts.users ?? 0;
  const dns = opts.dns ?? false;
  const adminPassword = 'Passw0rd!Admin';
  const dir = path.resolve(opts.dir ?? (opts.reuse
    ? path.join(os.tmpdir(), `openessentials-dc-${ip}`)
    : fs.mkdtempSync(path.join(os.tmpdir(), 'oe-dc-'))));
  const smbConf = path.join(dir, 'etc', 'smb.conf');
  const markerFile = path.join(dir, 'harness.json');
  const want: Marker = { realm, host, ip, passwordCapture, users, dns };
  const domainDn = realmToDn(realm);
  const dnsHostName = `${host.toLowerCase()}.${realm.toLowerCase()}`;

  await ensureLoopbackAlias(ip);

  // a samba left behind by a crashed run of this same dir: stop it by its recorded PID
  const pidFile = path.join(dir, 'samba.fg.pid');
  if (fs.existsSync(pidFile)) {
    const old = Number(fs.readFileSync(pidFile, 'utf8'));
    if (old > 0 && holdsFilesUnder(old, dir)) await killTree(old);
    fs.rmSync(pidFile, { force: true });
  }

  let fresh = true;
  if (opts.reuse && fs.existsSync(markerFile)) {
    const have = JSON.parse(fs.readFileSync(markerFile, 'utf8')) as Marker;
    fresh = JSON.stringify(have) !== JSON.stringify(want);
  }
  if (fresh) {
    try {
      await run('bash', [path.join(HERE, 'provision-dc.sh'), dir, ip, host, realm, netbios, passwordCapture ? '1' : '0', dns ? '1' : '0'],
        { env: { ...process.env, DC_ADMIN_PASSWORD: adminPassword }, maxBuffer: 1 << 24 });
    } catch (e) {
      if (!opts.reuse) fs.rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }
  const gnupgHome = passwordCapture ? path.join(dir, 'gnupg') : undefined;
  const nssHosts = path.join(dir, 'etc', 'nss-hosts');
  fs.writeFileSync(nssHosts, `${ip} ${dnsHostName} ${host.toLowerCase()}\n`);
  const nameServiceEnv = { LD_PRELOAD: 'libnss_wrapper.so', NSS_WRAPPER_HOSTS: nssHosts };

  const caFile = path.join(dir, 'private', 'tls', 'ca.pem');
  // Otherwise LDAPS would answer from the other DC and this samba die unnoticed after start.
  if (await portInUse(ip, 636)) throw new Error(`${ip}:636 is already in use: another DC (e.g. left behind by a killed run) holds this address; stop it first (ss -ltnp)`);
  let current = await launchSamba(smbConf, pidFile, gnupgHome);
  let caPem: string;
  try {
    caPem = await waitForLdaps(ip, caFile, dnsHostName, current.child, current.logFile);
    if (dns) await waitForSoa(`${ip}:53`, realm.toLowerCase(), { timeoutMs: 30_000 });
  } catch (e) {
    await current.kill();
    if (!opts.reuse) fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }

  let stopped = false;
  const dc: TestDc = {
    ip, realm, domainDn, netbios, host, dnsHostName, url: `ldaps://${ip}:636`, caPem, caFile,
    adminDn: `CN=Administrator,CN=Users,${domainDn}`, adminUpn: `Administrator@${realm.toLowerCase()}`,
    adminPassword, dir, smbConf, gnupgHome, staffOu: `OU=Staff,${domainDn}`, pid: current.child.pid!,
    dnsServer: dns ? `${ip}:53` : undefined, nameServiceEnv,
    async restart(downMs = 0) {
      await current.kill();
      if (downMs) await new Promise((r) => setTimeout(r, downMs));
      current = await launchSamba(smbConf, pidFile, gnupgHome);
      dc.pid = current.child.pid!;
      await waitForLdaps(ip, caFile, dnsHostName, current.child, current.logFile);
      if (dns) await waitForSoa(`${ip}:53`, realm.toLowerCase(), { timeoutMs: 30_000 });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await current.kill();
      fs.rmSync(pidFile, { force: true });
      if (gnupgHome) await run('gpgconf', ['--kill', 'gpg-agent'], { env: { ...process.env, GNUPGHOME: gnupgHome } }).catch(() => undefined);
      if (!opts.reuse) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  if (fresh) {
    try {
      if (users > 0) await seedUsers(dc, users);
      fs.writeFileSync(markerFile, JSON.stringify(want));
    } catch (e) {
      await dc.stop();
      throw e;
    }
  }
  return dc;
}

/** The demo domain (127.0.0.2): provisioned once with a few dozen realistic users and password capture, then reused. */
export function startDemoDc(opts: Omit<TestDcOptions, 'reuse'> = {}): Promise<TestDc> {
  return startTestDc({ ip: loopbackIp(2), users: 36, passwordCapture: true, ...opts, reuse: true });
}
