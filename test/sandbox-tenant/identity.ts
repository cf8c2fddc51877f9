import { createHash, randomBytes, randomUUID, X509Certificate, createPublicKey, type KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify, decodeProtectedHeader, exportJWK } from 'jose';
import type { AuthContext } from './graph-core';
import { grantedGraphRoles } from './routes-apps';
import { consentPage, formPostPage, signInPage } from './sign-in-page';
import { GRAPH_APP_ID, verifyPassword, type GraphObject, type TenantState } from './state';

/** An HTTP-level reply from the identity endpoints. */
export interface HttpReply { status: number; headers?: Record<string, string>; body: string | object }

interface Pending { params: Record<string, string>; userId: string; exp: number }
interface Code { clientId: string; redirectUri: string; challenge: string; userId: string; scopes: string[]; nonce?: string; exp: number }

const GRAPH = 'https://graph.microsoft.com';

/** Entra's texts for the sign-in page. */
export const SIGN_IN_ERRORS = {
  wrongPassword: "Your account or password is incorrect. If you don't remember your password, reset it now.",
  unknownUser: "This username may be incorrect. Make sure you typed it correctly. Otherwise, contact your admin.",
  disabled: 'Your account has been locked. Contact your support person to unlock it, then try again.',
};

function aadError(status: number, error: string, code: number, text: string): HttpReply {
  return {
    status,
    body: {
      error, error_description: `AADSTS${code}: ${text} Trace ID: ${randomUUID()} Correlation ID: ${randomUUID()} Timestamp: ${new Date().toISOString()}`,
      error_codes: [code], timestamp: new Date().toISOString(), trace_id: randomUUID(), correlation_id: randomUUID(),
    },
  };
}

function redirectMatches(registered: string, given: string): boolean {
  try {
    const a = new URL(registered), b = new URL(given);
    return a.protocol === b.protocol && a.hostname === b.hostname && a.pathname === b.pathname;
  } catch { return false; }
}

/** OIDC/OAuth endpoints of the sandbox authority: https://host:port/{tenant}/... */
export class Identity {
  private readonly codes = new Map<string, Code>();
  private readonly refresh = new Map<string, { userId: string; clientId: string }>();
  private readonly pending = new Map<string, Pending>();
  private readonly seenJti = new Set<string>();
  private readonly publicKey: KeyObject;
  readonly kid: string;

  constructor(private readonly getState: () => TenantState, readonly baseUrl: string, private readonly signingKey: KeyObject) {
    this.publicKey = createPublicKey(signingKey);
    this.kid = createHash('sha256').update(this.publicKey.export({ type: 'spki', format: 'der' })).digest('base64url').slice(0, 27);
  }

  private get state(): TenantState { return this.getState(); }
  private tenantOk(t: string): boolean {
    return t === this.state.tenantId || t === 'organizations' || t === 'common' || this.state.domains.some((d) => d.id === t);
  }
  tokenEndpoint(): string { return `${this.baseUrl}/${this.state.tenantId}/oauth2/v2.0/token`; }

