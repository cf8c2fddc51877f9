// The sandbox's sign-in side as Entra ID answers it: discovery documents on the host asked, client assertions
// addressed to that host, client secrets, `.default`, the claims real tokens carry, and Graph's 401s.
import { createPrivateKey, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxTenant } from '../sandbox-tenant/sandbox';
import { claims, sandboxHttp, type SandboxHttp } from './sandbox-http';
import { startSandbox, testCertificate } from './tenant-helpers';

let sb: SandboxTenant;
let http: SandboxHttp;
let appId: string;

beforeAll(async () => {
  sb = await startSandbox();
  http = sandboxHttp(sb);
  appId = (await sb.control.registerApplication({ displayName: 'Assertions', certificateDerBase64: testCertificate().keyCredential.key, appRoles: ['User.Read.All'], clientSecret: 'abc8Q~sandbox-test-secret-0123456789abcd' })).appId;
});
afterAll(async () => { http?.close(); await sb?.stop(); });

/** A PS256 client assertion for the test certificate, addressed to `aud`. */
async function assertion(aud: string): Promise<string> {
  const c = testCertificate();
  const x5t = Buffer.from(c.thumbprintSha256, 'hex').toString('base64url');
  return new SignJWT({ jti: randomUUID() }).setProtectedHeader({ alg: 'PS256', typ: 'JWT', 'x5t#S256': x5t })
    .setIssuer(appId).setSubject(appId).setAudience(aud).setIssuedAt().setNotBefore('0s').setExpirationTime('10m').sign(createPrivateKey(c.privateKeyPem));
}

const certGrant = async (aud: string) => ({
  grant_type: 'client_credentials', client_id: appId, scope: 'https://graph.microsoft.com/.default',
  client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: await assertion(aud),
});

