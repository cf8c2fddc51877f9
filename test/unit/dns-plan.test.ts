// The pure half of electron/dns: names, Graph's record shapes, SPF merging and the expert rules of the plan.
import { describe, expect, it } from 'vitest';
import { DnsError } from '../../electron/dns/dns-errors';
import { normalizeDomainName, relativeName } from '../../electron/dns/dns-names';
import { inverseWrites, planRecords, planWrites } from '../../electron/dns/dns-plan';
import { recordsFromGraph, recordValue, txtStrings, type DnsRecord, type ExistingRecord, type GraphDnsRecord, type WantedRecord } from '../../electron/dns/dns-records';
import { mergeSpf, spfLookups } from '../../electron/dns/spf';

const base = { isOptional: false, ttl: 3600 };
/** What Graph returns for contoso.com with Exchange and Teams (shapes from the v1.0 docs and CSDL). */
const GRAPH = {
  verification: [
    { '@odata.type': '#microsoft.graph.domainDnsTxtRecord', ...base, label: 'contoso.com', recordType: 'Txt', supportedService: 'None', text: 'MS=ms12345678' },
    { '@odata.type': '#microsoft.graph.domainDnsMxRecord', ...base, label: 'contoso.com', recordType: 'Mx', supportedService: 'None', mailExchange: 'ms12345678.msv1.invalid', preference: 32767 },
  ] satisfies GraphDnsRecord[],
  service: [
    { '@odata.type': '#microsoft.graph.domainDnsMxRecord', ...base, label: 'contoso.com', recordType: 'Mx', supportedService: 'Email', mailExchange: 'contoso-com.mail.protection.outlook.com', preference: 0 },
    { '@odata.type': '#microsoft.graph.domainDnsTxtRecord', ...base, label: 'contoso.com', recordType: 'Txt', supportedService: 'Email', text: 'v=spf1 include:spf.protection.outlook.com ~all' },
    { '@odata.type': '#microsoft.graph.domainDnsCnameRecord', ...base, label: 'autodiscover.contoso.com', recordType: 'CName', supportedService: 'Email', canonicalName: 'autodiscover.outlook.com' },
    { '@odata.type': '#microsoft.graph.domainDnsSrvRecord', ...base, label: '_sip._tls.contoso.com', recordType: 'Srv', supportedService: 'OfficeCommunicationsOnline', nameTarget: 'sipdir.online.lync.com', port: 443, priority: 100, weight: 1, protocol: '_tls', service: '_sip' },
    { '@odata.type': '#microsoft.graph.domainDnsUnavailableRecord', ...base, label: 'contoso.com', recordType: null, supportedService: 'Intune', description: 'The domain must be verified first.' },
  ] satisfies GraphDnsRecord[],
};

const wanted = (): WantedRecord[] => recordsFromGraph('contoso.com', GRAPH).records;
const byType = <T extends { record: DnsRecord }>(list: T[], t: DnsRecord['type']): T[] => list.filter((c) => c.record.type === t);

describe('domain names', () => {
  it('normalizes what admins type and refuses what DNS can\'t hold, saying why', () => {
    expect(normalizeDomainName(' Contoso.COM. ')).toBe('contoso.com');
    expect(normalizeDomainName('bücher.de')).toBe('xn--bcher-kva.de');
    expect(normalizeDomainName('marketing.contoso.com')).toBe('marketing.contoso.com');
    const cases: [string, RegExp][] = [
      ['', /empty/], ['contoso', /at least one dot/], ['admin@contoso.com', /e-mail address/], ['https://contoso.com/', /without http/],
      ['192.168.1.10', /IP address/], ['con toso.com', /no spaces/], ['-contoso.com', /hyphen/], ['contoso..com', /empty part/],
      [`${'a'.repeat(64)}.com`, /longer than 63/], ['contoso.123', /number/], ['contoso.onmicrosoft.com', /belong to Microsoft/], ['con_toso.com', /only letters/],
    ];
    for (const [input, why] of cases) {
      const e = (() => { try { normalizeDomainName(input); return undefined; } catch (x) { return x; } })();
      expect(e, input).toBeInstanceOf(DnsError);
      expect((e as DnsError).code).toBe('invalid-name');
      expect((e as DnsError).message, input).toMatch(why);
    }
  });

  it('converts FQDN labels to zone-relative names', () => {
    expect(relativeName('contoso.com', 'contoso.com')).toBe('@');
    expect(relativeName('_sip._tls.contoso.com', 'contoso.com')).toBe('_sip._tls');
    expect(() => relativeName('fabrikam.com', 'contoso.com')).toThrow(/not inside the zone/);
  });
});

