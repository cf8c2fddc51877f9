import { createHash, X509Certificate } from 'node:crypto';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../electron/stores/secret-store';
import { signInAdmin, type DelegatedAdminSession } from '../../electron/tenant/admin-sign-in';
import { generateAppCertificate } from '../../electron/tenant/certificate';
import { TenantClient } from '../../electron/tenant/tenant-client';
import { TenantError } from '../../electron/tenant/tenant-errors';
import type { SandboxTenant } from '../sandbox-tenant/sandbox';
import { SANDBOX_PUBLIC_CLIENT_ID } from '../sandbox-tenant/state';
import { appClient, endpointsOf, FAST_RETRY, SERVICE_APP_ROLES, startSandbox, testCertificate, USER_ADMIN } from './tenant-helpers';

let sb: SandboxTenant;
let browser: Browser;

function caSpki(pem: string): string {
  const spki = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

beforeAll(async () => {
  sb = await startSandbox();
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', `--ignore-certificate-errors-spki-list=${caSpki(sb.caPem)}`] });
});
afterAll(async () => { await browser?.close(); await sb?.stop(); });

type Step = { upn: string; password: string; retryPassword?: string; consent?: 'accept' | 'cancel' };

/** Drives the sandbox's sign-in page like an admin would; returns the errors shown on the page. */
function browserDriver(step: Step, shown: string[]) {
  return async (url: string) => {
    const page = await browser.newPage();
    await page.goto(url);
    await page.fill('#login', step.upn);
    await page.fill('#passwd', step.password);
    await page.click('#idSIButton9');
    await page.waitForLoadState();
    if (await page.locator('#error').count()) {
      shown.push((await page.locator('#error').textContent()) ?? '');
      await page.fill('#passwd', step.retryPassword ?? '');
      await page.click('#idSIButton9');
      await page.waitForLoadState();
    }
    if (await page.locator('#idBtn_Accept').count()) await page.click(step.consent === 'cancel' ? '#idBtn_Back' : '#idBtn_Accept');
    void page.waitForTimeout(3000).then(() => page.close()).catch(() => undefined);
  };
}

function signIn(step: Step, shown: string[] = []): Promise<DelegatedAdminSession> {
  return signInAdmin({ endpoints: endpointsOf(sb), clientId: SANDBOX_PUBLIC_CLIENT_ID, openBrowser: browserDriver(step, shown) });
}

describe('interactive admin sign-in (auth code + PKCE, loopback)', () => {
  let session: DelegatedAdminSession;
  it('signs in after a wrong password shown on the page, then bootstraps the app', async () => {
    const shown: string[] = [];
    session = await signIn({ upn: 'admin@contoso.onmicrosoft.com', password: 'wrong', retryPassword: 'Sandbox-Admin-1!' }, shown);
    expect(shown).toEqual(["Your account or password is incorrect. If you don't remember your password, reset it now."]);
    expect(session.tenantId).toBe(sb.tenantId);
    expect((await session.me()).userPrincipalName).toBe('admin@contoso.onmicrosoft.com');
    expect((await session.organization()).displayName).toBe('Contoso');

    const cert = generateAppCertificate('OpenEssentials bootstrap');
    await sb.control.setReplicationDelay(300);
    const ids = await session.bootstrapApp({ displayName: 'OpenEssentials', keyCredential: cert.keyCredential, appRoles: SERVICE_APP_ROLES, directoryRoles: [USER_ADMIN] });
    await sb.control.setReplicationDelay(0);
    // The service principal was retried while the new application "replicated".
    const spPosts = (await sb.control.actions()).filter((a) => a.method === 'POST' && a.path === '/servicePrincipals').map((a) => a.status);
    expect(spPosts[0]).toBe(400);
    expect(spPosts.at(-1)).toBe(201);
    const st = await sb.control.state();
    expect(st.applications.find((a) => a.appId === ids.appId)).toBeTruthy();
    expect(st.appRoleAssignments.filter((a) => a.principalId === ids.servicePrincipalId)).toHaveLength(SERVICE_APP_ROLES.length);
    expect(st.roleAssignments.filter((a) => a.principalId === ids.servicePrincipalId).map((a) => a.roleDefinitionId)).toEqual([USER_ADMIN]);
    // Bootstrap is re-runnable: nothing is duplicated.
    const again = await session.bootstrapApp({ displayName: 'OpenEssentials', keyCredential: cert.keyCredential, appRoles: SERVICE_APP_ROLES, directoryRoles: [USER_ADMIN] });
    expect(again).toEqual(ids);
    expect((await sb.control.state()).appRoleAssignments.filter((a) => a.principalId === ids.servicePrincipalId)).toHaveLength(SERVICE_APP_ROLES.length);

    // The background service now signs in with the certificate alone (key from the secret store).
    const secrets = new MemorySecretStore();
    await secrets.set('app-key', cert.privateKeyPem);
    const svc = new TenantClient({
      endpoints: endpointsOf(sb), tenantId: sb.tenantId, clientId: ids.appId, retry: FAST_RETRY,
      credential: { kind: 'certificate', thumbprintSha256: cert.thumbprintSha256, certificatePem: cert.certificatePem, privateKeySecretName: 'app-key', secrets },
    });
    const u = await svc.createUser({ userPrincipalName: 'svc@contoso.com', displayName: 'Svc', mailNickname: 'svc', password: 'Xy-Passw0rd-1!' });
    await svc.setPassword(u.id!, 'Xy-Passw0rd-2!');
    expect(await sb.control.checkPassword('svc@contoso.com', 'Xy-Passw0rd-2!')).toBe(true);
  });

  it('refuses a user without the Global Administrator role', async () => {
    const e = await signIn({ upn: 'helpdesk@contoso.onmicrosoft.com', password: 'Sandbox-Helpdesk-1!' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TenantError);
    expect((e as TenantError).code).toBe('not-admin');
  });

  it('reports declined consent', async () => {
    const e = await signIn({ upn: 'alex.wilber@contoso.com', password: 'Cloud-User-Pass-1', consent: 'cancel' }).catch((x: unknown) => x);
    expect((e as TenantError).code).toBe('consent-declined');
  });

  it('a non-admin\'s delegated writes get 403 Authorization_RequestDenied', async () => {
    const s = await signInAdmin({
      endpoints: endpointsOf(sb), clientId: SANDBOX_PUBLIC_CLIENT_ID, requireGlobalAdmin: false,
      openBrowser: browserDriver({ upn: 'helpdesk@contoso.onmicrosoft.com', password: 'Sandbox-Helpdesk-1!' }, []),
    });
    const e = await s.createApplication({ displayName: 'x', keyCredential: testCertificate().keyCredential }).catch((x: unknown) => x) as TenantError;
    expect(e.code).toBe('forbidden');
    expect(e.details).toMatchObject({ status: 403, graphCode: 'Authorization_RequestDenied', graphMessage: 'Insufficient privileges to complete the operation.' });
  });
});

describe('app-only permissions and certificate credential', () => {
  it('403 without the app role; password writes also need a directory role', async () => {
    const { client: readOnly } = await appClient(sb, ['User.Read.All'], []);
    expect((await readOnly.listUsers()).length).toBeGreaterThan(0);
    const e1 = await readOnly.createUser({ userPrincipalName: 'no@contoso.com', displayName: 'No', mailNickname: 'no', password: 'Xy-Passw0rd-1!' }).catch((x: unknown) => x) as TenantError;
    expect(e1.details).toMatchObject({ status: 403, graphCode: 'Authorization_RequestDenied' });
    const { client: noRole } = await appClient(sb, SERVICE_APP_ROLES, []);
    const u = await noRole.createUser({ userPrincipalName: 'norole@contoso.com', displayName: 'No role', mailNickname: 'norole', password: 'Xy-Passw0rd-1!' });
    const e2 = await noRole.setPassword(u.id!, 'Xy-Passw0rd-2!').catch((x: unknown) => x) as TenantError;
    expect(e2.code).toBe('forbidden');
    // User Administrator can't reset an admin's password either.
    const { client: userAdmin } = await appClient(sb);
    const e3 = await userAdmin.setPassword('admin@contoso.onmicrosoft.com', 'Xy-Passw0rd-3!').catch((x: unknown) => x) as TenantError;
    expect(e3.code).toBe('forbidden');
    await userAdmin.setPassword(u.id!, 'Xy-Passw0rd-4!');
  });

  it('rejects a certificate that is not the app\'s, and a missing key', async () => {
    const { reg } = await appClient(sb);
    const other = generateAppCertificate('intruder');
    const secrets = new MemorySecretStore();
    await secrets.set('k', other.privateKeyPem);
    const bad = new TenantClient({
      endpoints: endpointsOf(sb), tenantId: sb.tenantId, clientId: reg.appId, retry: FAST_RETRY,
      credential: { kind: 'certificate', thumbprintSha256: other.thumbprintSha256, certificatePem: other.certificatePem, privateKeySecretName: 'k', secrets },
    });
    const e = await bad.getOrganization().catch((x: unknown) => x) as TenantError;
    expect(e.code).toBe('auth-failed');
    expect(e.message).toMatch(/AADSTS700027/);
    expect(e.message).not.toContain('PRIVATE KEY');
    const missing = new TenantClient({
      endpoints: endpointsOf(sb), tenantId: sb.tenantId, clientId: reg.appId, retry: FAST_RETRY,
      credential: { kind: 'certificate', thumbprintSha256: other.thumbprintSha256, certificatePem: other.certificatePem, privateKeySecretName: 'absent', secrets },
    });
    expect(((await missing.getOrganization().catch((x: unknown) => x)) as TenantError).code).toBe('auth-failed');
  });

  it('serves OIDC discovery and JWKS; tokens carry tid, oid and roles', async () => {
    const { client, reg } = await appClient(sb);
    const meta = JSON.parse(sb.authorityMetadata) as Record<string, string>;
    expect(meta.token_endpoint).toBe(`${sb.url}/${sb.tenantId}/oauth2/v2.0/token`);
    const token = await (client.graph.client as unknown as { config: { middleware: { authenticationProvider: { getAccessToken(): Promise<string> } } } })
      .config.middleware.authenticationProvider.getAccessToken();
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ tid: sb.tenantId, appid: reg.appId, oid: reg.servicePrincipalId, idtyp: 'app' });
    expect((claims.roles as string[]).sort()).toEqual([...SERVICE_APP_ROLES].sort());
  });

  it('lets tests sign in with a user\'s password (resource-owner check) and over the control API', async () => {
    const form = new URLSearchParams({ grant_type: 'password', client_id: SANDBOX_PUBLIC_CLIENT_ID, username: 'alex.wilber@contoso.com', password: 'Cloud-User-Pass-1', scope: 'openid https://graph.microsoft.com/User.Read' });
    const { send, createAgent } = await import('../../electron/tenant/https-transport');
    const agent = createAgent(sb.caPem);
    const ok = await send(`${sb.authorityUrl}/oauth2/v2.0/token`, agent, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(), timeoutMs: 5000 });
    expect(ok.status).toBe(200);
    form.set('password', 'nope');
    const bad = await send(`${sb.authorityUrl}/oauth2/v2.0/token`, agent, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(), timeoutMs: 5000 });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ error: 'invalid_grant', error_codes: [50126] });
    const ctl = await send(`${sb.url}/_control/checkPassword`, agent, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-sandbox-control-secret': sb.controlSecret },
      body: JSON.stringify({ args: ['alex.wilber@contoso.com', 'Cloud-User-Pass-1'] }), timeoutMs: 5000,
    });
    expect(JSON.parse(ctl.body)).toEqual({ result: true });
    const noSecret = await send(`${sb.url}/_control/checkPassword`, agent, { method: 'POST', headers: {}, body: '{}', timeoutMs: 5000 });
    expect(noSecret.status).toBe(401);
  });
});