describe('discovery', () => {
  it('answers MSAL\'s instance discovery for the host it is asked on', async () => {
    const r = await http.graph('GET', `/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(`${sb.url}/${sb.tenantId}/oauth2/v2.0/authorize`)}`, { token: null });
    const host = new URL(sb.url).host;
    expect(r.json).toEqual({ tenant_discovery_endpoint: `${sb.url}/${sb.tenantId}/v2.0/.well-known/openid-configuration`, 'api-version': '1.1', metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }] });
    const ms = await http.graph('GET', '/common/discovery/instance?api-version=1.1&authorization_endpoint=https://login.microsoftonline.com/common/oauth2/v2.0/authorize', { token: null, headers: { host: 'login.microsoftonline.com' } });
    expect(ms.json.metadata).toEqual([{ preferred_network: 'login.microsoftonline.com', preferred_cache: 'login.windows.net', aliases: ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'] }]);
  });

  it('serves the v2.0 and v1 OpenID configurations as Entra does, on the host asked', async () => {
    const v2 = (await http.graph('GET', '/organizations/v2.0/.well-known/openid-configuration', { token: null, headers: { host: 'login.microsoftonline.com' } })).json;
    expect(v2).toMatchObject({
      issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0', token_endpoint: 'https://login.microsoftonline.com/organizations/oauth2/v2.0/token',
      device_authorization_endpoint: 'https://login.microsoftonline.com/organizations/oauth2/v2.0/devicecode', msgraph_host: 'graph.microsoft.com',
    });
    const byDomain = (await http.graph('GET', '/contoso.com/v2.0/.well-known/openid-configuration', { token: null })).json;
    expect(byDomain).toMatchObject({ issuer: `${sb.url}/${sb.tenantId}/v2.0`, token_endpoint: `${sb.url}/${sb.tenantId}/oauth2/v2.0/token`, msgraph_host: new URL(sb.url).host });
    const v1 = (await http.graph('GET', `/${sb.tenantId}/.well-known/openid-configuration`, { token: null })).json;
    expect(v1).toMatchObject({ issuer: `https://sts.windows.net/${sb.tenantId}/`, token_endpoint: `${sb.url}/${sb.tenantId}/oauth2/token`, jwks_uri: `${sb.url}/${sb.tenantId}/discovery/keys` });
  });
});

describe('client credentials', () => {
  it('accepts an assertion addressed to the token endpoint on the host the request came in on, and nowhere else', async () => {
    const viaProxy = await http.form(`/${sb.tenantId}/oauth2/v2.0/token`, await certGrant(`https://login.microsoftonline.com/${sb.tenantId}/oauth2/v2.0/token`), { host: 'login.microsoftonline.com' });
    expect(viaProxy.status).toBe(200);
    const direct = await http.form(`/${sb.tenantId}/oauth2/v2.0/token`, await certGrant(`${sb.url}/${sb.tenantId}/oauth2/v2.0/token`));
    expect(direct.status).toBe(200);
    const elsewhere = await http.form(`/${sb.tenantId}/oauth2/v2.0/token`, await certGrant(`https://login.microsoftonline.com/${sb.tenantId}/oauth2/v2.0/token`));
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.json.error_codes).toEqual([700212]);
  });

  it('signs in with a client secret (post, basic, or v1 with resource); a wrong one is AADSTS7000215', async () => {
    const secret = 'abc8Q~sandbox-test-secret-0123456789abcd';
    const grant = { grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' };
    const post = await http.form(`/${sb.tenantId}/oauth2/v2.0/token`, { ...grant, client_id: appId, client_secret: secret });
    expect(post.status).toBe(200);
    expect(claims(String(post.json.access_token))).toMatchObject({ appidacr: '1', app_displayname: 'Assertions', roles: ['User.Read.All'], idtyp: 'app', ver: '1.0' });
    const basic = await http.form(`/${sb.tenantId}/oauth2/v2.0/token`, grant, { authorization: `Basic ${Buffer.from(`${appId}:${secret}`).toString('base64')}` });
    expect(basic.status).toBe(200);
    const v1 = await http.form(`/${sb.tenantId}/oauth2/token`, { grant_type: 'client_credentials', resource: 'https://graph.microsoft.com', client_id: appId, client_secret: secret });
    expect(claims(String(v1.json.access_token)).aud).toBe('https://graph.microsoft.com');
    const wrong = await http.form(`/${sb.tenantId}/oauth2/v2.0/token`, { ...grant, client_id: appId, client_secret: 'nope' });
    expect(wrong.status).toBe(401);
    expect(String(wrong.json.error_description)).toMatch(/^AADSTS7000215: Invalid client secret provided\./);
  });

  it('issues app tokens with the claims real ones carry', async () => {
    const t = claims(String((await http.form(`/${sb.tenantId}/oauth2/v2.0/token`, await certGrant(`${sb.url}/${sb.tenantId}/oauth2/v2.0/token`))).json.access_token));
    expect(Object.keys(t).sort()).toEqual(['aio', 'app_displayname', 'appid', 'appidacr', 'aud', 'exp', 'iat', 'idp', 'idtyp', 'iss', 'nbf', 'oid', 'rh', 'roles', 'sub', 'tenant_region_scope', 'tid', 'uti', 'ver', 'xms_tcdt']);
    expect(t).toMatchObject({ aud: 'https://graph.microsoft.com', iss: `https://sts.windows.net/${sb.tenantId}/`, appidacr: '2', idp: `https://sts.windows.net/${sb.tenantId}/` });
  });
});

describe('delegated', () => {
  it('.default yields the scopes consented for the client, so an admin\'s sign-in can read /me', async () => {
    const t = claims(await http.token('https://graph.microsoft.com/.default openid profile offline_access'));
    expect(String(t.scp).split(' ')).toEqual(expect.arrayContaining(['User.Read', 'Directory.ReadWrite.All', 'Group.ReadWrite.All']));
    expect(t).toMatchObject({ idtyp: 'user', upn: 'admin@contoso.onmicrosoft.com', unique_name: 'admin@contoso.onmicrosoft.com', amr: ['pwd'], app_displayname: 'OpenEssentials' });
    expect(t.wids).toEqual(['62e90394-69f5-4237-9190-012177145e10', 'b79fbf4d-3ef9-4689-8143-76b194e85509']);
    expect((await http.graph('GET', '/v1.0/me')).status).toBe(200);
  });

  it('runs the device code flow: pending until the person enters the code, then tokens', async () => {
    const start = await http.form(`/${sb.tenantId}/oauth2/v2.0/devicecode`, { client_id: '14d82eec-204b-4c2f-b7e8-296a70dab67e', scope: 'https://graph.microsoft.com/.default offline_access' });
    expect(start.json).toMatchObject({ verification_uri: 'https://microsoft.com/devicelogin', expires_in: 900, interval: 5 });
    const poll = () => http.form(`/${sb.tenantId}/oauth2/v2.0/token`, { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: '14d82eec-204b-4c2f-b7e8-296a70dab67e', device_code: String(start.json.device_code) });
    expect((await poll()).json).toMatchObject({ error: 'authorization_pending', error_codes: [70016] });
    const page = await http.form('/devicelogin', { otc: String(start.json.user_code), login: 'helpdesk@contoso.onmicrosoft.com', passwd: 'Sandbox-Helpdesk-1!' });
    expect(page.text).toMatch(/signed in to the application/);
    const done = await poll();
    expect(claims(String(done.json.access_token))).toMatchObject({ upn: 'helpdesk@contoso.onmicrosoft.com', app_displayname: 'Microsoft Graph Command Line Tools' });
    expect((await poll()).json).toMatchObject({ error: 'invalid_grant' });
  });

  it('revokeSignInSessions makes the user\'s refresh tokens fail with AADSTS50173', async () => {
    const first = await http.form(`/${sb.tenantId}/oauth2/v2.0/token`, { grant_type: 'password', client_id: '8b2a0c6e-2f4e-4f6a-9a41-0e55e55e0001', username: 'helpdesk@contoso.onmicrosoft.com', password: 'Sandbox-Helpdesk-1!', scope: 'User.Read offline_access' });
    await new Promise((r) => setTimeout(r, 5));
    const revoke = await http.graph('POST', '/v1.0/users/helpdesk@contoso.onmicrosoft.com/revokeSignInSessions');
    expect(revoke.json).toMatchObject({ value: true });
    const refreshed = await http.form(`/${sb.tenantId}/oauth2/v2.0/token`, { grant_type: 'refresh_token', client_id: '8b2a0c6e-2f4e-4f6a-9a41-0e55e55e0001', refresh_token: String(first.json.refresh_token) });
    expect(refreshed.json).toMatchObject({ error: 'invalid_grant', error_codes: [50173] });
  });
});

describe('Graph\'s answers to bad tokens', () => {
  it('401s carry WWW-Authenticate; a malformed token is IDX14100, a foreign signature is not "invalid audience"', async () => {
    const empty = await http.graph('GET', '/v1.0/users', { token: null });
    expect(empty.status).toBe(401);
    expect(empty.headers['www-authenticate']).toBe(`Bearer realm="", authorization_uri="${sb.url}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`);
    const viaGraph = await http.graph('GET', '/v1.0/users', { token: null, headers: { host: 'graph.microsoft.com' } });
    expect(viaGraph.headers['www-authenticate']).toMatch(/authorization_uri="https:\/\/login\.microsoftonline\.com\/common\/oauth2\/authorize"/);
    const garbage = await http.graph('GET', '/v1.0/users', { token: 'not-a-jwt' });
    expect((garbage.json.error as { message: string }).message).toMatch(/^IDX14100: JWT is not well formed, there are no dots/);
    const forged = await new SignJWT({ tid: sb.tenantId }).setProtectedHeader({ alg: 'PS256' }).setAudience('https://graph.microsoft.com').setExpirationTime('1h').sign(createPrivateKey(testCertificate().privateKeyPem));
    const bad = await http.graph('GET', '/v1.0/users', { token: forged });
    expect(bad.status).toBe(401);
    expect((bad.json.error as { message: string }).message).not.toMatch(/audience/i);
  });
});
