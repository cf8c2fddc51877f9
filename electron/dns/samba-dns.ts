// Writing records into the DC's own zone (split-brain DNS) with `samba-tool dns add/delete`, authenticated by a
// Kerberos ticket: kinit reads the password on stdin into a private ccache, so no password is ever in argv. Samba
// applies one record per call, so a failure part-way rolls back the calls already made.
import { readBackProblems } from './dns-lookup';
import { DnsError } from './dns-errors';
import { isWithin, normalizeRecordName, relativeName } from './dns-names';
import { inverseWrites, planWrites, type RecordPlan, type RecordWrites } from './dns-plan';
import { txtStrings, type DnsRecord } from './dns-records';
import { runTool, tail, withPrivateDir, writePrivateFile, type ToolResult } from './run-tool';

/** The DC and the account that may change its DNS (a member of DnsAdmins or Domain Admins). */
export interface DcDnsTarget {
  /** The DC's FQDN (its dnsHostName): Kerberos tickets are for names, so it must resolve on this server. */
  server: string;
  /** The DC's address, used as KDC and for reading back (default: `server`). */
  address?: string;
  /** Kerberos realm, e.g. CORP.CONTOSO.COM. */
  realm: string;
  /** The DC zone to write into (findDcZone). */
  zone: string;
  /** `user`, `user@realm`, `DOMAIN\user` or a UPN. */
  username: string;
  password: string;
  /** Extra environment for kinit and samba-tool (tests map the DC's name to its address; production: none). */
  toolEnv?: Record<string, string>;
  timeoutMs?: number;
}

/** A Kerberos session in a private folder: its ccache and configs live and die with the folder. */
interface KerberosSession {
  env: NodeJS.ProcessEnv;
  ccache: string;
  smbConf: string;
}

/** `CORP\jo`, `jo`, `jo@corp.contoso.com` → principal + whether it is an enterprise (UPN) name. */
export function kerberosPrincipal(username: string, realm: string): { principal: string; enterprise: boolean } {
  const u = username.trim();
  if (!u || /[\s\u0000-\u001f]/.test(u)) throw new DnsError('bad-credentials', 'Enter the name of a directory account that may change DNS.');
  const slash = u.indexOf('\\');
  if (slash >= 0) return { principal: `${u.slice(slash + 1)}@${realm}`, enterprise: false };
  const at = u.lastIndexOf('@');
  if (at < 0) return { principal: `${u}@${realm}`, enterprise: false };
  if (u.slice(at + 1).toUpperCase() === realm) return { principal: `${u.slice(0, at)}@${realm}`, enterprise: false };
  return { principal: u, enterprise: true };
}

function kinitError(r: ToolResult, t: DcDnsTarget): DnsError {
  const out = `${r.stdout}\n${r.stderr}`;
  const d = { output: tail(r) };
  if (/Password incorrect|Preauthentication failed/i.test(out)) return new DnsError('bad-credentials', `The password for ${t.username} is wrong.`, d);
  if (/not found in Kerberos database/i.test(out)) return new DnsError('bad-credentials', `There is no account ${t.username} in ${t.realm}.`, d);
  if (/revoked|disabled|locked/i.test(out)) return new DnsError('bad-credentials', `The account ${t.username} is disabled or locked out.`, d);
  if (/expired/i.test(out)) return new DnsError('bad-credentials', `The password of ${t.username} has expired; set a new one first.`, d);
  if (/Clock skew/i.test(out)) return new DnsError('failed', 'This server\'s clock differs too much from the domain controller\'s; fix the time and try again.', d);
  if (r.timedOut || /Cannot (find|contact any) KDC|Connection refused|timed out/i.test(out)) {
    return new DnsError('unreachable', `The domain controller ${t.address ?? t.server} does not answer Kerberos sign-ins (port 88).`, d);
  }
  return new DnsError('failed', `Signing in to ${t.realm} as ${t.username} failed.`, d);
}

/** kinit into a fresh ccache; the password goes on stdin only. */
async function kerberos(dir: string, t: DcDnsTarget): Promise<KerberosSession> {
  const realm = t.realm.toUpperCase();
  const kdc = t.address ?? t.server;
  const krb5 = writePrivateFile(dir, 'krb5.conf', `[libdefaults]\n\tdefault_realm = ${realm}\n\tdns_lookup_kdc = false\n\tdns_lookup_realm = false\n`
    + `\trdns = false\n\tdns_canonicalize_hostname = false\n[realms]\n\t${realm} = {\n\t\tkdc = ${kdc}\n\t}\n[domain_realm]\n\t${t.server} = ${realm}\n`);
  // samba-tool reads this instead of /etc/samba/smb.conf and keeps its state in the private folder
  const smbConf = writePrivateFile(dir, 'smb.conf', `[global]\n\trealm = ${realm}\n\tprivate dir = ${dir}\n\tlock directory = ${dir}\n`
    + `\tstate directory = ${dir}\n\tcache directory = ${dir}\n\tncalrpc dir = ${dir}\n`);
  const ccache = `FILE:${dir}/ccache`;
  const env = { ...process.env, ...(t.toolEnv ?? {}), KRB5_CONFIG: krb5, KRB5CCNAME: ccache };
  const { principal, enterprise } = kerberosPrincipal(t.username, realm);
  const r = await runTool('kinit', [...(enterprise ? ['-E'] : []), '-c', ccache, principal], { stdin: `${t.password}\n`, env, timeoutMs: t.timeoutMs ?? 15_000 });
  if (r.code !== 0 || r.timedOut) throw kinitError(r, t);
  return { env, ccache, smbConf };
}

