// Reading DNS with Node's own resolver pointed at a chosen server (the DNS host, the DC, or a public resolver):
// what a name holds now (for the plan), where a domain's zone starts, and read-back after a write.
import { promises as dnsp } from 'node:dns';
import { isIP } from 'node:net';
import { DnsError } from './dns-errors';
import { enclosingNames } from './dns-names';
import type { RecordWrites } from './dns-plan';
import { recordValue, sameRecord, type DnsRecord, type ExistingRecord } from './dns-records';

/** Which servers to ask: `ip`, `ip:port` or `[v6]:port` (host names are looked up first). */
export interface LookupOptions {
  servers: string[];
  timeoutMs?: number;
  tries?: number;
}

const EMPTY = new Set(['ENOTFOUND', 'ENODATA', 'ENONAME']);

/** `ns1.example.net:5353` → `192.0.2.1:5353`: c-ares takes addresses only. */
async function serverAddresses(servers: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const s of servers) {
    const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(s) ?? /^([^:]+)(?::(\d+))?$/.exec(s);
    const host = m?.[1] ?? s;
    const port = m?.[2];
    if (isIP(host) || (!m && isIP(s))) { out.push(s); continue; }
    try {
      const { address, family } = await dnsp.lookup(host);
      out.push(port ? (family === 6 ? `[${address}]:${port}` : `${address}:${port}`) : address);
    } catch (e) {
      throw new DnsError('unreachable', `The DNS server name ${host} can't be resolved from this server.`, {}, { cause: e });
    }
  }
  return out;
}

/** A resolver that asks only `servers` (no fallback to the system's). */
export async function makeResolver(opts: LookupOptions): Promise<dnsp.Resolver> {
  const r = new dnsp.Resolver({ timeout: opts.timeoutMs ?? 3000, tries: opts.tries ?? 2 });
  r.setServers(await serverAddresses(opts.servers));
  return r;
}

/** Runs one query; "no such name / no data" is an empty answer, anything else a DnsError naming the server. */
async function query<T>(servers: string[], name: string, run: () => Promise<T[]>): Promise<T[]> {
  try {
    return await run();
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    if (EMPTY.has(code)) return [];
    const where = servers.join(', ');
    if (code === 'ECONNREFUSED' || code === 'ETIMEOUT' || code === 'ECONNRESET') {
      throw new DnsError('unreachable', `The DNS server ${where} did not answer (${code === 'ETIMEOUT' ? 'timed out' : 'connection refused'}).`, { rcode: code }, { cause: e });
    }
    if (code === 'EREFUSED') {
      throw new DnsError('zone-not-found', `The DNS server ${where} refused to answer for ${name}: it does not serve that zone.`, { rcode: code }, { cause: e });
    }
    throw new DnsError('failed', `Looking up ${name} at ${where} failed (${code || (e as Error).message}).`, { rcode: code }, { cause: e });
  }
}

const norm = (n: string): string => n.replace(/\.$/, '').toLowerCase();

/** Every record of the types the plan cares about at one name. A CNAME hides the rest (nothing else may sit there). */
async function readName(r: dnsp.Resolver, servers: string[], name: string): Promise<ExistingRecord[]> {
  const cname = await query(servers, name, () => r.resolveCname(name));
  if (cname.length) return cname.map((t) => ({ type: 'CNAME', name, ttl: 0, target: norm(t) }));
  const [txt, mx, srv, a, aaaa, ns] = await Promise.all([
    query(servers, name, () => r.resolveTxt(name)),
    query(servers, name, () => r.resolveMx(name)),
    name.startsWith('_') ? query(servers, name, () => r.resolveSrv(name)) : Promise.resolve([]),
    query(servers, name, () => r.resolve4(name, { ttl: true })),
    query(servers, name, () => r.resolve6(name, { ttl: true })),
    query(servers, name, () => r.resolveNs(name)),
  ]);
  return [
    ...txt.map((chunks): ExistingRecord => ({ type: 'TXT', name, ttl: 0, text: chunks.join('') })),
    ...mx.map((m): ExistingRecord => ({ type: 'MX', name, ttl: 0, preference: m.priority, exchange: norm(m.exchange) })),
    ...srv.map((s): ExistingRecord => ({ type: 'SRV', name, ttl: 0, priority: s.priority, weight: s.weight, port: s.port, target: norm(s.name) })),
    ...a.map((x): ExistingRecord => ({ type: 'A', name, ttl: x.ttl, value: x.address })),
    ...aaaa.map((x): ExistingRecord => ({ type: 'AAAA', name, ttl: x.ttl, value: x.address })),
    ...ns.map((x): ExistingRecord => ({ type: 'NS', name, ttl: 0, value: norm(x) })),
  ];
}

/** What DNS holds at each of `names` (TXT, MX, CNAME, SRV, and A/AAAA/NS for conflict checks); TTLs are not compared. */
export async function readRecords(names: string[], opts: LookupOptions): Promise<ExistingRecord[]> {
  const r = await makeResolver(opts);
  const unique = [...new Set(names)];
  return (await Promise.all(unique.map((n) => readName(r, opts.servers, n)))).flat();
}

/** Distinct owner names of some records (what to read before planning or checking them). */
export function namesOf(records: DnsRecord[]): string[] {
  return [...new Set(records.map((r) => r.name))];
}

/**
 * The zone `name` lives in: the closest enclosing name with an SOA, as `servers` see it. `marketing.contoso.com`
 * usually lives in `contoso.com` — a subdomain, which the wizard warns about. Undefined if no enclosing zone answers.
 */
export async function findZone(name: string, opts: LookupOptions): Promise<string | undefined> {
  const r = await makeResolver(opts);
  for (const candidate of enclosingNames(name)) {
    const soa = await query(opts.servers, candidate, async () => [await r.resolveSoa(candidate)]);
    if (soa.length) return candidate;
  }
  return undefined;
}

/** Records of `writes` the server doesn't serve as written (added but absent, removed but present). */
export async function readBackProblems(writes: RecordWrites, servers: string[]): Promise<string[]> {
  const names = [...new Set([...writes.add, ...writes.remove].map((r) => r.name))];
  if (!names.length) return [];
  const now = await readRecords(names, { servers });
  const has = (r: DnsRecord): boolean => now.some((x) => sameRecord(x, r));
  return [
    ...writes.add.filter((r) => !has(r)).map((r) => `${r.type} ${r.name} ${recordValue(r)} is not served`),
    ...writes.remove.filter(has).map((r) => `${r.type} ${r.name} ${recordValue(r)} is still served`),
  ];
}