describe('records from Graph', () => {
  it('takes the verification TXT, every service record, and reports unavailable ones', () => {
    const got = recordsFromGraph('contoso.com', GRAPH);
    expect(got.records.map((w) => [w.purpose, w.service, w.record.type, w.record.name, recordValue(w.record)])).toEqual([
      ['verification', 'Verification', 'TXT', 'contoso.com', 'MS=ms12345678'],
      ['service', 'Email', 'MX', 'contoso.com', '0 contoso-com.mail.protection.outlook.com'],
      ['service', 'Email', 'TXT', 'contoso.com', 'v=spf1 include:spf.protection.outlook.com ~all'],
      ['service', 'Email', 'CNAME', 'autodiscover.contoso.com', 'autodiscover.outlook.com'],
      ['service', 'OfficeCommunicationsOnline', 'SRV', '_sip._tls.contoso.com', '100 1 443 sipdir.online.lync.com'],
    ]);
    expect(got.unavailable).toEqual([{ label: 'contoso.com', service: 'Intune', description: 'The domain must be verified first.' }]);
  });

  it('builds the SRV owner from service and protocol when the label is only the domain', () => {
    const srv = { ...GRAPH.service[3]!, label: 'contoso.com' };
    expect(recordsFromGraph('contoso.com', { verification: [], service: [srv] }).records[0]!.record.name).toBe('_sip._tls.contoso.com');
  });

  it('falls back to recordType without @odata.type, and refuses records it can\'t write safely', () => {
    const { '@odata.type': _t, ...mx } = GRAPH.service[0]!;
    expect(recordsFromGraph('contoso.com', { verification: [], service: [mx] }).records[0]!.record.type).toBe('MX');
    const bad: [GraphDnsRecord, RegExp][] = [
      [{ ...GRAPH.service[1]!, text: 'v=spf1 -all\nupdate add evil.contoso.com. 60 A 1.2.3.4' }, /unusable TXT/],
      [{ ...GRAPH.service[2]!, label: 'autodiscover.fabrikam.com' }, /not part of contoso\.com/],
      [{ ...GRAPH.service[0]!, preference: 70000 }, /preference/],
      [{ ...GRAPH.service[2]!, canonicalName: 'bad target.com' }, /not a valid DNS name/],
      [{ ...base, label: 'contoso.com', recordType: 'Caa', supportedService: 'Email' }, /unknown type/],
    ];
    for (const [g, why] of bad) expect(() => recordsFromGraph('contoso.com', { verification: [], service: [g] })).toThrow(why);
  });

  it('splits TXT values longer than 255 bytes into strings, as DNS carries them', () => {
    const long = `v=spf1 ${Array.from({ length: 30 }, (_, i) => `include:s${i}.example.net`).join(' ')} -all`;
    const parts = txtStrings(long);
    expect(parts.length).toBe(3);
    expect(parts.every((p) => Buffer.byteLength(p) <= 255)).toBe(true);
    expect(parts.join('')).toBe(long);
  });
});

describe('SPF', () => {
  it('merges Microsoft\'s include into the existing policy, keeping the admin\'s all and redirect', () => {
    expect(mergeSpf(['v=spf1 mx ip4:203.0.113.5 -all'], 'v=spf1 include:spf.protection.outlook.com ~all'))
      .toBe('v=spf1 mx ip4:203.0.113.5 include:spf.protection.outlook.com -all');
    expect(mergeSpf(['v=spf1 a redirect=_spf.contoso.com'], 'v=spf1 include:spf.protection.outlook.com ~all'))
      .toBe('v=spf1 a include:spf.protection.outlook.com redirect=_spf.contoso.com');
    expect(mergeSpf(['v=spf1 mx -all', 'v=spf1 include:mail.example.net ~all'], 'v=spf1 include:spf.protection.outlook.com ~all'))
      .toBe('v=spf1 mx include:mail.example.net include:spf.protection.outlook.com -all');
    expect(spfLookups('v=spf1 mx a:x.com ip4:1.2.3.4 include:a.com include:b.com ~all')).toBe(4);
  });
});

