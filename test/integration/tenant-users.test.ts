import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantClient } from '../../electron/tenant/tenant-client';
import { TenantError } from '../../electron/tenant/tenant-errors';
import { startTestBind, type TestBind } from '../dns/bind-harness';
import type { SandboxTenant } from '../sandbox-tenant/sandbox';
import { appClient, startSandbox } from './tenant-helpers';

let sb: SandboxTenant;
let client: TenantClient;
let registrar: TestBind;

beforeAll(async () => {
  registrar = await startTestBind({ zones: ['northwind.com'] });
  sb = await startSandbox({ dnsServers: [registrar.server] });
  ({ client } = await appClient(sb));
});
afterAll(async () => { await sb?.stop(); await registrar?.stop(); });

async function expectTenantError(p: Promise<unknown>, code: string, graphMessage?: string): Promise<TenantError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(TenantError);
  const te = e as TenantError;
  expect(te.code).toBe(code);
  if (graphMessage) expect(te.details.graphMessage).toBe(graphMessage);
  return te;
}

describe('organization, domains, skus', () => {
  it('reads the organization with verified domains', async () => {
    const org = await client.getOrganization();
    expect(org.id).toBe(sb.tenantId);
    expect(org.displayName).toBe('Contoso');
    expect(org.verifiedDomains?.map((d) => d.name).sort()).toEqual(['contoso.com', 'contoso.onmicrosoft.com']);
    expect(org.verifiedDomains?.find((d) => d.isInitial)?.name).toBe('contoso.onmicrosoft.com');
  });

  it('adds, verifies and configures a domain; delete is blocked while referenced', async () => {
    const d = await client.addDomain('northwind.com');
    expect(d).toMatchObject({ id: 'northwind.com', isVerified: false, isDefault: false });
    const records = await client.getVerificationDnsRecords('northwind.com');
    const txt = records.find((r) => r.recordType === 'Txt') as { text?: string };
    expect(txt.text).toMatch(/^MS=ms\d{8}$/);
    await expectTenantError(client.verifyDomain('northwind.com'), 'domain-not-verified');
    await registrar.update([`update add northwind.com. 3600 TXT "${txt.text!}"`]);
    expect((await client.verifyDomain('northwind.com')).isVerified).toBe(true);
    const svc = await client.getServiceConfigurationRecords('northwind.com');
    expect(svc.find((r) => r.recordType === 'Mx')).toMatchObject({ mailExchange: 'northwind-com.mail.protection.outlook.com' });
    expect(svc.find((r) => r.recordType === 'Txt')).toMatchObject({ text: 'v=spf1 include:spf.protection.outlook.com -all' });
    await client.setDefaultDomain('northwind.com');
    expect((await client.listDomains()).filter((x) => x.isDefault).map((x) => x.id)).toEqual(['northwind.com']);
    await client.setDefaultDomain('contoso.onmicrosoft.com');
    await client.createUser({ userPrincipalName: 'ref@northwind.com', displayName: 'Ref', mailNickname: 'ref', password: 'Xy-Passw0rd-8!' });
    await expectTenantError(client.deleteDomain('northwind.com'), 'domain-in-use');
    await client.deleteUser('ref@northwind.com');
    await client.deleteDomain('northwind.com');
    await expectTenantError(client.getDomain('northwind.com'), 'not-found');
  });

  it('lists SKUs with seats', async () => {
    const skus = await client.listSkus();
    const bp = skus.find((s) => s.skuPartNumber === 'O365_BUSINESS_PREMIUM');
    expect(bp?.prepaidUnits?.enabled).toBe(25);
    expect(bp?.consumedUnits).toBe(0);
    expect(bp?.servicePlans?.length).toBeGreaterThan(0);
  });
});

