import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DelegatedAdminSession, ADMIN_SCOPES } from '../../electron/tenant/admin-sign-in';
import { generateAppCertificate } from '../../electron/tenant/certificate';
import { createAgent, send } from '../../electron/tenant/https-transport';
import type { TenantClient } from '../../electron/tenant/tenant-client';
import { loadCsdl } from '../csdl/csdl-schema';
import { validateActionBody, validateErrorBody, validateObject } from '../csdl/csdl-validate';
import { ROUTE_TYPES, routeTypesFor, SANDBOX_ROUTE_TYPES, type RouteTypes } from '../csdl/route-types';
import { startTestBind, type TestBind } from '../dns/bind-harness';
import type { ExchangeRecord } from '../sandbox-tenant/graph-core';
import type { SandboxTenant } from '../sandbox-tenant/sandbox';
import { SANDBOX_PUBLIC_CLIENT_ID } from '../sandbox-tenant/state';
import { appClient, endpointsOf, SERVICE_APP_ROLES, startSandbox, USER_ADMIN } from './tenant-helpers';

let sb: SandboxTenant;
let registrar: TestBind;
let client: TenantClient;
let clientExchanges: ExchangeRecord[];
let sandboxExchanges: ExchangeRecord[];
let typeProbes: ExchangeRecord[];

/** A delegated admin session from a resource-owner token (the browser flow is covered in tenant-auth). */
async function adminSession(scopes = [...ADMIN_SCOPES, 'openid']): Promise<DelegatedAdminSession> {
  const agent = createAgent(sb.caPem);
  const token = async () => {
    const form = new URLSearchParams({ grant_type: 'password', client_id: SANDBOX_PUBLIC_CLIENT_ID, username: 'admin@contoso.onmicrosoft.com', password: 'Sandbox-Admin-1!', scope: scopes.join(' ') });
    const r = await send(`${sb.authorityUrl}/oauth2/v2.0/token`, agent, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(), timeoutMs: 5000 });
    return (JSON.parse(r.body) as { access_token: string }).access_token;
  };
  return new DelegatedAdminSession(token, { username: 'admin@contoso.onmicrosoft.com', tenantId: sb.tenantId }, sb.tenantId, endpointsOf(sb), SANDBOX_PUBLIC_CLIENT_ID);
}

beforeAll(async () => {
  registrar = await startTestBind({ zones: ['csdl.example'] });
  sb = await startSandbox({ dnsServers: [registrar.server] });
  ({ client } = await appClient(sb));
  await sb.control.clearExchanges();
  // Exercise every route the client knows, including error paths.
  const admin = await adminSession();
  await admin.me();
  await admin.myRoleTemplateIds();
  const cert = generateAppCertificate('csdl');
  await admin.bootstrapApp({ displayName: 'OpenEssentials CSDL', keyCredential: cert.keyCredential, appRoles: SERVICE_APP_ROLES, directoryRoles: [USER_ADMIN] });
  await admin.bootstrapApp({ displayName: 'OpenEssentials CSDL', keyCredential: cert.keyCredential, appRoles: SERVICE_APP_ROLES, directoryRoles: [USER_ADMIN] });
  await client.getOrganization();
  await client.addDomain('csdl.example');
  const txt = (await client.getVerificationDnsRecords('csdl.example')).find((r) => r.recordType === 'Txt') as { text: string };
  await client.verifyDomain('csdl.example').catch(() => undefined);
  await registrar.update([`update add csdl.example. 3600 TXT "${txt.text}"`]);
  await client.verifyDomain('csdl.example');
  await client.getServiceConfigurationRecords('csdl.example');
  await client.setDefaultDomain('csdl.example');
  await client.setDefaultDomain('contoso.onmicrosoft.com');
  await client.getDomain('csdl.example');
  await client.deleteDomain('csdl.example');
  await client.listDomains();
  const skus = await client.listSkus();
  const delta = await client.usersDelta();
  const u = await client.createUser({ userPrincipalName: 'csdl@contoso.com', displayName: 'Csdl', mailNickname: 'csdl', password: 'Xy-Passw0rd-1!', usageLocation: 'US', givenName: 'C', surname: 'Sdl', onPremisesImmutableId: 'AAECAwQFBgcICQoLDA0ODw==' });
  await client.createUser({ userPrincipalName: 'csdl@contoso.com', displayName: 'Dup', mailNickname: 'dup', password: 'Xy-Passw0rd-1!' }).catch(() => undefined);
  await client.updateUser(u.id!, { jobTitle: 'Tester', accountEnabled: true });
  await client.setPassword(u.id!, 'Xy-Passw0rd-2!');
  await client.assignLicense(u.id!, [{ skuId: skus[0]!.skuId! }]);
  await client.getUser(u.id!);
  await client.listUsers({ select: ['id', 'displayName', 'assignedLicenses'], top: 2 });
  await client.findUserByUpn('csdl@contoso.com');
  await client.usersDelta(delta.deltaLink);
  await client.deleteUser(u.id!);
  await client.listDeletedUsers();
  await client.restoreUser(u.id!);
  await client.deleteUser(u.id!);
  await client.purgeDeletedUser(u.id!);
  await client.getUser(u.id!).catch(() => undefined);
  await client.batch([{ id: '1', method: 'GET', url: '/organization' }, { id: '2', method: 'PATCH', url: '/users/alex.wilber@contoso.com', body: { department: 'Sales' } }]);
  clientExchanges = await sb.control.exchanges();
  await sb.control.clearExchanges();
  // `.default`: everything an administrator consented to for the sandbox's public client (see state.ts).
  await exerciseSandboxRoutes((await adminSession(['https://graph.microsoft.com/.default', 'openid'])).client);
  sandboxExchanges = await sb.control.exchanges();
  await sb.control.clearExchanges();
  await probeValueTypes(admin.client);
  typeProbes = await sb.control.exchanges();
});

