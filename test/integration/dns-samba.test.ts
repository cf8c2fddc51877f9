// Split-brain DNS on a real Samba AD DC with its internal DNS: find the DC's zone over LDAPS, write Microsoft's
// records with samba-tool and a Kerberos ticket, read them back from the DC's DNS, undo; bad inputs leave no trace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryClient } from '../../electron/directory/directory-client';
import { checkRecords } from '../../electron/dns/check-records';
import { findDcZone } from '../../electron/dns/dc-zone';
import type { DnsError } from '../../electron/dns/dns-errors';
import { makeResolver, readRecords } from '../../electron/dns/dns-lookup';
import { planRecords } from '../../electron/dns/dns-plan';
import type { DnsRecord } from '../../electron/dns/dns-records';
import { applyToDcZone, kerberosPrincipal, sambaToolArgs, undoDcZone, type DcDnsTarget } from '../../electron/dns/samba-dns';
import { dnsFailure as failure, microsoftRecords, servedAt, tempLeftovers } from '../dns/dns-fixtures';
import { startTestDc, type TestDc } from '../samba/dc-harness';

let dc: TestDc;
let ldap: DirectoryClient;
let target: DcDnsTarget;
const ZONE = 'corp.example.test';
const WANTED = microsoftRecords(ZONE, { name: '_sipfederationtls._tcp', port: 5061, target: 'sipfed.online.lync.com' });
const NAMES = [ZONE, `autodiscover.${ZONE}`, `_sipfederationtls._tcp.${ZONE}`];
const snapshot = () => servedAt(NAMES, dc.dnsServer!);
const leftovers = () => tempLeftovers('oe-samba-dns-');

beforeAll(async () => {
  dc = await startTestDc({ dns: true });
  ldap = new DirectoryClient({ url: dc.url, bindUpn: dc.adminUpn, password: dc.adminPassword, tls: { caPem: dc.caPem, serverName: dc.dnsHostName } });
  target = { server: dc.dnsHostName, address: dc.ip, realm: dc.realm, zone: ZONE, username: 'Administrator', password: dc.adminPassword, toolEnv: dc.nameServiceEnv };
});
afterAll(async () => {
  await ldap?.close();
  await dc?.stop();
});

describe('the DC\'s internal DNS (harness)', () => {
  it('answers authoritatively on the DC\'s alias for the AD zone', async () => {
    const r = await makeResolver({ servers: [dc.dnsServer!] });
    expect((await r.resolveSoa(ZONE)).nsname.toLowerCase()).toBe(dc.dnsHostName);
    expect(await r.resolve4(dc.dnsHostName)).toEqual([dc.ip]);
  });
});