describe('users', () => {
  it('creates, reads, filters, pages and counts users', async () => {
    for (let i = 0; i < 7; i++) {
      await client.createUser({ userPrincipalName: `page${i}@contoso.com`, displayName: `Page ${i}`, mailNickname: `page${i}`, password: `Xy-Passw0rd-9${i}`, usageLocation: 'GB' });
    }
    // Without $select Graph returns the default property set only (no accountEnabled, no usageLocation).
    const plain = await client.getUser('page3@contoso.com');
    expect(Object.keys(plain).sort()).toEqual(['@odata.context', 'businessPhones', 'displayName', 'givenName', 'id', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName']);
    const got = await client.getUser('page3@contoso.com', ['displayName', 'accountEnabled', 'usageLocation', 'passwordProfile']);
    expect(got).toMatchObject({ displayName: 'Page 3', accountEnabled: true, usageLocation: 'GB' });
    expect(got).not.toHaveProperty('passwordProfile');
    const filtered = await client.listUsers({ filter: "startswith(displayName,'Page ')", select: ['id', 'displayName'], top: 3 });
    expect(filtered.map((u) => u.displayName).sort()).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `Page ${i}`));
    expect(Object.keys(filtered[0]!).sort()).toEqual(['displayName', 'id']);
    const first = await client.listUsersPage({ filter: "startswith(displayName,'Page ')", top: 3, count: true });
    expect(first.users).toHaveLength(3);
    expect(first.count).toBe(7);
    expect(first.nextLink).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/v1\.0\/users\?/);
    expect(await client.findUserByUpn('PAGE5@contoso.com')).toMatchObject({ displayName: 'Page 5' });
    expect(await client.findUserByUpn('nobody@contoso.com')).toBeUndefined();
    await expectTenantError(client.listUsersPage({ top: 1000 }), 'bad-request', "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive.");
  });

  it('rejects bad input with Graph\'s exact errors', async () => {
    await expectTenantError(client.createUser({ userPrincipalName: 'weak@contoso.com', displayName: 'W', mailNickname: 'weak', password: 'password' }),
      'password-policy', 'The specified password does not comply with password complexity requirements. Please provide a different password.');
    await expectTenantError(client.createUser({ userPrincipalName: 'alex.wilber@contoso.com', displayName: 'A', mailNickname: 'alexw', password: 'Str0ng-Passw0rd!' }),
      'upn-conflict', 'Another object with the same value for property userPrincipalName already exists.');
    await expectTenantError(client.createUser({ userPrincipalName: 'x@fabrikam-unverified.com', displayName: 'X', mailNickname: 'x', password: 'Str0ng-Passw0rd!' }), 'invalid-domain');
    await expectTenantError(client.createUser({ userPrincipalName: 'bad@contoso.com', displayName: 'B', mailNickname: 'bäd', password: 'Str0ng-Passw0rd!' }),
      'bad-request', "Invalid value specified for property 'mailNickname' of resource 'User'.");
    await expectTenantError(client.getUser('00000000-0000-0000-0000-000000000000'), 'not-found');
  });

  it('updates, sets passwords (checked by sign-in), disables and enforces the policy', async () => {
    const u = await client.createUser({ userPrincipalName: 'pw@contoso.com', displayName: 'Pw', mailNickname: 'pw', password: 'First-Passw0rd!' });
    await client.updateUser(u.id!, { jobTitle: 'Chef', department: 'Kitchen' });
    const sel = await client.getUser(u.id!, ['jobTitle', 'department']);
    expect(Object.keys(sel).filter((k) => !k.startsWith('@odata.')).sort()).toEqual(['department', 'id', 'jobTitle']);
    expect(sel).toMatchObject({ id: u.id, jobTitle: 'Chef', department: 'Kitchen' });
    await client.setPassword(u.id!, 'Second-Passw0rd!');
    expect(await sb.control.checkPassword('pw@contoso.com', 'Second-Passw0rd!')).toBe(true);
    expect(await sb.control.checkPassword('pw@contoso.com', 'First-Passw0rd!')).toBe(false);
    await expectTenantError(client.setPassword(u.id!, 'short'), 'password-policy');
    await client.setAccountEnabled(u.id!, false);
    expect((await client.getUser(u.id!, ['accountEnabled'])).accountEnabled).toBe(false);
  });

  it('assigns licenses with usage location and seat checks', async () => {
    const skus = await client.listSkus();
    const ex = skus.find((s) => s.skuPartNumber === 'EXCHANGESTANDARD')!;
    const u = await client.createUser({ userPrincipalName: 'lic@contoso.com', displayName: 'Lic', mailNickname: 'lic', password: 'Xy-Passw0rd-5!' });
    await expectTenantError(client.assignLicense(u.id!, [{ skuId: ex.skuId! }]), 'usage-location-required',
      'License assignment cannot be done for user with invalid usage location.');
    await client.updateUser(u.id!, { usageLocation: 'US' });
    const after = await client.assignLicense(u.id!, [{ skuId: ex.skuId! }]);
    expect(after.assignedLicenses).toEqual([{ skuId: ex.skuId, disabledPlans: [] }]);
    expect(after.mail).toBe('lic@contoso.com');
    expect((await client.listSkus()).find((s) => s.skuId === ex.skuId)?.consumedUnits).toBe(1);
    // Fill the remaining 9 seats, then the 11th fails.
    for (let i = 0; i < 9; i++) {
      const x = await client.createUser({ userPrincipalName: `seat${i}@contoso.com`, displayName: `Seat ${i}`, mailNickname: `seat${i}`, password: `Xy-Passw0rd-6${i}`, usageLocation: 'US' });
      await client.assignLicense(x.id!, [{ skuId: ex.skuId! }]);
    }
    const last = await client.createUser({ userPrincipalName: 'seat-x@contoso.com', displayName: 'Seat X', mailNickname: 'seat-x', password: 'Xy-Passw0rd-7!', usageLocation: 'US' });
    await expectTenantError(client.assignLicense(last.id!, [{ skuId: ex.skuId! }]), 'no-license-seats',
      `Subscription with SKU ${ex.skuId} does not have any available licenses.`);
    // Deleting a user frees the seat.
    await client.deleteUser('seat0@contoso.com');
    await client.assignLicense(last.id!, [{ skuId: ex.skuId! }]);
    await client.assignLicense(last.id!, [], [ex.skuId!]);
    expect((await client.getUser(last.id!, ['assignedLicenses'])).assignedLicenses).toEqual([]);
  });

  it('deletes into deletedItems, restores with UPN and proxy conflicts, purges after 30 days', async () => {
    const skus = await client.listSkus();
    const ex = skus.find((s) => s.skuPartNumber === 'O365_BUSINESS_PREMIUM')!;
    const u = await client.createUser({ userPrincipalName: 'gone@contoso.com', displayName: 'Gone', mailNickname: 'gone', password: 'Xy-Passw0rd-1!', usageLocation: 'US' });
    await client.assignLicense(u.id!, [{ skuId: ex.skuId! }]);
    await client.deleteUser(u.id!);
    await expectTenantError(client.getUser(u.id!), 'not-found');
    expect((await client.listDeletedUsers()).map((d) => d.id)).toContain(u.id);
    // A new account takes the UPN: restore conflicts.
    const taker = await client.createUser({ userPrincipalName: 'gone@contoso.com', displayName: 'Taker', mailNickname: 'taker', password: 'Xy-Passw0rd-2!' });
    await expectTenantError(client.restoreUser(u.id!), 'upn-conflict', 'Another object with the same value for property userPrincipalName already exists.');
    // Rename the taker, give it a mailbox whose address collides with the deleted user's proxy address.
    await client.updateUser(taker.id!, { userPrincipalName: 'gone@contoso.onmicrosoft.com' });
    await client.deleteUser(taker.id!);
    const clash = await client.createUser({ userPrincipalName: 'clash@contoso.com', displayName: 'Clash', mailNickname: 'gone', password: 'Xy-Passw0rd-3!', usageLocation: 'US' });
    await client.assignLicense(clash.id!, [{ skuId: ex.skuId! }]); // proxy smtp:gone@contoso.onmicrosoft.com
    await expectTenantError(client.restoreUser(u.id!), 'proxy-conflict', 'Another object with the same value for property proxyAddresses already exists.');
    await client.deleteUser(clash.id!);
    const restored = await client.restoreUser(u.id!);
    expect(restored).toMatchObject({ id: u.id, userPrincipalName: 'gone@contoso.com' });
    expect((await client.getUser(u.id!, ['assignedLicenses'])).assignedLicenses).toHaveLength(1);
    // Purge after 30 days on the sandbox clock.
    await client.deleteUser(u.id!);
    await sb.control.advanceClock(29 * 86_400_000);
    expect((await client.listDeletedUsers()).map((d) => d.id)).toContain(u.id);
    await sb.control.advanceClock(2 * 86_400_000);
    expect((await client.listDeletedUsers()).map((d) => d.id)).not.toContain(u.id);
  });

  it('refuses linking a second account to the same directory user (immutable-id-conflict on PATCH)', async () => {
    const anchor = Buffer.from('link-conflict-guid').toString('base64');
    await client.createUser({ userPrincipalName: 'linked@contoso.com', displayName: 'Linked', mailNickname: 'linked', password: 'Xy-Passw0rd-6!', onPremisesImmutableId: anchor });
    const other = await client.createUser({ userPrincipalName: 'other.link@contoso.com', displayName: 'Other', mailNickname: 'otherlink', password: 'Xy-Passw0rd-6!' });
    await expectTenantError(client.updateUser(other.id!, { onPremisesImmutableId: anchor }), 'immutable-id-conflict', 'Another object with the same value for property onPremisesImmutableId already exists.');
  });

  it('reports a proxy-address conflict on create and on licensing (proxy-conflict)', async () => {
    const skus = await client.listSkus();
    // Any mailbox-bearing SKU with two seats left (earlier tests use some).
    const ex = skus.find((s) => (s.prepaidUnits?.enabled ?? 0) - (s.consumedUnits ?? 0) >= 2)!;
    const mailbox = await client.createUser({ userPrincipalName: 'proxy.owner@contoso.com', displayName: 'Owner', mailNickname: 'proxyowner', password: 'Xy-Passw0rd-8!', usageLocation: 'US' });
    await client.assignLicense(mailbox.id!, [{ skuId: ex.skuId! }]); // smtp:proxyowner@contoso.onmicrosoft.com
    await expectTenantError(client.createUser({ userPrincipalName: 'proxyowner@contoso.onmicrosoft.com', displayName: 'Taker', mailNickname: 'taker2', password: 'Xy-Passw0rd-8!' }), 'proxy-conflict');
    // Same alias, other UPN: its mailbox would get smtp:proxyowner@contoso.onmicrosoft.com, which the owner has.
    const twin = await client.createUser({ userPrincipalName: 'proxy.twin@contoso.com', displayName: 'Twin', mailNickname: 'proxyowner', password: 'Xy-Passw0rd-8!', usageLocation: 'US' });
    await expectTenantError(client.assignLicense(twin.id!, [{ skuId: ex.skuId! }]), 'proxy-conflict', 'Another object with the same value for property proxyAddresses already exists.');
  });

  it('records writes with redacted passwords', async () => {
    await sb.control.clearActions();
    const u = await client.createUser({ userPrincipalName: 'audit@contoso.com', displayName: 'Audit', mailNickname: 'audit', password: 'Xy-Passw0rd-4!' });
    await client.setAccountEnabled(u.id!, false);
    const actions = await sb.control.actions();
    expect(actions.map((a) => [a.method, a.path, a.status, a.target])).toEqual([
      ['POST', '/users', 201, u.id],
      ['PATCH', `/users/${u.id}`, 204, u.id],
    ]);
    expect(JSON.stringify(actions)).not.toContain('Xy-Passw0rd-4!');
    expect((actions[0]!.body as { passwordProfile: { password: string } }).passwordProfile.password).toBe('[REDACTED]');
  });

  it('follows users/delta with changes and @removed', async () => {
    const first = await client.usersDelta(undefined, ['id', 'displayName', 'accountEnabled']);
    expect(first.changed.length).toBe((await sb.control.listUsers()).length);
    const a = await client.createUser({ userPrincipalName: 'delta-a@contoso.com', displayName: 'Delta A', mailNickname: 'delta-a', password: 'Delta-Passw0rd-A' });
    await client.updateUser('megan.bowen@contoso.com', { jobTitle: 'CEO' });
    await client.deleteUser('lee.gu@contoso.com');
    const lee = (await client.listDeletedUsers()).find((d) => d.userPrincipalName === 'lee.gu@contoso.com')!;
    const second = await client.usersDelta(first.deltaLink);
    expect(second.changed.map((u) => u.displayName).sort()).toEqual(['Delta A', 'Megan Bowen']);
    expect(second.changed.find((u) => u.id === a.id)).toEqual({ id: a.id, displayName: 'Delta A', accountEnabled: true });
    expect(second.removedIds).toEqual([lee.id]);
    const third = await client.usersDelta(second.deltaLink);
    expect(third.changed).toEqual([]);
    expect(third.removedIds).toEqual([]);
  });
});
