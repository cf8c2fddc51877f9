// A throwaway BIND 9 for tests and the demo: it plays a domain's public DNS host (the "registrar"), authoritative for
// a few zones and accepting RFC 2136 updates signed with a TSIG key. Private dir, one loopback alias, started in the
// foreground and stopped by PID, like the DC harness.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { descendantPids, ensureLoopbackAlias, killTree, loopbackIp, portInUse, waitForSoa } from '../samba/dc-harness';

/** A zone the server is primary for; `records` are zone-file lines relative to the apex (`@ MX 10 mail`, …). */
export interface BindZone {
  name: string;
  records?: string[];
}

/** Options for startTestBind; only the zones are required. */
export interface TestBindOptions {
  zones: (BindZone | string)[];
  /** Default `loopbackIp(50 + VITEST_POOL_ID)`. */
  ip?: string;
  port?: number;
  dir?: string;
  /** Name of the TSIG key allowed to update every zone (default `oe-update`). */
  keyName?: string;
}

/** A TSIG key as an admin would copy it from the DNS host's panel. */
export interface TestTsigKey {
  name: string;
  algorithm: 'hmac-sha256';
  secret: string;
}

/** A running BIND; `stop()` kills it by PID and removes its dir. */
export interface TestBind {
  ip: string;
  port: number;
  /** `ip:port`, for `Resolver.setServers` and the sandbox's verification resolver. */
  server: string;
  dir: string;
  zones: string[];
  /** May update every zone (`update-policy { grant <key> zonesub ANY; }`). */
  updateKey: TestTsigKey;
  /** Known to the server but granted nothing: updates signed with it are REFUSED. */
  readOnlyKey: TestTsigKey;
  pid: number;
  /** Changes records as the domain's admin would at the DNS host (nsupdate with the update key). */
  update(commands: string[]): Promise<void>;
  /** The one shell command an admin runs to apply `commands` (printed by the demo; key file inside `dir`). */
  updateCommand(commands: string[]): string;
  stop(): Promise<void>;
}

/** Per-worker default address so parallel vitest forks never share a BIND. */
export function defaultBindIp(): string {
  return loopbackIp(50 + Number(process.env.VITEST_POOL_ID ?? 1));
}

const newKey = (name: string): TestTsigKey => ({ name, algorithm: 'hmac-sha256', secret: randomBytes(32).toString('base64') });
const keyClause = (k: TestTsigKey): string => `key "${k.name}" { algorithm ${k.algorithm}; secret "${k.secret}"; };\n`;

function zoneFile(zone: BindZone, ip: string): string {
  return [
    '$TTL 3600',
    `@ IN SOA ns1.${zone.name}. hostmaster.${zone.name}. ( 1 3600 600 86400 300 )`,
    `@ IN NS ns1.${zone.name}.`,
    `ns1 IN A ${ip}`,
    ...(zone.records ?? []),
    '',
  ].join('\n');
}

function namedConf(dir: string, ip: string, port: number, zones: BindZone[], keys: TestTsigKey[]): string {
  const [update] = keys;
  return `options {
\tdirectory "${dir}";
\tpid-file "${dir}/named.pid";
\tsession-keyfile "${dir}/session.key";
\tmanaged-keys-directory "${dir}";
\tlisten-on port ${port} { ${ip}; };
\tlisten-on-v6 { none; };
\trecursion no;
\tdnssec-validation no;
\tnotify no;
\tallow-query { any; };
};
controls { };
logging {
\tchannel main { file "${dir}/named.log"; severity info; print-time yes; print-category yes; };
\tcategory default { main; };
};
${keys.map(keyClause).join('')}${zones.map((z) => `zone "${z.name}" { type primary; file "${z.name}.zone"; update-policy { grant ${update!.name} zonesub ANY; }; };\n`).join('')}`;
}

/** nsupdate with a key file and the script on stdin; rejects with nsupdate's own words. */
function runNsupdate(keyFile: string, script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = execFile('nsupdate', ['-k', keyFile, '-t', '5'], (err, _out, stderr) => {
      if (err) reject(new Error(`nsupdate failed: ${stderr.trim() || err.message}`));
      else resolve();
    });
    p.stdin!.end(script);
  });
}

/** Starts `named -f` with the given zones; resolves once it answers for every zone. */
export async function startTestBind(opts: TestBindOptions): Promise<TestBind> {
  const ip = opts.ip ?? defaultBindIp();
  const port = opts.port ?? 53;
  const server = `${ip}:${port}`;
  const zones = opts.zones.map((z) => (typeof z === 'string' ? { name: z } : z));
  const dir = path.resolve(opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'oe-bind-')));
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  const updateKey = newKey(opts.keyName ?? 'oe-update');
  const readOnlyKey = newKey('oe-read-only');
  for (const z of zones) fs.writeFileSync(path.join(dir, `${z.name}.zone`), zoneFile(z, ip));
  const conf = path.join(dir, 'named.conf');
  fs.writeFileSync(conf, namedConf(dir, ip, port, zones, [updateKey, readOnlyKey]), { mode: 0o600 });
  const adminKeyFile = path.join(dir, 'admin.key');
  fs.writeFileSync(adminKeyFile, keyClause(updateKey), { mode: 0o600 });

  await ensureLoopbackAlias(ip);
  // named would start anyway without its socket, and the old server would answer for it
  if (await portInUse(ip, port)) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`${server} is already in use (another named, e.g. left behind by a killed run?); stop it first (ss -ltnp)`);
  }
  const log = path.join(dir, 'named.stdout');
  const logFd = fs.openSync(log, 'a');
  // -f: foreground (our child, so its PID is the server's); -n 1: one worker thread on these shared cores
  const child = spawn('named', ['-f', '-n', '1', '-c', conf], { stdio: ['ignore', logFd, logFd] });
  fs.closeSync(logFd);
  const pid = child.pid!;
  const onExit = (): void => {
    for (const p of [pid, ...descendantPids(pid)]) { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } }
  };
  process.on('exit', onExit);
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await killTree(pid);
    process.off('exit', onExit);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const died = (): string | undefined => (child.exitCode !== null || child.signalCode !== null ? `named exited during start: ${fs.readFileSync(log, 'utf8').slice(-2000)}` : undefined);
    for (const z of zones) await waitForSoa(server, z.name, { timeoutMs: 20_000, died });
  } catch (e) {
    await stop();
    throw e;
  }
  const script = (commands: string[]): string => [`server ${ip} ${port}`, ...commands, 'send', ''].join('\n');
  return {
    ip, port, server, dir, zones: zones.map((z) => z.name), updateKey, readOnlyKey, pid, stop,
    update: (commands) => runNsupdate(adminKeyFile, script(commands)),
    updateCommand: (commands) => `nsupdate -k ${adminKeyFile} <<'EOF'\n${script(commands)}EOF`,
  };
}
