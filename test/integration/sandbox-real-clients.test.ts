// Clients nobody here wrote — Microsoft's Kiota-based Graph SDK signed in by Azure Identity — do everyday admin
// work against the sandbox: once pointed at its address, once with Microsoft's public host names resolved to a
// loopback TLS proxy inside a network namespace. Where the sandbox is not Graph, these fail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxTenant } from '../sandbox-tenant/sandbox';
import { SANDBOX_PUBLIC_CLIENT_ID } from '../sandbox-tenant/state';
import type { ScenarioInput } from './real-clients/graph-sdk-scenario';
import { canMakeNamespaces, openMicrosoftHostsNamespace } from './real-clients/netns';
import { runScenario, type ScenarioResult } from './real-clients/run-scenario';
import { startSandbox, testCertificate } from './tenant-helpers';

const APP_ROLES = ['User.ReadWrite.All', 'Group.ReadWrite.All', 'GroupMember.ReadWrite.All', 'LicenseAssignment.ReadWrite.All', 'Organization.Read.All', 'Application.ReadWrite.All'];

async function prepare(sb: SandboxTenant): Promise<Omit<ScenarioInput, 'authorityHost' | 'graphBaseUrl'>> {
  const c = testCertificate();
  const reg = await sb.control.registerApplication({ displayName: 'Real client', certificateDerBase64: c.keyCredential.key, appRoles: APP_ROLES });
  return {
    tenantId: sb.tenantId, clientId: reg.appId, certificatePem: `${c.privateKeyPem}\n${c.certificatePem}`, publicClientId: SANDBOX_PUBLIC_CLIENT_ID,
    admin: { upn: 'admin@contoso.onmicrosoft.com', password: 'Sandbox-Admin-1!' }, controlSecret: sb.controlSecret,
  };
}