/** The routes other Microsoft 365 clients use, with an admin's delegated token (Directory.ReadWrite.All and friends). */
async function exerciseSandboxRoutes(c: TenantClient): Promise<void> {
  const g = c.graph;
  const org = await c.getOrganization();
  await g.call('GET', `/organization/${org.id}`);
  await g.call('PATCH', `/organization/${org.id}`, { technicalNotificationMails: ['it@contoso.com'] });
  const sku = (await c.listSkus())[0]!;
  await g.call('GET', `/subscribedSkus/${sku.id}`);
  const alex = await c.getUser('alex.wilber@contoso.com');
  const megan = await c.getUser('megan.bowen@contoso.com');
  // The app's caller has no PUT (it needs none); the SDK client under it does.
  await g.client.api(`/users/${megan.id}/manager/$ref`).put({ '@odata.id': `https://graph.microsoft.com/v1.0/users/${alex.id}` });
  await g.call('GET', `/users/${megan.id}/manager`);
  await g.call('GET', `/users/${alex.id}/directReports`);
  await g.call('DELETE', `/users/${megan.id}/manager/$ref`);
  await g.call('GET', `/users/${alex.id}/memberOf`);
  await g.call('GET', `/users/${alex.id}/transitiveMemberOf`);
  await g.call('POST', `/users/${alex.id}/getMemberGroups`, { securityEnabledOnly: false });
  await g.call('GET', `/users/${alex.id}/licenseDetails`);
  await g.call('POST', `/users/${megan.id}/revokeSignInSessions`);
  const group = await g.call<{ id: string }>('POST', '/groups', { displayName: 'CSDL Team', mailEnabled: true, mailNickname: 'csdlteam', securityEnabled: false, groupTypes: ['Unified'] });
  await g.call('GET', '/groups?$select=id,displayName,groupTypes,mailEnabled,securityEnabled');
  await g.call('GET', `/groups/${group.id}`);
  await g.call('PATCH', `/groups/${group.id}`, { description: 'Checked against the CSDL' });
  await g.call('POST', `/groups/${group.id}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${alex.id}` });
  await g.call('POST', `/groups/${group.id}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${alex.id}` }).catch(() => undefined);
  await g.call('POST', `/groups/${group.id}/owners/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/users/${megan.id}` });
  await g.call('GET', `/groups/${group.id}/members`);
  await g.call('GET', `/groups/${group.id}/owners`);
  await g.call('GET', `/groups/${group.id}/transitiveMembers`);
  await g.call('GET', `/groups/${group.id}/members/microsoft.graph.user`);
  await g.call('GET', `/users/${alex.id}/memberOf/microsoft.graph.group`);
  const bound = await g.call<{ id: string }>('POST', '/groups', {
    displayName: 'Bound', mailEnabled: false, mailNickname: 'bound', securityEnabled: true,
    'owners@odata.bind': [`https://graph.microsoft.com/v1.0/users/${megan.id}`], 'members@odata.bind': [`https://graph.microsoft.com/v1.0/directoryObjects/${alex.id}`],
  });
  await g.call('DELETE', `/groups/${bound.id}`);
  await g.call('DELETE', `/groups/${group.id}/members/${alex.id}/$ref`);
  await g.call('DELETE', `/groups/${group.id}`);
  await g.call('GET', '/directory/deletedItems/microsoft.graph.group');
  const roles = await g.call<{ value: { id: string }[] }>('GET', '/directoryRoles');
  await g.call('GET', `/directoryRoles/${roles.value[0]!.id}`);
  await g.call('GET', `/directoryRoles/${roles.value[0]!.id}/members`);
  await g.call('GET', '/roleManagement/directory/roleDefinitions');
  await g.call('GET', '/roleManagement/directory/roleDefinitions/62e90394-69f5-4237-9190-012177145e10');
  await g.call('POST', '/invitations', { invitedUserEmailAddress: 'guest@fabrikam.example', inviteRedirectUrl: 'https://myapps.microsoft.com' });
  await g.call('GET', "/tenantRelationships/findTenantInformationByDomainName(domainName='contoso.com')");
  const app = (await g.call<{ value: { id: string }[] }>('GET', '/applications')).value[0]!;
  await g.call('GET', `/applications/${app.id}`);
  const secret = await g.call<{ keyId: string }>('POST', `/applications/${app.id}/addPassword`, { passwordCredential: { displayName: 'csdl' } });
  await g.call('POST', `/applications/${app.id}/removePassword`, { keyId: secret.keyId });
  const sp = (await g.call<{ value: { id: string }[] }>('GET', '/servicePrincipals')).value[0]!;
  await g.call('GET', `/servicePrincipals/${sp.id}`);
}

