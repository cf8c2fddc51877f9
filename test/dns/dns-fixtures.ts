// What the DNS tests share: the records Microsoft 365 asks for (as recordsFromGraph returns them) and small probes.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { expect } from 'vitest';
import { DnsError } from '../../electron/dns/dns-errors';
import { readRecords } from '../../electron/dns/dns-lookup';
import { recordValue, type DnsRecord, type WantedRecord } from '../../electron/dns/dns-records';

const want = (record: DnsRecord, service: string, purpose: WantedRecord['purpose'] = 'service'): WantedRecord => ({ record, service, purpose, optional: false });

/** Verification TXT, Exchange Online's MX, SPF and autodiscover, and a Teams SRV, for `domain`. */
export function microsoftRecords(domain: string, srv: { name: string; port: number; target: string } = { name: '_sip._tls', port: 443, target: 'sipdir.online.lync.com' }): WantedRecord[] {
  return [
    want({ type: 'TXT', name: domain, ttl: 3600, text: 'MS=ms12345678' }, 'Verification', 'verification'),
    want({ type: 'MX', name: domain, ttl: 3600, preference: 0, exchange: `${domain.replace(/\./g, '-')}.mail.protection.outlook.com` }, 'Email'),
    want({ type: 'TXT', name: domain, ttl: 3600, text: 'v=spf1 include:spf.protection.outlook.com ~all' }, 'Email'),
    want({ type: 'CNAME', name: `autodiscover.${domain}`, ttl: 3600, target: 'autodiscover.outlook.com' }, 'Email'),
    want({ type: 'SRV', name: `${srv.name}.${domain}`, ttl: 3600, priority: 100, weight: 1, port: srv.port, target: srv.target }, 'OfficeCommunicationsOnline'),
  ];
}

/** Awaits a promise that must fail with a DnsError, and returns it. */
export async function dnsFailure(p: Promise<unknown>): Promise<DnsError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(DnsError);
  return e as DnsError;
}

/** What `server` serves at `names`, one sorted line per record (TTLs left out), to compare before and after. */
export async function servedAt(names: string[], server: string): Promise<string[]> {
  return (await readRecords(names, { servers: [server] })).map((r) => `${r.name} ${r.type} ${recordValue(r)}`).sort();
}

/** Private folders a writer left in the temp dir (there must be none). */
export function tempLeftovers(prefix: string): string[] {
  return fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith(prefix));
}
