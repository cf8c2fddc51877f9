// The RFC 2136 path on a real BIND: plan against what the DNS host holds, write with nsupdate and a 0600 key file,
// read back, undo; and every bad input the wizard can meet ends in a clear error with the zone untouched.
import * as dgram from 'node:dgram';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkRecords } from '../../electron/dns/check-records';
import type { DnsError } from '../../electron/dns/dns-errors';
import { findZone, readRecords } from '../../electron/dns/dns-lookup';
import { planRecords, planWrites } from '../../electron/dns/dns-plan';
import type { DnsRecord } from '../../electron/dns/dns-records';
import { renderRecordsFile } from '../../electron/dns/records-file';
import { applyRfc2136, nsupdateArgs, nsupdateScript, undoRfc2136, type Rfc2136Target } from '../../electron/dns/rfc2136';
import { loopbackIp } from '../samba/dc-harness';
import { startTestBind, type TestBind } from '../dns/bind-harness';
import { dnsFailure as failure, microsoftRecords, servedAt, tempLeftovers } from '../dns/dns-fixtures';

const ZONE_RECORDS = ['@ MX 10 mail.contoso.com.', '@ TXT "v=spf1 mx -all"', 'mail A 192.0.2.25', 'autodiscover A 192.0.2.26'];
const WANTED = microsoftRecords('contoso.com');
const NAMES = ['contoso.com', 'autodiscover.contoso.com', '_sip._tls.contoso.com'];

let bind: TestBind;
let target: Rfc2136Target;
const snapshot = () => servedAt(NAMES, bind.server);
const leftovers = () => tempLeftovers('oe-nsupdate-');

beforeAll(async () => {
  bind = await startTestBind({ zones: [{ name: 'contoso.com', records: ZONE_RECORDS }, 'fabrikam.com'] });
  target = { server: bind.ip, zone: 'contoso.com', key: bind.updateKey, timeoutMs: 2000 };
});
afterAll(async () => { await bind?.stop(); });
let original: string[];
beforeEach(async () => { original ??= await snapshot(); });