describe('Graph SDK + Azure Identity against the sandbox address', () => {
  let sb: SandboxTenant;
  let r: ScenarioResult;
  beforeAll(async () => {
    sb = await startSandbox();
    r = await runScenario({ ...(await prepare(sb)), authorityHost: sb.url, graphBaseUrl: sb.url }, sb.caPem);
  }, 120_000);
  afterAll(async () => { await sb?.stop(); });
  const step = (name: string) => r.get(name) as Record<string, unknown>;

  it('signs in with a certificate; /me is refused for an app-only token; users come with the default property set', () => {
    expect(step('certificate sign-in')).toMatchObject({
      meAppOnly: { status: 400, message: '/me request is only valid with delegated authentication flow.' },
      alexKeys: ['businessPhones', 'displayName', 'givenName', 'id', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName'],
    });
  });

  it('lists, pages (PageIterator over absolute nextLinks), filters, orders, searches and expands', () => {
    const s = step('list, page, filter, select, expand');
    expect(s.count).toBe(3);
    expect(s.firstPage).toBe(2);
    expect(s.names).toEqual(['alex.wilber@contoso.com', 'lee.gu@contoso.com', 'megan.bowen@contoso.com']);
    expect(s.searched).toEqual(['Megan Bowen']);
    expect(s.memberOf).toEqual(['All Company', 'Sales']);
    expect(s.notSupported).toMatchObject({ status: 400, code: 'Request_UnsupportedQuery', message: 'Unsupported Query.' });
  });

  it('creates, patches, sets a manager by $ref, and refuses what Graph refuses', () => {
    expect(step('create, patch, manager, delete')).toMatchObject({
      jobTitle: 'SDK tester', accountEnabled: true, manager: 'alex.wilber@contoso.com',
      twoPhones: { status: 400, message: "Invalid value specified for property 'businessPhones' of resource 'User'." },
      dup: { status: 400, message: 'Another object with the same value for property userPrincipalName already exists.' },
      weak: { status: 400, message: 'The specified password does not comply with password complexity requirements. Please provide a different password.' },
    });
  });

  it('assigns a license, reads licenseDetails, and filters by assignedLicenses/any()', () => {
    expect(step('licenses')).toEqual({ step: 'licenses', details: ['EXCHANGESTANDARD'], licensed: [['sdk.person@contoso.com', 'sdk.person@contoso.com']] });
  });

  it('creates a security group, adds a member by $ref, and leaves distribution lists to Exchange', () => {
    const s = step('groups and members');
    expect(s.members).toHaveLength(1);
    expect(s.memberOf).toEqual(['SDK Team']);
    expect(s.memberGroups).toHaveLength(1);
    expect(s.again).toMatchObject({ status: 400, message: "One or more added object references already exist for the following modified properties: 'members'." });
    expect(s.readOnly).toMatchObject({ status: 400, message: 'Cannot Update a mail-enabled security groups and or distribution list.' });
    expect(s.mailEnabled).toMatchObject({ status: 400, message: expect.stringMatching(/does not currently support writes of mail-enabled groups/) });
  });

  it('deletes into the recycle bin, restores, deletes and purges', () => {
    expect(step('recycle bin')).toMatchObject({ inBin: true, restored: 'sdk.person@contoso.com', gone: { status: 404 } });
  });

  it('follows users/delta to a deltaLink on the host it called, then sees the change', () => {
    const s = step('delta');
    expect(s.initial).toBeGreaterThanOrEqual(5);
    expect(s.deltaHost).toBe(new URL(sb.url).host);
    expect(s.changed).toEqual(['Changed by SDK']);
  });

  it('adds a client secret, signs in with it, removes it, and the secret stops working (AADSTS7000215)', () => {
    expect(step('client secret')).toMatchObject({ length: 40, readWithSecret: 'Alex Wilber', revoked: 'AADSTS7000215' });
  });

  it('signs an admin in with the device code flow; .default yields the consented scopes', () => {
    expect(step('device code')).toMatchObject({ me: 'admin@contoso.onmicrosoft.com', roles: ['Global Administrator'] });
  });

  it('under write throttling the SDK waits out whole-second Retry-Afters and every write lands', () => {
    const s = step('throttled');
    expect(s.officeLocation).toBe('Desk 7');
    expect(s.elapsedMs).toBeGreaterThan(1000);
    // 8 writes at 3 per second: a client that honours Retry-After is refused a handful of times, not hundreds.
    expect(s.throttled).toBeGreaterThan(0);
    expect(s.throttled).toBeLessThan(12);
  });
});

const netns = canMakeNamespaces();
if (!netns.ok) console.error(`\n*** SKIPPED: the public-host-name run needs network namespaces (ip netns add failed: ${netns.why}). Run as root. ***\n`);

describe.skipIf(!netns.ok)('the same clients with Microsoft\'s public host names, through a TLS proxy in a network namespace', () => {
  let sb: SandboxTenant;
  let r: ScenarioResult;
  beforeAll(async () => {
    sb = await startSandbox();
    const ns = await openMicrosoftHostsNamespace(Number(new URL(sb.url).port));
    try {
      r = await runScenario(await prepare(sb), sb.caPem, ns.spawn);
    } finally { await ns.close(); }
  }, 120_000);
  afterAll(async () => { await sb?.stop(); });

  it('signs in at login.microsoftonline.com (instance discovery, v2.0 metadata, assertion audience on that host)', () => {
    expect(r.get('certificate sign-in')).toMatchObject({ meAppOnly: { status: 400 } });
    expect(r.get('client secret')).toMatchObject({ readWithSecret: 'Alex Wilber', revoked: 'AADSTS7000215' });
    expect(r.get('device code')).toMatchObject({ me: 'admin@contoso.onmicrosoft.com' });
  });

  it('reads and writes graph.microsoft.com, and its links point back there', () => {
    expect(r.get('list, page, filter, select, expand')).toMatchObject({ count: 3, names: ['alex.wilber@contoso.com', 'lee.gu@contoso.com', 'megan.bowen@contoso.com'] });
    expect(r.get('create, patch, manager, delete')).toMatchObject({ jobTitle: 'SDK tester', manager: 'alex.wilber@contoso.com' });
    expect(r.get('licenses')).toMatchObject({ details: ['EXCHANGESTANDARD'] });
    expect(r.get('groups and members')).toMatchObject({ memberOf: ['SDK Team'] });
    expect(r.get('recycle bin')).toMatchObject({ inBin: true, gone: { status: 404 } });
    expect(r.get('delta')).toMatchObject({ deltaHost: 'graph.microsoft.com', changed: ['Changed by SDK'] });
    expect(r.get('throttled')).toMatchObject({ officeLocation: 'Desk 7' });
  });
});
