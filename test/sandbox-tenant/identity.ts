import { createHash, randomBytes, randomUUID, createPublicKey, type KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify, exportJWK } from 'jose';
import { authenticateClient } from './client-auth';
import { DeviceCodes } from './device-code';
import type { AuthContext } from './graph-core';
import { instanceDiscovery, openIdV1, openIdV2 } from './identity-metadata';
import { grantedGraphRoles } from './routes-apps';
import { consentPage, deviceLoginPage, formPostPage, signInPage } from './sign-in-page';
import { GRAPH_APP_ID, PUBLIC_CLIENTS, verifyPassword, type GraphObject, type TenantState } from './state';

/** An HTTP-level reply from the identity endpoints. */
export interface HttpReply { status: number; headers?: Record<string, string>; body: string | object }

interface Pending { params: Record<string, string>; userId: string; exp: number }
interface Code { clientId: string; redirectUri: string; challenge: string; userId: string; scopes: string[]; nonce?: string; exp: number }

const GRAPH = 'https://graph.microsoft.com';
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);
// Every signed-in member holds the "User" directory role template (it appears in wids).
const DEFAULT_USER_ROLE = 'b79fbf4d-3ef9-4689-8143-76b194e85509';

/** Entra's texts for the sign-in page. */
export const SIGN_IN_ERRORS = {
  wrongPassword: "Your account or password is incorrect. If you don't remember your password, reset it now.",
  unknownUser: "This username may be incorrect. Make sure you typed it correctly. Otherwise, contact your admin.",
  disabled: 'Your account has been locked. Contact your support person to unlock it, then try again.',
};

function aadError(now: Date, status: number, error: string, code: number, text: string): HttpReply {
  const at = now.toISOString().replace('T', ' ');
  return {
    status,
    body: {
      error, error_description: `AADSTS${code}: ${text} Trace ID: ${randomUUID()} Correlation ID: ${randomUUID()} Timestamp: ${at}`,
      error_codes: [code], timestamp: at, trace_id: randomUUID(), correlation_id: randomUUID(),
    },
  };
}

function redirectMatches(registered: string, given: string): boolean {
  try {
    const a = new URL(registered), b = new URL(given);
    return a.protocol === b.protocol && a.hostname === b.hostname && a.pathname === b.pathname;
  } catch { return false; }
}

const html = (status: number, body: string): HttpReply => ({ status, headers: { 'content-type': 'text/html; charset=utf-8' }, body });