/** Bodies with right and wrong value types: the sandbox must refuse exactly those the CSDL checker flags. */
async function probeValueTypes(c: TenantClient): Promise<void> {
  const base = { displayName: 'Types', mailNickname: 'types', userPrincipalName: 'types@contoso.com', passwordProfile: { password: 'Xy-Passw0rd-7!' } };
  const bodies: Record<string, unknown>[] = [
    { ...base, accountEnabled: 'yes' }, { ...base, accountEnabled: true, displayName: 42 }, { ...base, accountEnabled: true, businessPhones: '+1 555' },
    { ...base, accountEnabled: true, employeeHireDate: 'soon' }, { ...base, accountEnabled: true, passwordProfile: { password: 'Xy-Passw0rd-7!', forceChangePasswordNextSignIn: 'no' } },
    { ...base, accountEnabled: true, jobTitle: ['a'] }, { ...base, accountEnabled: true, jobTitle: 'Typed', businessPhones: ['+1 555 0100'] },
  ];
  for (const b of bodies) await c.graph.call('POST', '/users', b).catch(() => undefined);
  await c.graph.call('PATCH', '/users/types@contoso.com', { accountEnabled: 0 }).catch(() => undefined);
  await c.graph.call('PATCH', '/users/types@contoso.com', { officeLocation: 'Desk 1' });
}

