// Client secrets: applications/{id}/addPassword and removePassword as Graph answers them, and the check the
// token endpoint makes. Only a hash of each secret is kept (beside the object, never in it).
import { randomBytes, randomUUID } from 'node:crypto';
import type { Route } from './router';
import { fail, objectBody, type GraphRequest, type SandboxContext } from './graph-core';
import { P, requirePerm } from './permissions';
import { mustApp } from './routes-apps';
import { hashPassword, verifyPassword, type TenantState } from './state';

const TWO_YEARS = 2 * 365 * 86_400_000;

function addPassword(req: GraphRequest, ctx: SandboxContext, id: string) {
  requirePerm(ctx, req.auth, P.appWrite);
  const app = mustApp(ctx, id);
  ctx.target = app.id;
  const input = (objectBody(req).passwordCredential ?? {}) as { displayName?: unknown; endDateTime?: unknown; startDateTime?: unknown };
  const now = ctx.now();
  // Entra secrets: 40 characters, the first three shown as `hint`.
  const secretText = `${randomBytes(3).toString('hex').slice(0, 3)}8Q~${randomBytes(30).toString('base64url').slice(0, 34)}`;
  const cred = {
    customKeyIdentifier: null, displayName: typeof input.displayName === 'string' ? input.displayName : null,
    endDateTime: typeof input.endDateTime === 'string' ? input.endDateTime : new Date(now.getTime() + TWO_YEARS).toISOString(),
    hint: secretText.slice(0, 3), keyId: randomUUID(),
    startDateTime: typeof input.startDateTime === 'string' ? input.startDateTime : now.toISOString(),
  };
  (app.passwordCredentials as unknown[]).push({ ...cred, secretText: null });
  ctx.state.secrets[cred.keyId] = { appId: String(app.appId), hash: hashPassword(secretText) };
  return { status: 200, body: { '@odata.context': `${ctx.root}/$metadata#microsoft.graph.passwordCredential`, ...cred, secretText } };
}

function removePassword(req: GraphRequest, ctx: SandboxContext, id: string) {
  requirePerm(ctx, req.auth, P.appWrite);
  const app = mustApp(ctx, id);
  ctx.target = app.id;
  const keyId = objectBody(req).keyId;
  const creds = app.passwordCredentials as { keyId: string }[];
  // [unconfirmed] Graph's text for a keyId the application does not have.
  if (typeof keyId !== 'string' || !creds.some((c) => c.keyId === keyId)) throw fail.badRequest(`No password credential found with keyId '${String(keyId)}'.`);
  app.passwordCredentials = creds.filter((c) => c.keyId !== keyId);
  delete ctx.state.secrets[keyId];
  return { status: 204 };
}

/** The outcome of checking a client secret for an app at the token endpoint. */
export type SecretCheck = 'ok' | 'wrong' | 'expired';

/** Whether `secret` is one of the app's current secrets (AADSTS7000215 / 7000222 otherwise). */
export function checkClientSecret(state: TenantState, appId: string, secret: string, now: Date): SecretCheck {
  const app = state.applications.find((a) => a.appId === appId);
  let expired = false;
  for (const c of (app?.passwordCredentials as { keyId: string; endDateTime: string }[] | undefined) ?? []) {
    const s = state.secrets[c.keyId];
    if (!s || s.appId !== appId || !verifyPassword(s.hash, secret)) continue;
    if (Date.parse(c.endDateTime) < now.getTime()) { expired = true; continue; }
    return 'ok';
  }
  return expired ? 'expired' : 'wrong';
}

/** applications/{id}/addPassword and removePassword. */
export const secretRoutes: Route[] = [
  { method: 'POST', pattern: /^\/applications\/([^/]+)\/(?:microsoft\.graph\.)?addPassword$/, handler: (r, c, [id]) => addPassword(r, c, id!) },
  { method: 'POST', pattern: /^\/applications\/([^/]+)\/(?:microsoft\.graph\.)?removePassword$/, handler: (r, c, [id]) => removePassword(r, c, id!) },
];
