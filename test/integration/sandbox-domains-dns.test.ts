// The sandbox's domains against real DNS: verify looks the record up through a resolver (the BIND harness) with
// Node's DNS client — no shortcut; service records follow the tenant's SKUs; a domain of another tenant is refused.
// And the thin layer the wizard will be: Graph's records → plan → nsupdate → verify.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecords } from '../../electron/dns/dns-lookup';
import { planRecords } from '../../electron/dns/dns-plan';
import { recordsFromGraph, type GraphDnsRecord } from '../../electron/dns/dns-records';
import { applyRfc2136 } from '../../electron/dns/rfc2136';
import type { TenantClient } from '../../electron/tenant/tenant-client';
import { TenantError } from '../../electron/tenant/tenant-errors';
import { loadCsdl } from '../csdl/csdl-schema';
import { validateObject } from '../csdl/csdl-validate';
import { startTestBind, type TestBind } from '../dns/bind-harness';
import { loopbackIp } from '../samba/dc-harness';
import type { SandboxTenant } from '../sandbox-tenant/sandbox';
import { appClient, startSandbox } from './tenant-helpers';

let registrar: TestBind;
let sb: SandboxTenant;
let client: TenantClient;
const ZONES = ['adatum.com', 'litware.com', 'northwindtraders.com', 'tailspin.com', 'wingtip.com'];

beforeAll(async () => {
  registrar = await startTestBind({ zones: ZONES });
  sb = await startSandbox({ dnsServers: [registrar.server] });
  ({ client } = await appClient(sb));
});
afterAll(async () => { await sb?.stop(); await registrar?.stop(); });

const verificationText = async (domain: string): Promise<string> =>
  ((await client.getVerificationDnsRecords(domain)).find((r) => r.recordType === 'Txt') as { text: string }).text;
const refusal = async (p: Promise<unknown>): Promise<TenantError> => {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(TenantError);
  return e as TenantError;
};

describe('POST /domains/{id}/verify resolves the record in DNS', () => {
  it('refuses until the TXT is published at the DNS host, then verifies', async () => {
    await client.addDomain('adatum.com');
    const text = await verificationText('adatum.com');
    const before = await refusal(client.verifyDomain('adatum.com'));
    expect(before.code).toBe('domain-not-verified');
    expect(before.details.graphMessage).toBe(`Domain verification failed. Make sure the TXT record ${text} has been added at the domain registrar.`);
    // a near miss is not enough: another value, or the right value at another name
    await registrar.update(['update add adatum.com. 3600 TXT "MS=ms00000000"', `update add www.adatum.com. 3600 TXT "${text}"`]);
    await refusal(client.verifyDomain('adatum.com'));
    await registrar.update([`update add adatum.com. 3600 TXT "${text}"`]);
    const d = await client.verifyDomain('adatum.com');
    expect(d).toMatchObject({ id: 'adatum.com', isVerified: true, supportedServices: ['Email', 'OfficeCommunicationsOnline'] });
  });

  it('accepts the MX alternative', async () => {
    await client.addDomain('litware.com');
    const mx = (await client.getVerificationDnsRecords('litware.com')).find((r) => r.recordType === 'Mx') as { mailExchange: string; preference: number };
    expect(mx.preference).toBe(32767);
    await registrar.update([`update add litware.com. 3600 MX ${mx.preference} ${mx.mailExchange}.`]);
    expect((await client.verifyDomain('litware.com')).isVerified).toBe(true);
  });

  it('can\'t verify anything when its resolver is unreachable', async () => {
    await client.addDomain('tailspin.com');
    await registrar.update([`update add tailspin.com. 3600 TXT "${await verificationText('tailspin.com')}"`]);
    await sb.control.setDnsServers([loopbackIp(250)]);
    try {
      expect((await refusal(client.verifyDomain('tailspin.com'))).code).toBe('domain-not-verified');
    } finally {
      await sb.control.setDnsServers([registrar.server]);
    }
    expect((await client.verifyDomain('tailspin.com')).isVerified).toBe(true);
  });

  it('refuses a domain verified in another tenant, even with the record in place', async () => {
    await client.addDomain('northwindtraders.com');
    await registrar.update([`update add northwindtraders.com. 3600 TXT "${await verificationText('northwindtraders.com')}"`]);
    const e = await refusal(client.verifyDomain('northwindtraders.com'));
    expect(e.details.graphMessage).toBe('The domain northwindtraders.com is already verified in another directory. A domain can be verified in only one directory; remove it there first.');
    await client.addDomain('sales.northwindtraders.com');
    await registrar.update([`update add sales.northwindtraders.com. 3600 TXT "${await verificationText('sales.northwindtraders.com')}"`]);
    await refusal(client.verifyDomain('sales.northwindtraders.com'));
    expect((await client.getDomain('northwindtraders.com')).isVerified).toBe(false);
  });
});