/** samba-tool's data argument (it splits TXT data with POSIX shell quoting: each string in single quotes). */
function sambaData(r: DnsRecord): string {
  switch (r.type) {
    case 'TXT': return txtStrings(r.text).map((s) => `'${s.replace(/'/g, `'"'"'`)}'`).join(' ');
    case 'MX': return `${r.exchange} ${r.preference}`;
    case 'CNAME': return r.target;
    case 'SRV': return `${r.target} ${r.port} ${r.priority} ${r.weight}`;
  }
}

/** The argv of one samba-tool call: names and data, the ccache path; never a password. */
export function sambaToolArgs(op: 'add' | 'delete', t: Pick<DcDnsTarget, 'server' | 'zone'>, r: DnsRecord, s: Pick<KerberosSession, 'ccache' | 'smbConf'>): string[] {
  const zone = normalizeRecordName(t.zone, 'The zone');
  return ['dns', op, t.server, zone, relativeName(r.name, zone), r.type, sambaData(r), '-s', s.smbConf, '--use-kerberos=required', `--use-krb5-ccache=${s.ccache.replace(/^FILE:/, '')}`];
}

function sambaError(r: ToolResult, t: DcDnsTarget): DnsError {
  const out = `${r.stdout}\n${r.stderr}`;
  const d = { output: tail(r) };
  if (/Zone does not exist/i.test(out)) return new DnsError('zone-not-found', `The domain controller holds no DNS zone ${t.zone}.`, d);
  if (/ACCESS_DENIED/i.test(out)) return new DnsError('not-authorized', `${t.username} may not change DNS on the domain controller; add the account to DnsAdmins.`, d);
  if (/LOGON_FAILURE|3221225581/.test(out)) return new DnsError('bad-credentials', `The domain controller did not accept the sign-in of ${t.username}.`, d);
  if (/OBJECT_NAME_NOT_FOUND|3221225524|object name is not found/i.test(out)) {
    return new DnsError('unreachable', `This server can't find ${t.server} by name. Make sure it uses the domain controller for DNS.`, d);
  }
  if (r.timedOut || /CONNECTION_REFUSED|IO_TIMEOUT|HOST_UNREACHABLE|Connection refused/i.test(out)) {
    return new DnsError('unreachable', `The domain controller ${t.server} does not answer DNS management calls.`, d);
  }
  return new DnsError('failed', `The domain controller refused the DNS change.`, d);
}

/** One record add/delete; "already there" / "already gone" count as done (the DC already holds the wanted state). */
async function step(op: 'add' | 'delete', t: DcDnsTarget, rec: DnsRecord, s: KerberosSession): Promise<boolean> {
  const r = await runTool('samba-tool', sambaToolArgs(op, t, rec, s), { env: s.env, timeoutMs: t.timeoutMs ?? 30_000 });
  if (r.code === 0 && !r.timedOut) return true;
  const out = `${r.stdout}\n${r.stderr}`;
  if (op === 'add' && /Record already exists/i.test(out)) return false;
  if (op === 'delete' && /Record does not exist/i.test(out)) return false;
  throw sambaError(r, t);
}

/** Runs the removals then the additions; on failure reverts the calls that succeeded, then rethrows. */
async function writeAll(t: DcDnsTarget, writes: RecordWrites, s: KerberosSession): Promise<RecordWrites> {
  const done: RecordWrites = { add: [], remove: [] };
  try {
    for (const r of writes.remove) if (await step('delete', t, r, s)) done.remove.push(r);
    for (const r of writes.add) if (await step('add', t, r, s)) done.add.push(r);
    return done;
  } catch (e) {
    const back = inverseWrites(done);
    for (const r of back.remove) await step('delete', t, r, s).catch(() => undefined);
    for (const r of back.add) await step('add', t, r, s).catch(() => undefined);
    throw e;
  }
}

/**
 * Writes `plan` into the DC zone and reads it back from the DC's DNS. Returns what this call changed (records
 * already present are not claimed, so undo never removes what the admin had). Samba 4.17 writes TTL 900 whatever
 * the plan says.
 */
export async function applyToDcZone(t: DcDnsTarget, plan: RecordPlan | RecordWrites): Promise<RecordWrites> {
  const writes = 'changes' in plan ? planWrites(plan) : plan;
  const zone = normalizeRecordName(t.zone, 'The zone');
  for (const r of [...writes.add, ...writes.remove]) {
    if (!isWithin(r.name, zone)) throw new DnsError('invalid-record', `${r.name} is not inside the DC zone ${zone}.`);
  }
  if (!writes.add.length && !writes.remove.length) return writes;
  return withPrivateDir('oe-samba-dns-', async (dir) => {
    const session = await kerberos(dir, t);
    const done = await writeAll(t, writes, session);
    const problems = await readBackProblems(writes, [`${t.address ?? t.server}:53`]);
    if (problems.length) {
      await writeAll(t, inverseWrites(done), session).catch(() => undefined);
      throw new DnsError('readback-mismatch', `The domain controller accepted the change but its DNS does not serve it (${problems.join('; ')}); the change was reverted.`);
    }
    return done;
  });
}

/** Undoes what applyToDcZone returned (Cancel): removes the additions, restores what they replaced. */
export async function undoDcZone(t: DcDnsTarget, applied: RecordWrites): Promise<void> {
  await applyToDcZone(t, inverseWrites(applied));
}