describe('plan', () => {
  const mx = (preference: number, exchange: string): ExistingRecord => ({ type: 'MX', name: 'contoso.com', ttl: 3600, preference, exchange });
  const txt = (text: string, name = 'contoso.com'): ExistingRecord => ({ type: 'TXT', name, ttl: 3600, text });

  it('adds everything to an empty domain, each with a why', () => {
    const plan = planRecords('contoso.com', wanted(), [{ type: 'NS', name: 'contoso.com', ttl: 0, value: 'ns1.contoso.com' }]);
    expect(plan.conflicts).toEqual([]);
    expect(plan.changes.map((c) => c.action)).toEqual(['add', 'add', 'add', 'add', 'add']);
    expect(plan.changes.every((c) => c.why.length > 20)).toBe(true);
    expect(plan.changes[0]!.why).toMatch(/owns contoso\.com/);
    expect(byType(plan.changes, 'MX')[0]!.record).toMatchObject({ preference: 0 });
  });

  it('keeps an existing MX preferred while mail is migrated (the seed\'s warning), or replaces it on request', () => {
    const existing = [mx(10, 'mail.contoso.com'), mx(20, 'backup.contoso.com')];
    const migrating = byType(planRecords('contoso.com', wanted(), existing).changes, 'MX')[0]!;
    expect(migrating.action).toBe('add');
    expect(migrating.record).toMatchObject({ exchange: 'contoso-com.mail.protection.outlook.com', preference: 30 });
    expect(migrating.replaces).toEqual([]);
    expect(migrating.why).toMatch(/mail\.contoso\.com \(preference 10\) keeps receiving mail.*preference 30.*set it to 0/);
    const cutover = byType(planRecords('contoso.com', wanted(), existing, { replaceExistingMx: true }).changes, 'MX')[0]!;
    expect(cutover).toMatchObject({ action: 'replace', record: { preference: 0 }, replaces: existing });
    const done = byType(planRecords('contoso.com', wanted(), [mx(5, 'contoso-com.mail.protection.outlook.com')]).changes, 'MX')[0]!;
    expect(done.action).toBe('keep');
  });

  it('publishes one SPF record: merges into an existing one, fixes two, keeps one that already covers it', () => {
    const spfOf = (existing: ExistingRecord[]) => byType(planRecords('contoso.com', wanted(), existing).changes, 'TXT').find((c) => c.purpose === 'service')!;
    const merged = spfOf([txt('v=spf1 mx -all'), txt('google-site-verification=abc')]);
    expect(merged).toMatchObject({ action: 'replace', record: { text: 'v=spf1 mx include:spf.protection.outlook.com -all' }, replaces: [txt('v=spf1 mx -all')] });
    expect(merged.why).toMatch(/only one/);
    const two = spfOf([txt('v=spf1 mx -all'), txt('v=spf1 a ~all')]);
    expect(two.replaces).toHaveLength(2);
    expect(two.why).toMatch(/has 2 SPF records/);
    expect(spfOf([txt('v=spf1 include:spf.protection.outlook.com mx -all')]).action).toBe('keep');
    const many = spfOf([txt(`v=spf1 ${Array.from({ length: 10 }, (_, i) => `include:s${i}.example.net`).join(' ')} -all`)]);
    expect(many.why).toMatch(/needs 11 DNS lookups/);
    // writes: the old SPF goes, the merged one comes, the verification TXT is added beside
    const w = planWrites(planRecords('contoso.com', wanted(), [txt('v=spf1 mx -all')]));
    expect(w.remove).toEqual([txt('v=spf1 mx -all')]);
    expect(w.add.filter((r) => r.type === 'TXT').map((r) => recordValue(r))).toEqual(['MS=ms12345678', 'v=spf1 mx include:spf.protection.outlook.com -all']);
    expect(inverseWrites(w)).toEqual({ add: w.remove, remove: w.add });
  });

  it('never puts a CNAME beside other records', () => {
    const a: ExistingRecord = { type: 'A', name: 'autodiscover.contoso.com', ttl: 300, value: '203.0.113.9' };
    const plan = planRecords('contoso.com', wanted(), [a]);
    expect(byType(plan.changes, 'CNAME')).toEqual([]);
    expect(plan.conflicts).toHaveLength(1);
    expect(plan.conflicts[0]).toMatchObject({ record: { type: 'CNAME', name: 'autodiscover.contoso.com' }, blocking: [a] });
    expect(plan.conflicts[0]!.why).toMatch(/already has A 203\.0\.113\.9.*can hold no other record/);
    expect(planWrites(plan).add.some((r) => r.type === 'CNAME')).toBe(false);
    // an alias in the way of a TXT
    const alias: ExistingRecord = { type: 'CNAME', name: 'contoso.com', ttl: 300, target: 'elsewhere.example.net' };
    const blocked = planRecords('contoso.com', wanted(), [alias]);
    expect(blocked.conflicts.map((c) => c.record.type)).toEqual(['TXT', 'MX', 'TXT']);
    // a different alias target is replaced, the same one kept
    const old: ExistingRecord = { type: 'CNAME', name: 'autodiscover.contoso.com', ttl: 300, target: 'mail.contoso.com' };
    expect(byType(planRecords('contoso.com', wanted(), [old]).changes, 'CNAME')[0]).toMatchObject({ action: 'replace', replaces: [old] });
    expect(byType(planRecords('contoso.com', wanted(), [{ ...old, target: 'autodiscover.outlook.com' }]).changes, 'CNAME')[0]!.action).toBe('keep');
  });
});