  /** The OIDC metadata (also what clients pass to MSAL as authorityMetadata). */
  metadata(): Record<string, unknown> {
    const t = this.state.tenantId, b = this.baseUrl;
    return {
      issuer: `${b}/${t}/v2.0`, authorization_endpoint: `${b}/${t}/oauth2/v2.0/authorize`, token_endpoint: `${b}/${t}/oauth2/v2.0/token`,
      jwks_uri: `${b}/${t}/discovery/v2.0/keys`, end_session_endpoint: `${b}/${t}/oauth2/v2.0/logout`,
      response_types_supported: ['code', 'id_token', 'code id_token'], response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'], id_token_signing_alg_values_supported: ['RS256'], scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nonce', 'tid', 'oid', 'preferred_username', 'name'], tenant_region_scope: 'EU',
      cloud_instance_name: 'sandbox.local', msgraph_host: new URL(b).host,
    };
  }

  /** Verify a Graph access token; returns the caller or a reason. */
  async verifyAccessToken(token: string): Promise<AuthContext | string> {
    try {
      const { payload } = await jwtVerify(token, this.publicKey, { audience: [GRAPH, GRAPH_APP_ID] });
      if (payload.tid !== this.state.tenantId) return 'Access token validation failure. Invalid audience.';
      return {
        tenantId: String(payload.tid), appId: String(payload.appid),
        userId: payload.idtyp === 'user' ? String(payload.oid) : undefined,
        roles: (payload.roles as string[] | undefined) ?? [], scopes: String(payload.scp ?? '').split(' ').filter(Boolean),
      };
    } catch (e) {
      const msg = (e as Error).message;
      if (/exp/.test(msg)) return 'Lifetime validation failed, the token is expired.';
      return 'Access token validation failure. Invalid audience.';
    }
  }

  /** GET/POST routes below /{tenant}/. */
  async handle(method: string, tenant: string, rest: string, query: URLSearchParams, form: URLSearchParams): Promise<HttpReply | undefined> {
    if (!this.tenantOk(tenant)) return aadError(400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found.`);
    if (method === 'GET' && /^(v2\.0\/)?\.well-known\/openid-configuration$/.test(rest)) return { status: 200, body: this.metadata() };
    if (method === 'GET' && /^discovery\/(v2\.0\/)?keys$/.test(rest)) {
      const jwk = await exportJWK(this.publicKey);
      return { status: 200, body: { keys: [{ ...jwk, kid: this.kid, use: 'sig', alg: 'RS256' }] } };
    }
    if (rest === 'oauth2/v2.0/authorize') return method === 'GET' ? this.authorize(query) : this.signIn(form);
    if (rest === 'oauth2/v2.0/consent' && method === 'POST') return this.consent(form);
    if (rest === 'oauth2/v2.0/token' && method === 'POST') return this.token(form);
    return undefined;
  }

  private authParams(q: URLSearchParams): Record<string, string> {
    const keep = ['client_id', 'redirect_uri', 'response_type', 'scope', 'code_challenge', 'code_challenge_method', 'response_mode', 'state', 'nonce', 'prompt', 'client_info'];
    return Object.fromEntries(keep.filter((k) => q.has(k)).map((k) => [k, q.get(k)!]));
  }

  private checkClient(p: Record<string, string>): HttpReply | undefined {
    if (!p.client_id || !this.state.publicClientIds.includes(p.client_id)) {
      return { status: 400, headers: { 'content-type': 'text/html' }, body: `<p>AADSTS700016: Application with identifier '${p.client_id ?? ''}' was not found in the directory '${this.state.tenantId}'.</p>` };
    }
    if (!p.redirect_uri || !/^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?(\/.*)?$/.test(p.redirect_uri)) {
      return { status: 400, headers: { 'content-type': 'text/html' }, body: `<p>AADSTS50011: The redirect URI '${p.redirect_uri ?? ''}' specified in the request does not match the redirect URIs configured for the application.</p>` };
    }
    if (p.response_type !== 'code' || p.code_challenge_method !== 'S256' || !p.code_challenge) {
      return { status: 400, headers: { 'content-type': 'text/html' }, body: '<p>AADSTS9002325: Proof Key for Code Exchange is required for cross-origin authorization code redemption.</p>' };
    }
    return undefined;
  }

  private action(): string { return `${this.baseUrl}/${this.state.tenantId}/oauth2/v2.0/authorize`; }

  private authorize(q: URLSearchParams): HttpReply {
    const p = this.authParams(q);
    const bad = this.checkClient(p);
    if (bad) return bad;
    return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: signInPage(this.action(), p, undefined, q.get('login_hint') ?? '') };
  }

  private page(html: string): HttpReply { return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: html }; }

  private signIn(form: URLSearchParams): HttpReply {
    const p = this.authParams(form);
    const bad = this.checkClient(p);
    if (bad) return bad;
    const login = (form.get('login') ?? '').trim().toLowerCase();
    const user = this.state.users.find((u) => String(u.userPrincipalName).toLowerCase() === login);
    if (!user) return this.page(signInPage(this.action(), p, SIGN_IN_ERRORS.unknownUser, login));
    if (!verifyPassword(this.state.passwords[user.id], form.get('passwd') ?? '')) return this.page(signInPage(this.action(), p, SIGN_IN_ERRORS.wrongPassword, login));
    if (user.accountEnabled === false) return this.page(signInPage(this.action(), p, SIGN_IN_ERRORS.disabled, login));
    const consentKey = `${user.id}:${p.client_id}`;
    if (this.state.consents.includes(consentKey) && p.prompt !== 'consent') return this.respond(p, user);
    const pending = randomBytes(18).toString('base64url');
    this.pending.set(pending, { params: p, userId: user.id, exp: Date.now() + 600_000 });
    const scopes = (p.scope ?? '').split(' ').filter((s) => s && !['openid', 'profile', 'offline_access'].includes(s));
    return this.page(consentPage(`${this.baseUrl}/${this.state.tenantId}/oauth2/v2.0/consent`, pending, 'OpenEssentials', scopes));
  }

  private consent(form: URLSearchParams): HttpReply {
    const pend = this.pending.get(form.get('pending') ?? '');
    if (!pend || pend.exp < Date.now()) return { status: 400, headers: { 'content-type': 'text/html' }, body: '<p>AADSTS90014: The sign-in session has expired.</p>' };
    this.pending.delete(form.get('pending')!);
    const user = this.state.users.find((u) => u.id === pend.userId)!;
    if (form.get('decision') !== 'accept') {
      return this.redirect(pend.params, { error: 'access_denied', error_subcode: 'cancel', error_description: 'AADSTS65004: User declined to consent to access the app.' });
    }
    this.state.consents.push(`${user.id}:${pend.params.client_id}`);
    return this.respond(pend.params, user);
  }

  private respond(p: Record<string, string>, user: GraphObject): HttpReply {
    const code = randomBytes(32).toString('base64url');
    this.codes.set(code, {
      clientId: p.client_id!, redirectUri: p.redirect_uri!, challenge: p.code_challenge!, userId: user.id,
      scopes: (p.scope ?? '').split(' ').filter(Boolean), nonce: p.nonce, exp: Date.now() + 600_000,
    });
    const fields: Record<string, string> = { code };
    if (p.client_info === '1') fields.client_info = this.clientInfo(user.id);
    return this.redirect(p, fields);
  }

  private redirect(p: Record<string, string>, fields: Record<string, string>): HttpReply {
    if (p.state) fields.state = p.state;
    if (p.response_mode === 'form_post') return this.page(formPostPage(p.redirect_uri!, fields));
    const u = new URL(p.redirect_uri!);
    for (const [k, v] of Object.entries(fields)) u.searchParams.set(k, v);
    return { status: 302, headers: { location: u.toString() }, body: '' };
  }

  private clientInfo(userId: string): string {
    return Buffer.from(JSON.stringify({ uid: userId, utid: this.state.tenantId })).toString('base64url');
  }

  private async token(form: URLSearchParams): Promise<HttpReply> {
    const grant = form.get('grant_type');
    if (grant === 'client_credentials') return this.clientCredentials(form);
    if (grant === 'authorization_code' || grant === 'refresh_token' || grant === 'password') return this.delegated(grant, form);
    return aadError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant ?? ''}'.`);
  }

  private async clientCredentials(form: URLSearchParams): Promise<HttpReply> {
    const clientId = form.get('client_id') ?? '';
    const app = this.state.applications.find((a) => a.appId === clientId);
    if (!app) return aadError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${this.state.tenantId}'.`);
    const assertion = form.get('client_assertion');
    if (!assertion || form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
      return aadError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    }
    let header;
    try { header = decodeProtectedHeader(assertion); } catch { return aadError(401, 'invalid_client', 50027, 'JWT token is invalid or malformed.'); }
    const x5t256 = header['x5t#S256'] as string | undefined, x5t = header.x5t as string | undefined;
    const creds = (app.keyCredentials as { key: string; endDateTime: string }[]);
    const cred = creds.find((k) => {
      const der = Buffer.from(k.key, 'base64');
      return (x5t256 && createHash('sha256').update(der).digest('base64url') === x5t256) || (x5t && createHash('sha1').update(der).digest('base64url') === x5t);
    });
    if (!cred) return aadError(401, 'invalid_client', 700027, `Client assertion failed signature validation. The key was not found. Thumbprint of key used by client: '${x5t256 ?? x5t ?? ''}'.`);
    if (Date.parse(cred.endDateTime) < Date.now()) return aadError(401, 'invalid_client', 700027, 'The certificate with identifier used to sign the client assertion is expired on application.');
    try {
      const key = new X509Certificate(Buffer.from(cred.key, 'base64')).publicKey;
      const { payload } = await jwtVerify(assertion, key, { algorithms: ['PS256', 'RS256'], audience: this.tokenEndpoint(), issuer: clientId, subject: clientId, clockTolerance: 300 });
      if (!payload.jti || this.seenJti.has(payload.jti)) return aadError(401, 'invalid_client', 700024, 'Client assertion is not within its valid time range or was already used.');
      this.seenJti.add(payload.jti);
    } catch (e) {
      return aadError(401, 'invalid_client', 700027, `Client assertion contains an invalid signature or claims. ${(e as Error).message.replace(/[^\w .'-]/g, '')}`);
    }
    const sp = this.state.servicePrincipals.find((s) => s.appId === clientId);
    if (!sp) return aadError(400, 'invalid_client', 7000229, `The client application ${clientId} is missing service principal in the tenant ${this.state.tenantId}.`);
    const scope = form.get('scope') ?? '';
    if (!scope.split(' ').some((s) => s === `${GRAPH}/.default` || s === `${GRAPH_APP_ID}/.default`)) {
      return aadError(400, 'invalid_resource', 500011, `The resource principal named ${scope} was not found in the tenant named ${this.state.tenantId}.`);
    }
    const roles = grantedGraphRoles(this.state, clientId);
    const at = await this.sign({ appid: clientId, azp: clientId, oid: sp.id, sub: sp.id, idtyp: 'app', ...(roles.length ? { roles } : {}) });
    return { status: 200, body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: at } };
  }

  private async delegated(grant: string, form: URLSearchParams): Promise<HttpReply> {
    const clientId = form.get('client_id') ?? '';
    if (!this.state.publicClientIds.includes(clientId)) return aadError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${this.state.tenantId}'.`);
    let userId: string, scopes = (form.get('scope') ?? '').split(' ').filter(Boolean), nonce: string | undefined;
    if (grant === 'authorization_code') {
      const code = this.codes.get(form.get('code') ?? '');
      this.codes.delete(form.get('code') ?? '');
      if (!code || code.exp < Date.now() || code.clientId !== clientId) return aadError(400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity.');
      if (!redirectMatches(code.redirectUri, form.get('redirect_uri') ?? '')) return aadError(400, 'invalid_grant', 50011, 'The reply URL specified in the request does not match the reply URL used to obtain the authorization code.');
      const verifier = form.get('code_verifier') ?? '';
      if (createHash('sha256').update(verifier).digest('base64url') !== code.challenge) return aadError(400, 'invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.');
      userId = code.userId; nonce = code.nonce;
      if (!scopes.length) scopes = code.scopes;
    } else if (grant === 'refresh_token') {
      const rt = this.refresh.get(form.get('refresh_token') ?? '');
      if (!rt || rt.clientId !== clientId) return aadError(400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity.');
      userId = rt.userId;
    } else {
      const user = this.state.users.find((u) => String(u.userPrincipalName).toLowerCase() === (form.get('username') ?? '').toLowerCase());
      if (!user || !verifyPassword(this.state.passwords[user.id], form.get('password') ?? '')) return aadError(400, 'invalid_grant', 50126, 'Error validating credentials due to invalid username or password.');
      userId = user.id;
    }
    const user = this.state.users.find((u) => u.id === userId);
    if (!user) return aadError(400, 'invalid_grant', 50034, 'The user account does not exist in the directory.');
    if (user.accountEnabled === false) return aadError(400, 'invalid_grant', 50057, 'The user account is disabled.');
    const graphScopes = scopes.filter((s) => s.startsWith(`${GRAPH}/`)).map((s) => s.slice(GRAPH.length + 1)).filter((s) => s !== '.default');
    const at = await this.sign({ appid: clientId, azp: clientId, oid: user.id, sub: user.id, idtyp: 'user', scp: graphScopes.join(' '), upn: user.userPrincipalName, name: user.displayName });
    const idToken = await new SignJWT({ tid: this.state.tenantId, oid: user.id, preferred_username: user.userPrincipalName, name: user.displayName, ver: '2.0', ...(nonce ? { nonce } : {}) })
      .setProtectedHeader({ alg: 'RS256', kid: this.kid, typ: 'JWT' }).setIssuer(`${this.baseUrl}/${this.state.tenantId}/v2.0`).setAudience(clientId)
      .setSubject(user.id).setIssuedAt().setNotBefore('0s').setExpirationTime('1h').sign(this.signingKey);
    const refreshToken = randomBytes(48).toString('base64url');
    this.refresh.set(refreshToken, { userId: user.id, clientId });
    return {
      status: 200,
      body: {
        token_type: 'Bearer', scope: graphScopes.map((s) => `${GRAPH}/${s}`).join(' '), expires_in: 3599, ext_expires_in: 3599,
        access_token: at, refresh_token: refreshToken, id_token: idToken, client_info: this.clientInfo(user.id),
      },
    };
  }

  private sign(claims: Record<string, unknown>): Promise<string> {
    return new SignJWT({ ...claims, tid: this.state.tenantId, ver: '1.0', uti: randomUUID() })
      .setProtectedHeader({ alg: 'RS256', kid: this.kid, typ: 'JWT' }).setIssuer(`https://sts.windows.net/${this.state.tenantId}/`)
      .setAudience(GRAPH).setIssuedAt().setNotBefore('0s').setExpirationTime('1h').sign(this.signingKey);
  }
}
