import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DelegatedAdminSession, ADMIN_SCOPES } from '../../electron/tenant/admin-sign-in';
import { generateAppCertificate } from '../../electron/tenant/certificate';
import { createAgent, send } from '../../electron/tenant/https-transport';
import type { TenantClient } from '../../electron/tenant/tenant-client';
import { loadCsdl } from '../csdl/csdl-schema';
import { validateActionBody, validateErrorBody, validateObject } from '../csdl/csdl-validate';
import { ROUTE_TYPES, routeTypesFor } from '../csdl/route-types';
import { startTestBind, type TestBind } from '../dns/bind-harness';
import type { SandboxTenant } from '../sandbox-tenant/sandbox';
import { SANDBOX_PUBLIC_CLIENT_ID } from '../sandbox-tenant/state';
import { appClient, endpointsOf, SERVICE_APP_ROLES, startSandbox, USER_ADMIN } from './tenant-helpers';

let sb: SandboxTenant;
let registrar: TestBind;
let client: TenantClient;

/** A delegated admin session from a resource-owner token (the browser flow is covered in tenant-auth). */
async function adminSession(): Promise<DelegatedAdminSession> {
  const agent = createAgent(sb.caPem);
  const token = async () => {
    const form = new URLSearchParams({ grant_type: 'password', client_id: SANDBOX_PUBLIC_CLIENT_ID, username: 'admin@contoso.onmicrosoft.com', password: 'Sandbox-Admin-1!', scope: [...ADMIN_SCOPES, 'openid'].join(' ') });
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
});
afterAll(async () => { await sb?.stop(); await registrar?.stop(); });

describe('CSDL conformance (v1.0 metadata)', () => {
  it('every request body and response matches the CSDL types', async () => {
    const schema = loadCsdl();
    const exchanges = await sb.control.exchanges();
    expect(exchanges.length).toBeGreaterThan(40);
    const problems: string[] = [];
    const seen = new Set<number>();
    for (const x of exchanges) {
      const path = x.path.split('?')[0]!;
      const rt = routeTypesFor(x.method, path);
      if (!rt) { problems.push(`${x.method} ${path}: route not in the CSDL contract`); continue; }
      seen.add(ROUTE_TYPES.indexOf(rt));
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
    expect([...new Set(problems)]).toEqual([]);
    const unexercised = ROUTE_TYPES.filter((_, i) => !seen.has(i)).map((r) => `${r.method} ${r.path.source}`);
    expect(unexercised).toEqual([]);
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