/** Graph scopes asked for ('https://graph.microsoft.com/X' or bare 'X'); `.default` → what was consented for the client. */
function graphScopes(state: TenantState, clientId: string, requested: string[]): string[] {
  const out = new Set<string>();
  for (const raw of requested) {
    const s = raw.startsWith(`${GRAPH}/`) ? raw.slice(GRAPH.length + 1) : raw.startsWith(`${GRAPH_APP_ID}/`) ? raw.slice(GRAPH_APP_ID.length + 1) : raw;
    if (OIDC_SCOPES.has(s) || /^https?:\/\//.test(s)) continue;
    if (s === '.default') for (const g of state.delegatedGrants[clientId] ?? []) { if (!OIDC_SCOPES.has(g)) out.add(g); }
    else out.add(s);
  }
  return [...out];
}

/** OIDC/OAuth endpoints of the sandbox authority: https://host/{tenant}/..., answered on the host asked. */
export class Identity {
  private readonly codes = new Map<string, Code>();
  private readonly refresh = new Map<string, { userId: string; clientId: string; issued: number }>();
  private readonly pending = new Map<string, Pending>();
  private readonly seenJti = new Set<string>();
  private readonly devices: DeviceCodes;
  private readonly publicKey: KeyObject;
  readonly kid: string;

  constructor(private readonly getState: () => TenantState, private readonly listenUrl: () => string, private readonly signingKey: KeyObject, private readonly now: () => Date) {
    this.publicKey = createPublicKey(signingKey);
    this.kid = createHash('sha256').update(this.publicKey.export({ type: 'spki', format: 'der' })).digest('base64url').slice(0, 27);
    this.devices = new DeviceCodes(() => this.now().getTime());
  }

  private get state(): TenantState { return this.getState(); }
  private err(status: number, error: string, code: number, text: string): HttpReply { return aadError(this.now(), status, error, code, text); }
  private tenantOk(t: string): boolean {
    const l = t.toLowerCase();
    return l === this.state.tenantId || l === 'organizations' || l === 'common' || this.state.domains.some((d) => d.id === l);
  }

  /** The v2.0 OIDC metadata (also what clients pass to MSAL as authorityMetadata). */
  metadata(origin = this.listenUrl(), tenant = this.state.tenantId): Record<string, unknown> { return openIdV2(origin, tenant, this.state.tenantId); }

  /** Verify a Graph access token; returns the caller or Graph's reason. */
  async verifyAccessToken(token: string): Promise<AuthContext | string> {
    if (token.split('.').length !== 3) {
      return "IDX14100: JWT is not well formed, there are no dots (.).\nThe token needs to be in JWS or JWE Compact Serialization Format. (JWS): 'EncodedHeader.EncodedPayload.EncodedSignature'. (JWE): 'EncodedProtectedHeader.EncodedEncryptedKey.EncodedInitializationVector.EncodedCiphertext.EncodedAuthenticationTag'.";
    }
    try {
      // Lifetimes follow the wall clock, as the clients' token caches do (advanceClock moves directory time only).
      const { payload } = await jwtVerify(token, this.publicKey, { audience: [GRAPH, GRAPH_APP_ID] });
      if (payload.tid !== this.state.tenantId) return 'Access token validation failure. Invalid audience.';
      return {
        tenantId: String(payload.tid), appId: String(payload.appid),
        userId: payload.idtyp === 'user' ? String(payload.oid) : undefined,
        roles: (payload.roles as string[] | undefined) ?? [], scopes: String(payload.scp ?? '').split(' ').filter(Boolean),
      };
    } catch (e) {
      const code = (e as { code?: string }).code ?? '';
      if (code === 'ERR_JWT_EXPIRED') return 'Lifetime validation failed, the token is expired.';
      if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') return 'Access token validation failure. Invalid audience.';
      // [unconfirmed] Graph's texts for a token that does not parse or whose signature does not verify.
      if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return 'Access token validation failure.';
      return 'Invalid JWT token. The token is malformed.';
    }
  }

  /** GET/POST routes below /{tenant}/ (including /common/discovery/instance). */
  async handle(method: string, tenant: string, rest: string, query: URLSearchParams, form: URLSearchParams, origin: string, authorization?: string): Promise<HttpReply | undefined> {
    if (!this.tenantOk(tenant)) return this.err(400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    if (method === 'GET' && rest === 'discovery/instance') return { status: 200, body: instanceDiscovery(origin, query) };
    if (method === 'GET' && rest === 'v2.0/.well-known/openid-configuration') return { status: 200, body: openIdV2(origin, tenant, this.state.tenantId) };
    if (method === 'GET' && rest === '.well-known/openid-configuration') return { status: 200, body: openIdV1(origin, tenant, this.state.tenantId) };
    if (method === 'GET' && /^discovery\/(v2\.0\/)?keys$/.test(rest)) {
      const jwk = await exportJWK(this.publicKey);
      return { status: 200, body: { keys: [{ ...jwk, kid: this.kid, use: 'sig', alg: 'RS256', kty: 'RSA' }] } };
    }
    if (rest === 'oauth2/v2.0/authorize') return method === 'GET' ? this.authorize(query, origin) : this.signIn(form, origin);
    if (rest === 'oauth2/v2.0/consent' && method === 'POST') return this.consent(form);
    if (rest === 'oauth2/v2.0/devicecode' && method === 'POST') return this.deviceCode(form);
    if ((rest === 'oauth2/v2.0/token' || rest === 'oauth2/token') && method === 'POST') return this.token(form, origin, tenant, authorization);
    return undefined;
  }

  /** Pages outside /{tenant}/: the device login page. */
  async page(method: string, path: string, form: URLSearchParams, origin: string): Promise<HttpReply | undefined> {
    if (path.toLowerCase() !== '/devicelogin') return undefined;
    const action = `${origin}/devicelogin`;
    if (method === 'GET') return html(200, deviceLoginPage(action));
    const user = this.state.users.find((u) => String(u.userPrincipalName).toLowerCase() === (form.get('login') ?? '').trim().toLowerCase());
    if (!user || !verifyPassword(this.state.passwords[user.id], form.get('passwd') ?? '')) return html(200, deviceLoginPage(action, SIGN_IN_ERRORS.wrongPassword));
    if (!this.devices.approve(form.get('otc') ?? '', user.id)) return html(200, deviceLoginPage(action, "That code didn't work. Check the code and try again."));
    return html(200, '<p>You have signed in to the application on your device. You may now close this window.</p>');
  }

  /** Control: approve a device code for a user. */
  approveDeviceCode(userCode: string, userId: string): boolean { return this.devices.approve(userCode, userId); }

  private authParams(q: URLSearchParams): Record<string, string> {
    const keep = ['client_id', 'redirect_uri', 'response_type', 'scope', 'code_challenge', 'code_challenge_method', 'response_mode', 'state', 'nonce', 'prompt', 'client_info'];
    return Object.fromEntries(keep.filter((k) => q.has(k)).map((k) => [k, q.get(k)!]));
  }

  private checkClient(p: Record<string, string>): HttpReply | undefined {
    if (!p.client_id || !this.state.publicClientIds.includes(p.client_id)) {
      return html(400, `<p>AADSTS700016: Application with identifier '${p.client_id ?? ''}' was not found in the directory '${this.state.tenantId}'.</p>`);
    }
    if (!p.redirect_uri || !/^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?(\/.*)?$/.test(p.redirect_uri)) {
      return html(400, `<p>AADSTS50011: The redirect URI '${p.redirect_uri ?? ''}' specified in the request does not match the redirect URIs configured for the application.</p>`);
    }
    if (p.response_type !== 'code' || p.code_challenge_method !== 'S256' || !p.code_challenge) {
      return html(400, '<p>AADSTS9002325: Proof Key for Code Exchange is required for cross-origin authorization code redemption.</p>');
    }
    return undefined;
  }

  private authorize(q: URLSearchParams, origin: string): HttpReply {
    const p = this.authParams(q);
    return this.checkClient(p) ?? html(200, signInPage(`${origin}/${this.state.tenantId}/oauth2/v2.0/authorize`, p, undefined, q.get('login_hint') ?? ''));
  }

  private signIn(form: URLSearchParams, origin: string): HttpReply {
    const p = this.authParams(form);
    const bad = this.checkClient(p);
    if (bad) return bad;
    const action = `${origin}/${this.state.tenantId}/oauth2/v2.0/authorize`;
    const login = (form.get('login') ?? '').trim().toLowerCase();
    const user = this.state.users.find((u) => String(u.userPrincipalName).toLowerCase() === login);
    if (!user) return html(200, signInPage(action, p, SIGN_IN_ERRORS.unknownUser, login));
    if (!verifyPassword(this.state.passwords[user.id], form.get('passwd') ?? '')) return html(200, signInPage(action, p, SIGN_IN_ERRORS.wrongPassword, login));
    if (user.accountEnabled === false) return html(200, signInPage(action, p, SIGN_IN_ERRORS.disabled, login));
    const consentKey = `${user.id}:${p.client_id}`;
    if (this.state.consents.includes(consentKey) && p.prompt !== 'consent') return this.respond(p, user);
    const pending = randomBytes(18).toString('base64url');
    this.pending.set(pending, { params: p, userId: user.id, exp: this.now().getTime() + 600_000 });
    const scopes = (p.scope ?? '').split(' ').filter((s) => s && !OIDC_SCOPES.has(s));
    return html(200, consentPage(`${origin}/${this.state.tenantId}/oauth2/v2.0/consent`, pending, PUBLIC_CLIENTS[p.client_id!] ?? 'Application', scopes));
  }

  private consent(form: URLSearchParams): HttpReply {
    const pend = this.pending.get(form.get('pending') ?? '');
    if (!pend || pend.exp < this.now().getTime()) return html(400, '<p>AADSTS90014: The sign-in session has expired.</p>');
    this.pending.delete(form.get('pending')!);
    const user = this.state.users.find((u) => u.id === pend.userId)!;
    if (form.get('decision') !== 'accept') {
      return this.redirect(pend.params, { error: 'access_denied', error_subcode: 'cancel', error_description: 'AADSTS65004: User declined to consent to access the app.' });
    }
    this.state.consents.push(`${user.id}:${pend.params.client_id}`);
    const clientId = pend.params.client_id!;
    const granted = new Set([...(this.state.delegatedGrants[clientId] ?? []), ...graphScopes(this.state, clientId, (pend.params.scope ?? '').split(' '))]);
    this.state.delegatedGrants[clientId] = [...granted];
    return this.respond(pend.params, user);
  }

  private respond(p: Record<string, string>, user: GraphObject): HttpReply {
    const code = randomBytes(32).toString('base64url');
    this.codes.set(code, {
      clientId: p.client_id!, redirectUri: p.redirect_uri!, challenge: p.code_challenge!, userId: user.id,
      scopes: (p.scope ?? '').split(' ').filter(Boolean), nonce: p.nonce, exp: this.now().getTime() + 600_000,
    });
    const fields: Record<string, string> = { code };
    if (p.client_info === '1') fields.client_info = this.clientInfo(user.id);
    return this.redirect(p, fields);
  }

  private redirect(p: Record<string, string>, fields: Record<string, string>): HttpReply {
    if (p.state) fields.state = p.state;
    if (p.response_mode === 'form_post') return html(200, formPostPage(p.redirect_uri!, fields));
    const u = new URL(p.redirect_uri!);
    for (const [k, v] of Object.entries(fields)) u.searchParams.set(k, v);
    return { status: 302, headers: { location: u.toString() }, body: '' };
  }

  private clientInfo(userId: string): string {
    return Buffer.from(JSON.stringify({ uid: userId, utid: this.state.tenantId })).toString('base64url');
  }

  private deviceCode(form: URLSearchParams): HttpReply {
    const clientId = form.get('client_id') ?? '';
    if (!this.state.publicClientIds.includes(clientId)) return this.err(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${this.state.tenantId}'.`);
    return { status: 200, body: this.devices.start(clientId, (form.get('scope') ?? '').split(' ').filter(Boolean)) };
  }

  private async token(form: URLSearchParams, origin: string, tenant: string, authorization?: string): Promise<HttpReply> {
    // The v1 endpoint (/oauth2/token) names the resource instead of scopes.
    const resource = form.get('resource');
    if (resource && !form.has('scope')) form.set('scope', `${resource.replace(/\/$/, '')}/.default`);
    const grant = form.get('grant_type');
    if (grant === 'client_credentials') return this.clientCredentials(form, origin, tenant, authorization);
    if (grant === 'authorization_code' || grant === 'refresh_token' || grant === 'password') return this.delegated(grant, form);
    // MSAL sends the short name, RFC 8628 the URN; Entra takes both.
    if (grant === 'device_code' || grant === 'urn:ietf:params:oauth:grant-type:device_code') return this.delegated('device_code', form);
    return this.err(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant ?? ''}'.`);
  }

  private async clientCredentials(form: URLSearchParams, origin: string, tenant: string, authorization?: string): Promise<HttpReply> {
    const client = await authenticateClient({ state: this.state, now: this.now(), listenUrl: this.listenUrl(), seenJti: this.seenJti, err: (...a) => this.err(...a) }, form, origin, tenant, authorization);
    if ('status' in client) return client;
    const { clientId } = client;
    const sp = this.state.servicePrincipals.find((s) => s.appId === clientId);
    if (!sp) return this.err(400, 'invalid_client', 7000229, `The client application ${clientId} is missing service principal in the tenant ${this.state.tenantId}.`);
    const scope = form.get('scope') ?? '';
    if (!scope.split(' ').some((s) => s === `${GRAPH}/.default` || s === `${GRAPH_APP_ID}/.default`)) {
      return this.err(400, 'invalid_resource', 500011, `The resource principal named ${scope} was not found in the tenant named ${this.state.tenantId}.`);
    }
    const roles = grantedGraphRoles(this.state, clientId);
    const wids = this.state.roleAssignments.filter((a) => a.principalId === sp.id).map((a) => String(a.roleDefinitionId));
    const app = this.state.applications.find((a) => a.appId === clientId);
    const at = await this.sign({
      app_displayname: app?.displayName ?? sp.displayName, appid: clientId, appidacr: client.acr, idp: `https://sts.windows.net/${this.state.tenantId}/`,
      idtyp: 'app', oid: sp.id, sub: sp.id, rh: '0.sandbox.', ...(roles.length ? { roles } : {}), ...(wids.length ? { wids: [...wids, '0997a1d0-0d1d-4acb-b408-d5ca73121e90'] } : {}),
    });
    return { status: 200, body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: at } };
  }

  private async delegated(grant: string, form: URLSearchParams): Promise<HttpReply> {
    const clientId = form.get('client_id') ?? '';
    if (!this.state.publicClientIds.includes(clientId)) return this.err(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${this.state.tenantId}'.`);
    let userId: string, requested = (form.get('scope') ?? '').split(' ').filter(Boolean), nonce: string | undefined;
    if (grant === 'authorization_code') {
      const code = this.codes.get(form.get('code') ?? '');
      this.codes.delete(form.get('code') ?? '');
      if (!code || code.exp < this.now().getTime() || code.clientId !== clientId) return this.err(400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity.');
      if (!redirectMatches(code.redirectUri, form.get('redirect_uri') ?? '')) return this.err(400, 'invalid_grant', 50011, 'The reply URL specified in the request does not match the reply URL used to obtain the authorization code.');
      if (createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url') !== code.challenge) return this.err(400, 'invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.');
      userId = code.userId; nonce = code.nonce;
      if (!requested.length) requested = code.scopes;
    } else if (grant === 'refresh_token') {
      const rt = this.refresh.get(form.get('refresh_token') ?? '');
      if (!rt || rt.clientId !== clientId) return this.err(400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity.');
      if ((this.state.revokedAt[rt.userId] ?? 0) >= rt.issued) return this.err(400, 'invalid_grant', 50173, 'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.');
      userId = rt.userId;
    } else if (grant === 'password') {
      const user = this.state.users.find((u) => String(u.userPrincipalName).toLowerCase() === (form.get('username') ?? '').toLowerCase());
      if (!user || !verifyPassword(this.state.passwords[user.id], form.get('password') ?? '')) return this.err(400, 'invalid_grant', 50126, 'Error validating credentials due to invalid username or password.');
      userId = user.id;
    } else {
      const d = this.devices.poll(form.get('device_code') ?? '', clientId);
      if (d.kind === 'pending') return this.err(400, 'authorization_pending', 70016, 'OAuth 2.0 device flow error. Authorization is still pending. Continue polling.');
      if (d.kind === 'expired') return this.err(400, 'expired_token', 70019, 'Verification code expired.');
      if (d.kind !== 'approved') return this.err(400, 'invalid_grant', 70000, 'Provided grant is invalid or malformed.');
      userId = d.userId;
      if (!requested.length) requested = d.scopes;
    }
    const user = this.state.users.find((u) => u.id === userId);
    if (!user) return this.err(400, 'invalid_grant', 50034, 'The user account does not exist in the directory.');
    if (user.accountEnabled === false) return this.err(400, 'invalid_grant', 50057, 'The user account is disabled.');
    const scopes = graphScopes(this.state, clientId, requested);
    const wids = [...this.state.roleAssignments.filter((a) => a.principalId === user.id).map((a) => String(a.roleDefinitionId)), DEFAULT_USER_ROLE];
    const at = await this.sign({
      acct: 0, acr: '1', amr: ['pwd'], app_displayname: PUBLIC_CLIENTS[clientId] ?? 'Application', appid: clientId, appidacr: '0',
      family_name: user.surname ?? undefined, given_name: user.givenName ?? undefined, idtyp: 'user', ipaddr: '127.0.0.1', name: user.displayName,
      oid: user.id, platf: '3', puid: createHash('sha1').update(user.id).digest('hex').slice(0, 16).toUpperCase(), rh: '0.sandbox.', scp: scopes.join(' '),
      sid: randomUUID(), sub: createHash('sha256').update(`${user.id}:${clientId}`).digest('base64url').slice(0, 43), unique_name: user.userPrincipalName,
      upn: user.userPrincipalName, wids,
    });
    const idToken = await new SignJWT({ tid: this.state.tenantId, oid: user.id, preferred_username: user.userPrincipalName, name: user.displayName, ver: '2.0', ...(nonce ? { nonce } : {}) })
      .setProtectedHeader({ alg: 'RS256', kid: this.kid, typ: 'JWT' }).setIssuer(`${this.listenUrl()}/${this.state.tenantId}/v2.0`).setAudience(clientId)
      .setSubject(user.id).setIssuedAt().setNotBefore('0s').setExpirationTime('1h').sign(this.signingKey);
    const refreshToken = randomBytes(48).toString('base64url');
    this.refresh.set(refreshToken, { userId: user.id, clientId, issued: this.now().getTime() });
    return {
      status: 200,
      body: {
        token_type: 'Bearer', scope: [...scopes.map((s) => `${GRAPH}/${s}`), ...requested.filter((s) => OIDC_SCOPES.has(s))].join(' '), expires_in: 3599, ext_expires_in: 3599,
        access_token: at, refresh_token: refreshToken, id_token: idToken, client_info: this.clientInfo(user.id),
      },
    };
  }

  private sign(claims: Record<string, unknown>): Promise<string> {
    const created = Math.floor(Date.parse(String(this.state.organization.createdDateTime ?? this.now().toISOString())) / 1000);
    return new SignJWT({ aio: randomBytes(24).toString('base64url'), ...claims, tenant_region_scope: 'EU', tid: this.state.tenantId, ver: '1.0', uti: randomBytes(16).toString('base64url'), xms_tcdt: created })
      .setProtectedHeader({ alg: 'RS256', kid: this.kid, typ: 'JWT', x5t: this.kid })
      .setIssuer(`https://sts.windows.net/${this.state.tenantId}/`)
      .setAudience(GRAPH).setIssuedAt().setNotBefore('0s').setExpirationTime('1h').sign(this.signingKey);
  }
}