/** Check exchanges against route typings; returns the problems and the routes never exercised. */
function conformance(exchanges: ExchangeRecord[], routes: RouteTypes[], mustExercise = routes): { problems: string[]; unexercised: string[] } {
  const schema = loadCsdl();
  const problems: string[] = [];
  const seen = new Set<number>();
  for (const x of exchanges) {
    const path = x.path.split('?')[0]!;
    const rt = routeTypesFor(x.method, path, routes);
    if (!rt) { problems.push(`${x.method} ${path}: route not in the CSDL contract`); continue; }
    seen.add(routes.indexOf(rt));
    const where = `${x.method} ${path}`;
    if (x.requestBody !== undefined && rt.request) {
      const p = typeof rt.request === 'string' ? validateObject(schema, x.requestBody, rt.request) : validateActionBody(schema, x.requestBody, rt.request.action, rt.request.binding);
      problems.push(...p.map((m) => `${where} request ${m}`));
    }
    if (x.status >= 400) { problems.push(...validateErrorBody(x.responseBody).map((m) => `${where} ${x.status} ${m}`)); continue; }
    if (!rt.response || x.responseBody === undefined) continue;
    if (rt.collection) {
      const value = (x.responseBody as { value?: unknown[] }).value;
      if (!Array.isArray(value)) { problems.push(`${where}: expected value[]`); continue; }
      value.forEach((v, i) => problems.push(...validateObject(schema, v, rt.response!, `$.value[${i}]`).map((m) => `${where} response ${m}`)));
    } else {
      problems.push(...validateObject(schema, x.responseBody, rt.response).map((m) => `${where} response ${m}`));
    }
  }
  return { problems: [...new Set(problems)], unexercised: mustExercise.filter((r) => !seen.has(routes.indexOf(r))).map((r) => `${r.method} ${r.path.source}`) };
}
afterAll(async () => { await sb?.stop(); await registrar?.stop(); });

describe('CSDL conformance (v1.0 metadata)', () => {
  it('every request body and response of the client matches the CSDL types', () => {
    expect(clientExchanges.length).toBeGreaterThan(40);
    expect(conformance(clientExchanges, ROUTE_TYPES)).toEqual({ problems: [], unexercised: [] });
  });

  it('so do the sandbox routes other clients use (groups, members, manager, roles, invitations, secrets…)', () => {
    expect(sandboxExchanges.length).toBeGreaterThan(40);
    expect(conformance(sandboxExchanges, [...SANDBOX_ROUTE_TYPES, ...ROUTE_TYPES], SANDBOX_ROUTE_TYPES)).toEqual({ problems: [], unexercised: [] });
  });

  it('the sandbox refuses exactly the request bodies whose value types the CSDL rejects, with Graph\'s text', () => {
    const schema = loadCsdl();
    const verdicts = typeProbes.map((x) => ({ flagged: validateObject(schema, x.requestBody, 'microsoft.graph.user').length > 0, refused: x.status === 400 }));
    expect(verdicts.filter((v) => v.flagged !== v.refused)).toEqual([]);
    expect(verdicts.filter((v) => v.refused).length).toBe(7);
    const messages = typeProbes.filter((x) => x.status === 400).map((x) => (x.responseBody as { error: { message: string } }).error.message);
    expect(messages).toContain("Cannot convert the literal 'yes' to the expected type 'Edm.Boolean'.");
    expect(messages).toContain("Cannot convert the literal '42' to the expected type 'Edm.String'.");
    expect(messages).toContain("Cannot convert the literal 'soon' to the expected type 'Edm.DateTimeOffset'.");
    expect(messages).toContain("Cannot convert the literal 'no' to the expected type 'Edm.Boolean'.");
  });

  it('the checker itself catches wrong names and types', () => {
    const schema = loadCsdl();
    expect(validateObject(schema, { displayName: 'x', accountEnabled: true }, 'microsoft.graph.user')).toEqual([]);
    expect(validateObject(schema, { displayname: 'x' }, 'microsoft.graph.user')).toEqual(['$.displayname: not a property of microsoft.graph.user']);
    expect(validateObject(schema, { accountEnabled: 'yes' }, 'microsoft.graph.user')).toEqual(['$.accountEnabled: expected boolean, got string']);
    expect(validateObject(schema, { assignedLicenses: [{ skuId: 'nope' }] }, 'microsoft.graph.user')[0]).toMatch(/skuId: expected Guid/);
    expect(validateObject(schema, { '@odata.type': '#microsoft.graph.domainDnsMxRecord', mailExchange: 'x', preference: 1.5 }, 'microsoft.graph.domainDnsRecord')).toEqual(['$.preference: expected integer, got 1.5']);
    expect(validateActionBody(schema, { addLicenses: [] }, 'assignLicense', 'microsoft.graph.user')).toEqual(['$.removeLicenses: required parameter missing']);
  });
});
