// Writing records at a DNS host that takes RFC 2136 dynamic updates signed with a TSIG key (BIND, PowerDNS, Knot,
// many providers), with `nsupdate -k <key file>`: all changes in one UPDATE message (the server applies all or
// none), then read back from that server. The secret lives only in a 0600 key file that is removed afterwards.
import { readBackProblems } from './dns-lookup';
import { DnsError } from './dns-errors';
import { isWithin, normalizeRecordName } from './dns-names';
import { inverseWrites, planWrites, type RecordPlan, type RecordWrites } from './dns-plan';
import { recordValue } from './dns-records';
import { runTool, tail, withPrivateDir, writePrivateFile, type ToolResult } from './run-tool';

/** HMAC algorithms nsupdate and BIND accept for TSIG. */
export const TSIG_ALGORITHMS = ['hmac-sha256', 'hmac-sha384', 'hmac-sha512', 'hmac-sha224', 'hmac-sha1', 'hmac-md5'] as const;

/** A TSIG key as the DNS host shows it; the secret comes from the keychain and goes only into the key file. */
export interface TsigKey {
  name: string;
  algorithm: (typeof TSIG_ALGORITHMS)[number];
  /** Base64, as BIND's `tsig-keygen` and providers print it. */
  secret: string;
}

/** Where to send updates: the zone's primary server and the zone the records belong to. */
export interface Rfc2136Target {
  /** Host name or IP address of the primary (the server that takes updates). */
  server: string;
  port?: number;
  zone: string;
  key: TsigKey;
  /** Per-attempt timeout (default 5 s). */
  timeoutMs?: number;
}

const SERVER = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[?[0-9A-Fa-f:.]+\]?)$/;
const KEY_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,252})$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Checks the target before anything touches the disk or the network; the secret is never echoed. */
function checkTarget(t: Rfc2136Target): { zone: string; port: number } {
  if (!SERVER.test(t.server)) throw new DnsError('invalid-name', `"${t.server}" is not a DNS server name or address.`);
  const port = t.port ?? 53;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new DnsError('invalid-name', `${port} is not a port number.`);
  if (!KEY_NAME.test(t.key.name)) throw new DnsError('invalid-key', `"${t.key.name}" is not a valid key name (letters, digits, dots, hyphens, underscores).`);
  if (!TSIG_ALGORITHMS.includes(t.key.algorithm)) throw new DnsError('invalid-key', `The key algorithm must be one of ${TSIG_ALGORITHMS.join(', ')}.`);
  if (!t.key.secret || !BASE64.test(t.key.secret.trim())) throw new DnsError('invalid-key', 'The key secret is not valid base64; copy it again from your DNS host.');
  return { zone: normalizeRecordName(t.zone, 'The zone'), port };
}

/** The nsupdate script (stdin): one UPDATE with the removals then the additions. Holds no secret. */
export function nsupdateScript(t: Rfc2136Target, writes: RecordWrites): string {
  const { zone, port } = checkTarget(t);
  for (const r of [...writes.add, ...writes.remove]) {
    if (!isWithin(r.name, zone)) throw new DnsError('invalid-record', `${r.name} is not inside the zone ${zone}; choose the zone that holds ${r.name}.`);
  }
  const server = t.server.replace(/^\[(.*)\]$/, '$1');
  return [
    `server ${server} ${port}`,
    `zone ${zone}`,
    ...writes.remove.map((r) => `update delete ${r.name}. ${r.type} ${recordValue(r, { zoneFile: true })}`),
    ...writes.add.map((r) => `update add ${r.name}. ${r.ttl} ${r.type} ${recordValue(r, { zoneFile: true })}`),
    'send',
    '',
  ].join('\n');
}

/** nsupdate's arguments: the key file path and timeouts, never the secret. */
export function nsupdateArgs(keyFile: string, timeoutMs = 5000): string[] {
  const s = String(Math.max(1, Math.ceil(timeoutMs / 1000)));
  return ['-k', keyFile, '-t', s, '-u', s, '-r', '1'];
}

