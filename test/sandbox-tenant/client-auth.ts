// How the token endpoint knows a confidential client: a client secret (form or Basic) or a certificate
// assertion checked against the app's keyCredentials, with the audience on the host the request came in on.
import { createHash, X509Certificate } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { checkClientSecret } from './app-secrets';
import type { HttpReply } from './identity';
import type { TenantState } from './state';

/** What client authentication needs from the identity endpoints. */
export interface ClientAuthDeps {
  state: TenantState;
  now: Date;
  listenUrl: string;
  /** Assertion ids already used (replays are refused). */
  seenJti: Set<string>;
  err(status: number, error: string, code: number, text: string): HttpReply;
}

/** Who the client is: a certificate assertion (aud = the token endpoint on the host asked) or a client secret. */
export async function authenticateClient(d: ClientAuthDeps, form: URLSearchParams, origin: string, tenant: string, authorization?: string): Promise<{ clientId: string; acr: '1' | '2' } | HttpReply> {
  const basic = /^Basic\s+(.+)$/i.exec(authorization ?? '')?.[1];
  const [basicId, basicSecret] = basic ? Buffer.from(basic, 'base64').toString().split(':').map(decodeURIComponent) : [];
  const clientId = form.get('client_id') ?? basicId ?? '';
  const app = d.state.applications.find((a) => a.appId === clientId);
  if (!app) return d.err(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${d.state.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`);
  const secret = form.get('client_secret') ?? basicSecret;
  if (secret !== undefined && secret !== null) {
    const r = checkClientSecret(d.state, clientId, secret, d.now);
    if (r === 'ok') return { clientId, acr: '1' };
    if (r === 'expired') return d.err(401, 'invalid_client', 7000222, `The provided client secret keys for app '${clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`);
    return d.err(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`);
  }
  const assertion = form.get('client_assertion');
  if (!assertion || form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
    return d.err(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  }
  let header;
  try { header = decodeProtectedHeader(assertion); } catch { return d.err(401, 'invalid_client', 50027, 'JWT token is invalid or malformed.'); }
  const x5t256 = header['x5t#S256'] as string | undefined, x5t = header.x5t as string | undefined;
  const cred = (app.keyCredentials as { key: string; endDateTime: string }[]).find((k) => {
    const der = Buffer.from(k.key, 'base64');
    return (x5t256 && createHash('sha256').update(der).digest('base64url') === x5t256) || (x5t && createHash('sha1').update(der).digest('base64url') === x5t);
  });
  if (!cred) return d.err(401, 'invalid_client', 700027, `Client assertion failed signature validation. The key was not found. Thumbprint of key used by client: '${x5t256 ?? x5t ?? ''}'.`);
  if (Date.parse(cred.endDateTime) < d.now.getTime()) return d.err(401, 'invalid_client', 700027, 'The certificate with identifier used to sign the client assertion is expired on application.');
  // The audience is the token endpoint as the client called it: on whatever host (a proxy for
  // login.microsoftonline.com, or the sandbox's own address) and with the tenant segment it used.
  const audiences = [...new Set([origin, d.listenUrl])].flatMap((o) => [...new Set([tenant, d.state.tenantId])].flatMap((t) => [`${o}/${t}/oauth2/v2.0/token`, `${o}/${t}/oauth2/token`]));
  try {
    const key = new X509Certificate(Buffer.from(cred.key, 'base64')).publicKey;
    const { payload } = await jwtVerify(assertion, key, { algorithms: ['PS256', 'RS256'], audience: audiences, issuer: clientId, subject: clientId, clockTolerance: 300 });
    if (!payload.jti || d.seenJti.has(payload.jti)) return d.err(401, 'invalid_client', 700024, 'Client assertion is not within its valid time range or was already used.');
    d.seenJti.add(payload.jti);
  } catch (e) {
    if ((e as { claim?: string }).claim === 'aud') return d.err(401, 'invalid_client', 700212, `No matching federated identity record found for presented assertion audience '${String(decodeAud(assertion))}'.`);
    return d.err(401, 'invalid_client', 700027, `Client assertion contains an invalid signature or claims. ${(e as Error).message.replace(/[^\w .'-]/g, '')}`);
  }
  return { clientId, acr: '2' };
}

function decodeAud(jwt: string): unknown {
  try { return (JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as { aud?: unknown }).aud; } catch { return undefined; }
}