describe('RFC 2136 updates (nsupdate) on BIND', () => {
  it('plans against what the host holds, writes in one update, reads back, and undoes exactly', async () => {
    const existing = await readRecords(NAMES, { servers: [bind.server] });
    const plan = planRecords('contoso.com', WANTED, existing);
    expect(plan.conflicts.map((c) => `${c.record.type} ${c.record.name}`)).toEqual(['CNAME autodiscover.contoso.com']);
    const applied = await applyRfc2136(target, plan);
    expect(applied).toEqual(planWrites(plan));
    expect(await snapshot()).toEqual([
      '_sip._tls.contoso.com SRV 100 1 443 sipdir.online.lync.com',
      'autodiscover.contoso.com A 192.0.2.26',
      'contoso.com MX 10 mail.contoso.com',
      'contoso.com MX 20 contoso-com.mail.protection.outlook.com',
      'contoso.com NS ns1.contoso.com',
      'contoso.com TXT MS=ms12345678',
      'contoso.com TXT v=spf1 mx include:spf.protection.outlook.com -all',
    ]);
    const checks = await checkRecords(WANTED.map((x) => x.record), { servers: [bind.server] });
    expect(checks.map((c) => c.status)).toEqual(['ok', 'ok', 'ok', 'wrong', 'ok']);
    expect(checks[1]!.message).toMatch(/preference 20; mail still goes to your other mail server first/);
    expect(checks[3]!.message).toBe('autodiscover.contoso.com holds A 192.0.2.26 instead of an alias to autodiscover.outlook.com.');
    await undoRfc2136(target, applied);
    expect(await snapshot()).toEqual(original);
    expect(leftovers()).toEqual([]);
  });

  it('Check again: missing before, ok after the admin adds the records at the DNS host', async () => {
    const records = [WANTED[0]!.record, { type: 'CNAME', name: 'autodiscover.fabrikam.com', ttl: 3600, target: 'autodiscover.outlook.com' } as const];
    const before = await checkRecords(records, { servers: [bind.server] });
    expect(before.map((c) => [c.status, c.message])).toEqual([
      ['missing', 'Not found: TXT contoso.com MS=ms12345678.'],
      ['missing', 'Not found: CNAME autodiscover.fabrikam.com autodiscover.outlook.com.'],
    ]);
    await bind.update(['update add contoso.com. 3600 TXT "MS=ms12345678"']);
    await bind.update(['update add autodiscover.fabrikam.com. 3600 CNAME autodiscover.outlook.com.']);
    expect((await checkRecords(records, { servers: [bind.server] })).map((c) => c.status)).toEqual(['ok', 'ok']);
    await bind.update(['update delete contoso.com. TXT "MS=ms12345678"']);
    await bind.update(['update delete autodiscover.fabrikam.com. CNAME']);
  });

  it('finds the zone a name lives in (a subdomain is inside its parent\'s zone)', async () => {
    expect(await findZone('marketing.contoso.com', { servers: [bind.server] })).toBe('contoso.com');
    expect(await findZone('fabrikam.com', { servers: [bind.server] })).toBe('fabrikam.com');
    const e = await failure(findZone('northwind.com', { servers: [bind.server] }));
    expect(e.code).toBe('zone-not-found');
    expect(e.message).toMatch(/refused to answer for northwind\.com: it does not serve that zone/);
  });

  it('never puts the secret in argv or the script, and leaves no key file behind', async () => {
    const writes = planWrites(planRecords('contoso.com', WANTED, []));
    const script = nsupdateScript(target, writes);
    expect(script).not.toContain(bind.updateKey.secret);
    expect(script.split('\n')[0]).toBe(`server ${bind.ip} 53`);
    expect(nsupdateArgs('/tmp/x/tsig.key').join(' ')).toBe('-k /tmp/x/tsig.key -t 5 -u 5 -r 1');
    const e = await failure(applyRfc2136({ ...target, key: { ...bind.updateKey, secret: Buffer.alloc(32, 7).toString('base64') } }, writes));
    expect(JSON.stringify({ m: e.message, d: e.details })).not.toContain(bind.updateKey.secret);
    expect(leftovers()).toEqual([]);
  });

  const writes = { add: [WANTED[0]!.record], remove: [] };
  const cases: [string, () => Rfc2136Target, DnsError['code'], RegExp][] = [
    ['a wrong TSIG secret', () => ({ ...target, key: { ...bind.updateKey, secret: Buffer.alloc(32, 1).toString('base64') } }), 'bad-key', /rejected the signature: the secret of key "oe-update" is wrong/],
    ['a key the server doesn\'t know', () => ({ ...target, key: { ...bind.updateKey, name: 'no-such-key' } }), 'bad-key', /does not know a key named "no-such-key"/],
    ['a key not allowed to update the zone', () => ({ ...target, key: bind.readOnlyKey }), 'not-authorized', /refused the update: key "oe-read-only" may not change contoso\.com/],
    ['records outside the zone given', () => ({ ...target, zone: 'contoso.org' }), 'invalid-record', /not inside the zone contoso\.org/],
    ['an unreachable server', () => ({ ...target, server: loopbackIp(250) }), 'unreachable', /can't be reached/],
    ['a malformed secret', () => ({ ...target, key: { ...bind.updateKey, secret: 'not base64!' } }), 'invalid-key', /not valid base64/],
    ['a malformed server name', () => ({ ...target, server: 'ns1.contoso.com\nupdate add x' }), 'invalid-name', /not a DNS server name/],
  ];
  it.each(cases)('refuses %s with a clear message and leaves the zone untouched', async (_what, make, code, message) => {
    const e = await failure(applyRfc2136(make(), writes));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
    expect(await snapshot()).toEqual(original);
    expect(leftovers()).toEqual([]);
  });

  it('says so when a server takes the packets but never answers (timeout), for updates and for Check again', async () => {
    const sink = dgram.createSocket('udp4');
    await new Promise<void>((r) => sink.bind(5399, bind.ip, () => r()));
    try {
      const t0 = Date.now();
      const e = await failure(applyRfc2136({ ...target, port: 5399, timeoutMs: 1000 }, writes));
      expect(e.code).toBe('unreachable');
      expect(e.message).toBe(`The DNS server ${bind.ip}:5399 did not answer.`);
      expect(Date.now() - t0).toBeLessThan(15_000);
      const c = await failure(checkRecords([WANTED[0]!.record], { servers: [`${bind.ip}:5399`], timeoutMs: 500, tries: 1 }));
      expect(c).toMatchObject({ code: 'unreachable', message: `The DNS server ${bind.ip}:5399 did not answer (timed out).` });
    } finally {
      sink.close();
    }
    expect(leftovers()).toEqual([]);
  });

  it('says NOTAUTH when the zone exists nowhere on the server', async () => {
    const e = await failure(applyRfc2136({ ...target, zone: 'northwind.com' }, { add: [{ type: 'TXT', name: 'northwind.com', ttl: 60, text: 'x' }], remove: [] }));
    expect(e).toMatchObject({ code: 'zone-not-found', details: { rcode: 'NOTAUTH' } });
    expect(e.message).toMatch(/is not the primary server for northwind\.com/);
  });

  it('reverts and says so when the server accepts an update it then doesn\'t serve', async () => {
    // BIND silently ignores a CNAME added beside other data (RFC 2136 §3.4.2.2); the planner never asks for one
    const cname: DnsRecord = { type: 'CNAME', name: 'autodiscover.contoso.com', ttl: 3600, target: 'autodiscover.outlook.com' };
    const e = await failure(applyRfc2136(target, { add: [WANTED[0]!.record, cname], remove: [] }));
    expect(e.code).toBe('readback-mismatch');
    expect(e.message).toMatch(/CNAME autodiscover\.contoso\.com autodiscover\.outlook\.com is not served.*reverted/);
    expect(await snapshot()).toEqual(original);
  });
});

describe('records file at a DNS host the product can\'t write to', () => {
  it('its zone-file fragment, pasted into the zone by the admin, makes Check again pass', async () => {
    const wanted = WANTED.map((x) => ({ ...x, record: { ...x.record, name: x.record.name.replace('contoso.com', 'northwind.com') } }));
    const plan = planRecords('northwind.com', wanted, []);
    const fragment = renderRecordsFile(plan).split('$ORIGIN northwind.com.\n')[1]!.split('\n\n')[0]!.split('\n');
    expect(fragment).toHaveLength(wanted.length);
    const registrar = await startTestBind({ ip: loopbackIp(60 + Number(process.env.VITEST_POOL_ID ?? 1)), zones: [{ name: 'northwind.com', records: fragment }] });
    try {
      const checks = await checkRecords(wanted.map((x) => x.record), { servers: [registrar.server] });
      expect(checks.map((c) => `${c.status} ${c.record.type}`)).toEqual(['ok TXT', 'ok MX', 'ok TXT', 'ok CNAME', 'ok SRV']);
    } finally {
      await registrar.stop();
    }
  });
});