/** nsupdate's words → a DnsError with the server, zone and key named. */
function updateError(r: ToolResult, t: Rfc2136Target): DnsError {
  const out = `${r.stdout}\n${r.stderr}`;
  const where = `${t.server}${t.port && t.port !== 53 ? `:${t.port}` : ''}`;
  const rcode = /update failed: ([A-Z]+(?:\([A-Z]+\))?)/.exec(out)?.[1];
  const d = { output: tail(r), ...(rcode ? { rcode } : {}) };
  if (r.timedOut || /timed out|no response/i.test(out)) return new DnsError('unreachable', `The DNS server ${where} did not answer.`, d);
  if (/connection refused|network unreachable|host unreachable|couldn't get address|not found|operation canceled/i.test(out) && !rcode) {
    return new DnsError('unreachable', `The DNS server ${where} can't be reached (is the address right, and does it accept updates on port ${t.port ?? 53}?).`, d);
  }
  if (/BADSIG/.test(out)) return new DnsError('bad-key', `${where} rejected the signature: the secret of key "${t.key.name}" is wrong.`, d);
  if (/BADKEY/.test(out)) return new DnsError('bad-key', `${where} does not know a key named "${t.key.name}" (or not with algorithm ${t.key.algorithm}).`, d);
  if (/BADTIME/.test(out)) return new DnsError('bad-key', `${where} rejected the signature's time: this server's clock is off; fix the time and try again.`, d);
  if (/NOTZONE/.test(out)) return new DnsError('zone-not-found', `A record is outside the zone ${t.zone}.`, d);
  if (/NOTAUTH/.test(out)) return new DnsError('zone-not-found', `${where} is not the primary server for ${t.zone}; enter the server that holds that zone.`, d);
  if (/REFUSED/.test(out)) return new DnsError('not-authorized', `${where} refused the update: key "${t.key.name}" may not change ${t.zone}. Ask your DNS host to allow it.`, d);
  return new DnsError('failed', `${where} did not accept the update${rcode ? ` (${rcode})` : ''}.`, d);
}

/** Sends one update; throws a mapped DnsError unless nsupdate reports success. */
async function sendUpdate(t: Rfc2136Target, writes: RecordWrites): Promise<void> {
  const script = nsupdateScript(t, writes);
  await withPrivateDir('oe-nsupdate-', async (dir) => {
    const keyFile = writePrivateFile(dir, 'tsig.key', `key "${t.key.name}" {\n\talgorithm ${t.key.algorithm};\n\tsecret "${t.key.secret.trim()}";\n};\n`);
    const timeoutMs = t.timeoutMs ?? 5000;
    const r = await runTool('nsupdate', nsupdateArgs(keyFile, timeoutMs), { stdin: script, timeoutMs: timeoutMs * 4 + 2000 });
    if (r.code !== 0 || r.timedOut) throw updateError(r, t);
  });
}

/**
 * Writes `plan` (or explicit writes) at the DNS host and reads it back from the same server. Returns what was
 * written, for undo. If the server accepted the update but doesn't serve it, the update is reverted and
 * `readback-mismatch` thrown; nothing stays half-written.
 */
export async function applyRfc2136(t: Rfc2136Target, plan: RecordPlan | RecordWrites): Promise<RecordWrites> {
  const writes = 'changes' in plan ? planWrites(plan) : plan;
  if (!writes.add.length && !writes.remove.length) return writes;
  await sendUpdate(t, writes);
  const server = `${t.server.includes(':') && !t.server.startsWith('[') ? `[${t.server}]` : t.server}:${t.port ?? 53}`;
  const problems = await readBackProblems(writes, [server]);
  if (problems.length) {
    await sendUpdate(t, inverseWrites(writes)).catch(() => undefined);
    throw new DnsError('readback-mismatch', `${t.server} accepted the update but does not serve it (${problems.join('; ')}); the change was reverted.`);
  }
  return writes;
}

/** Undoes what applyRfc2136 returned (Cancel in the wizard): removes the additions, restores what they replaced. */
export async function undoRfc2136(t: Rfc2136Target, applied: RecordWrites): Promise<void> {
  await applyRfc2136(t, inverseWrites(applied));
}