describe('serviceConfigurationRecords', () => {
  it('follow the tenant\'s SKUs, parse in the product, and match the CSDL', async () => {
    const schema = loadCsdl();
    await client.addDomain('wingtip.com');
    const all = await client.getServiceConfigurationRecords('wingtip.com');
    for (const r of all) expect(validateObject(schema, r, 'microsoft.graph.domainDnsRecord')).toEqual([]);
    const parsed = recordsFromGraph('wingtip.com', { verification: await client.getVerificationDnsRecords('wingtip.com') as GraphDnsRecord[], service: all as GraphDnsRecord[] });
    expect(parsed.records.map((w) => `${w.service} ${w.record.type} ${w.record.name}`)).toEqual([
      'Verification TXT wingtip.com',
      'Email MX wingtip.com', 'Email TXT wingtip.com', 'Email CNAME autodiscover.wingtip.com',
      'OfficeCommunicationsOnline SRV _sip._tls.wingtip.com', 'OfficeCommunicationsOnline SRV _sipfederationtls._tcp.wingtip.com',
      'OfficeCommunicationsOnline CNAME sip.wingtip.com', 'OfficeCommunicationsOnline CNAME lyncdiscover.wingtip.com',
    ]);

    const other = await startSandbox({
      seed: {
        skus: [{ skuPartNumber: 'EXCHANGESTANDARD', enabled: 5, servicePlans: ['EXCHANGE_S_STANDARD', 'INTUNE_A'] }],
        domains: [{ id: 'pending.example', isVerified: false, serviceRecordsUnavailable: 'Verify the domain before its records can be generated.' }],
      },
    });
    try {
      const { client: c2 } = await appClient(other);
      await c2.addDomain('fabrikam.net');
      const types = (await c2.getServiceConfigurationRecords('fabrikam.net')).map((r) => `${r.supportedService} ${r.label}`);
      expect(types).toEqual(['Email fabrikam.net', 'Email fabrikam.net', 'Email autodiscover.fabrikam.net', 'Intune enterpriseregistration.fabrikam.net', 'Intune enterpriseenrollment.fabrikam.net']);
      const unavailable = await c2.getServiceConfigurationRecords('pending.example');
      expect(validateObject(schema, unavailable[0], 'microsoft.graph.domainDnsRecord')).toEqual([]);
      expect(recordsFromGraph('pending.example', { verification: [], service: unavailable as GraphDnsRecord[] })).toEqual({
        domain: 'pending.example', records: [], unavailable: [{ label: 'pending.example', service: 'Email', description: 'Verify the domain before its records can be generated.' }],
      });
    } finally {
      await other.stop();
    }
  });
});

describe('the wizard\'s thin layer', () => {
  it('Graph\'s records, planned against the DNS host, written with nsupdate, verify the domain', async () => {
    const domain = 'contoso-link.com';
    const host = await startTestBind({ ip: loopbackIp(60 + Number(process.env.VITEST_POOL_ID ?? 1)), zones: [{ name: domain, records: ['@ MX 10 mail.contoso-link.com.', '@ TXT "v=spf1 mx -all"'] }] });
    await sb.control.setDnsServers([host.server]);
    try {
      await client.addDomain(domain);
      const graph = { verification: await client.getVerificationDnsRecords(domain) as GraphDnsRecord[], service: await client.getServiceConfigurationRecords(domain) as GraphDnsRecord[] };
      const { records } = recordsFromGraph(domain, graph);
      const plan = planRecords(domain, records, await readRecords([...new Set(records.map((w) => w.record.name))], { servers: [host.server] }));
      expect(plan.conflicts).toEqual([]);
      await applyRfc2136({ server: host.ip, zone: domain, key: host.updateKey }, plan);
      const d = await client.verifyDomain(domain);
      expect(d.isVerified).toBe(true);
      const mx = (await readRecords([domain], { servers: [host.server] })).filter((r) => r.type === 'MX');
      expect(mx).toHaveLength(2);
    } finally {
      await sb.control.setDnsServers([registrar.server]);
      await host.stop();
    }
  });
});