describe('split-brain DNS on the DC', () => {
  it('finds the DC\'s zone for the domain or a subdomain with an LDAP search, and none for a foreign domain', async () => {
    expect(await findDcZone(ldap, ZONE)).toEqual({ zone: ZONE, dn: `DC=${ZONE},CN=MicrosoftDNS,DC=DomainDnsZones,${dc.domainDn}`, partition: 'domain' });
    expect((await findDcZone(ldap, `marketing.${ZONE}`))?.zone).toBe(ZONE);
    expect(await findDcZone(ldap, 'fabrikam.com')).toBeUndefined();
    await expect(findDcZone(ldap, 'corp example test')).rejects.toMatchObject({ code: 'invalid-name', message: expect.stringMatching(/no spaces/) });
  });

  it('writes the plan with samba-tool under a Kerberos ticket, reads it back from the DC, and undoes it', async () => {
    const original = await snapshot();
    // the admin's internal zone already has an old autodiscover host: the alias must not be added beside it
    const oldHost: DnsRecord = { type: 'TXT', name: `autodiscover.${ZONE}`, ttl: 900, text: 'old exchange' };
    const seeded = await applyToDcZone(target, { add: [oldHost], remove: [] });
    const plan = planRecords(ZONE, WANTED, await readRecords(NAMES, { servers: [dc.dnsServer!] }));
    expect(plan.conflicts.map((c) => c.record.type)).toEqual(['CNAME']);
    const applied = await applyToDcZone(target, plan);
    expect(applied.add.map((r) => r.type)).toEqual(['TXT', 'MX', 'TXT', 'SRV']);
    const checks = await checkRecords(WANTED.map((x) => x.record), { servers: [dc.dnsServer!] });
    expect(checks.map((c) => c.status)).toEqual(['ok', 'ok', 'ok', 'wrong', 'ok']);
    // what an office PC asking the DC sees
    const r = await makeResolver({ servers: [dc.dnsServer!] });
    expect(await r.resolveMx(ZONE)).toEqual([{ exchange: 'corp-example-test.mail.protection.outlook.com', priority: 0 }]);
    expect(await r.resolveSrv(`_sipfederationtls._tcp.${ZONE}`)).toEqual([{ name: 'sipfed.online.lync.com', port: 5061, priority: 100, weight: 1 }]);
    await undoDcZone(target, applied);
    await undoDcZone(target, seeded);
    expect(await snapshot()).toEqual(original);
    expect(leftovers()).toEqual([]);
  });

  it('keeps the password out of every argv and message', async () => {
    const args = sambaToolArgs('add', target, WANTED[2]!.record, { ccache: 'FILE:/tmp/x/ccache', smbConf: '/tmp/x/smb.conf' });
    expect(args).toEqual(['dns', 'add', dc.dnsHostName, ZONE, '@', 'TXT', "'v=spf1 include:spf.protection.outlook.com ~all'", '-s', '/tmp/x/smb.conf', '--use-kerberos=required', '--use-krb5-ccache=/tmp/x/ccache']);
    expect(JSON.stringify(args)).not.toContain(dc.adminPassword);
    expect(kerberosPrincipal('CORP\\Administrator', dc.realm)).toEqual({ principal: `Administrator@${dc.realm}`, enterprise: false });
    expect(kerberosPrincipal(dc.adminUpn, dc.realm)).toEqual({ principal: `Administrator@${dc.realm}`, enterprise: false });
    expect(kerberosPrincipal('jo@contoso.com', dc.realm)).toEqual({ principal: 'jo@contoso.com', enterprise: true });
    const e = await failure(applyToDcZone({ ...target, password: 'Wrong-Passw0rd!' }, { add: [WANTED[0]!.record], remove: [] }));
    expect(JSON.stringify({ m: e.message, d: e.details })).not.toMatch(/Wrong-Passw0rd|Passw0rd!Admin/);
  });

  const writes = { add: [WANTED[0]!.record], remove: [] };
  const cases: [string, () => DcDnsTarget, DnsError['code'], RegExp][] = [
    ['a wrong password', () => ({ ...target, password: 'Wrong-Passw0rd!' }), 'bad-credentials', /The password for Administrator is wrong/],
    ['an unknown account', () => ({ ...target, username: 'nobody' }), 'bad-credentials', /There is no account nobody in CORP\.EXAMPLE\.TEST/],
    ['a DC this server can\'t find by name', () => ({ ...target, toolEnv: undefined }), 'unreachable', /can't find dc1\.corp\.example\.test by name/],
    ['a records outside the zone', () => ({ ...target, zone: 'fabrikam.com' }), 'invalid-record', /not inside the DC zone fabrikam\.com/],
  ];
  it.each(cases)('refuses %s with a clear message and writes nothing', async (_what, make, code, message) => {
    const before = await snapshot();
    const e = await failure(applyToDcZone(make(), writes));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
    expect(await snapshot()).toEqual(before);
    expect(leftovers()).toEqual([]);
  });

  it('rolls back the calls already made when one fails part-way', async () => {
    const old: DnsRecord = { type: 'TXT', name: ZONE, ttl: 900, text: 'old value' };
    await applyToDcZone(target, { add: [old], remove: [] });
    const before = await snapshot();
    // samba-tool rejects this one (port out of range): a stand-in for any failure after earlier calls succeeded
    const bad: DnsRecord = { type: 'SRV', name: `_x._tcp.${ZONE}`, ttl: 900, priority: 0, weight: 0, port: 70000, target: 'x.example.net' };
    const e = await failure(applyToDcZone(target, { remove: [old], add: [WANTED[0]!.record, bad] }));
    expect(e.code).toBe('failed');
    expect(e.details.output).toMatch(/65535/);
    expect(await snapshot()).toEqual(before);
    await undoDcZone(target, { add: [old], remove: [] });
  });

  it('says so when the DC holds no such zone', async () => {
    const e = await failure(applyToDcZone({ ...target, zone: 'fabrikam.com' }, { add: [{ type: 'TXT', name: 'fabrikam.com', ttl: 3600, text: 'MS=ms1' }], remove: [] }));
    expect(e.code).toBe('zone-not-found');
    expect(e.message).toBe('The domain controller holds no DNS zone fabrikam.com.');
    expect(await findDcZone(ldap, 'fabrikam.com')).toBeUndefined();
  });
});
