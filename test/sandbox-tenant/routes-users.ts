import type { Route } from './router';
import { fail, GraphFail, objectBody, page, parseFilter, rejectUnknown, select, type GraphRequest, type SandboxContext } from './graph-core';
import { P, requirePasswordWrite, requirePerm } from './permissions';
import { hashPassword, newUser, passwordMeetsPolicy, type GraphObject } from './state';

// Writable user properties (all exist on microsoft.graph.user in the CSDL).
const WRITABLE = new Set([
  'accountEnabled', 'displayName', 'mailNickname', 'userPrincipalName', 'passwordProfile', 'givenName', 'surname',
  'jobTitle', 'department', 'usageLocation', 'onPremisesImmutableId', 'mobilePhone', 'businessPhones', 'officeLocation',
  'preferredLanguage', 'companyName', 'city', 'country', 'state', 'streetAddress', 'postalCode', 'employeeId',
  'otherMails', 'passwordPolicies', 'mail', 'employeeType', 'faxNumber',
]);
const ALIAS = /^[A-Za-z0-9'.\-_!#^~]+$/;

/** Graph resolves /users/{id} by object id or by userPrincipalName. */
export function findUser(ctx: SandboxContext, idOrUpn: string): GraphObject | undefined {
  const key = decodeURIComponent(idOrUpn).toLowerCase();
  return ctx.state.users.find((u) => u.id === key || String(u.userPrincipalName).toLowerCase() === key);
}

function mustUser(ctx: SandboxContext, id: string): GraphObject {
  const u = findUser(ctx, id);
  if (!u) throw fail.notFound(decodeURIComponent(id));
  return u;
}

/** UPN rules: alias charset and one of the tenant's verified domains. */
export function checkUpn(ctx: SandboxContext, upn: unknown): string {
  if (typeof upn !== 'string') throw fail.badRequest('Property userPrincipalName is invalid.');
  const at = upn.lastIndexOf('@');
  const alias = upn.slice(0, at), domain = upn.slice(at + 1).toLowerCase();
  if (at <= 0 || !ALIAS.test(alias) || alias.startsWith('.') || alias.endsWith('.')) {
    throw fail.badRequest('Property userPrincipalName is invalid.');
  }
  if (!ctx.state.domains.some((d) => d.id === domain && d.isVerified)) {
    throw fail.badRequest('The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.');
  }
  return upn;
}

/** Another active object already using the UPN (deleted users don't block, which is what makes restore conflicts). */
export function upnTaken(ctx: SandboxContext, upn: string, exceptId?: string): boolean {
  return ctx.state.users.some((u) => u.id !== exceptId && String(u.userPrincipalName).toLowerCase() === upn.toLowerCase());
}

const PASSWORD_POLICY = 'The specified password does not comply with password complexity requirements. Please provide a different password.';
const UPN_CONFLICT = 'Another object with the same value for property userPrincipalName already exists.';

function checkPassword(profile: unknown, upn: string): string {
  const p = profile as { password?: unknown } | null;
  if (!p || typeof p !== 'object' || typeof p.password !== 'string') {
    throw fail.badRequest("Invalid value specified for property 'passwordProfile' of resource 'User'.");
  }
  if (!passwordMeetsPolicy(p.password, upn)) throw fail.badRequest(PASSWORD_POLICY);
  return p.password;
}

function createUser(req: GraphRequest, ctx: SandboxContext) {
  requirePerm(ctx, req.auth, P.userWrite);
  const body = objectBody(req);
  rejectUnknown(body, WRITABLE, 'User');
  for (const k of ['accountEnabled', 'displayName', 'mailNickname', 'userPrincipalName', 'passwordProfile']) {
    if (body[k] === undefined || body[k] === null || body[k] === '') {
      throw fail.badRequest(`A value is required for property '${k}' of resource 'User'.`);
    }
  }
  if (typeof body.mailNickname !== 'string' || !ALIAS.test(body.mailNickname)) {
    throw fail.badRequest("Invalid value specified for property 'mailNickname' of resource 'User'.");
  }
  const upn = checkUpn(ctx, body.userPrincipalName);
  if (upnTaken(ctx, upn)) throw fail.badRequest(UPN_CONFLICT);
  const password = checkPassword(body.passwordProfile, upn);
  if (typeof body.onPremisesImmutableId === 'string' && ctx.state.users.some((u) => u.onPremisesImmutableId === body.onPremisesImmutableId)) {
    throw fail.badRequest('Another object with the same value for property onPremisesImmutableId already exists.');
  }
  const { passwordProfile: _p, ...props } = body;
  const user = newUser({ ...props }, ctx.now().toISOString());
  ctx.state.users.push(user);
  ctx.state.passwords[user.id] = hashPassword(password);
  ctx.createdAt.set(user.id, Date.now());
  ctx.changed(user.id);
  ctx.target = user.id;
  return { status: 201, headers: { location: `${ctx.baseUrl}/v1.0/users/${user.id}` }, body: { '@odata.context': `${ctx.baseUrl}/v1.0/$metadata#users/$entity`, ...user } };
}

function updateUser(req: GraphRequest, ctx: SandboxContext, id: string) {
  requirePerm(ctx, req.auth, P.userPatch);
  const user = mustUser(ctx, id);
  ctx.target = user.id;
  const body = objectBody(req);
  rejectUnknown(body, WRITABLE, 'User');
  const keys = Object.keys(body);
  const held = req.auth.userId ? req.auth.scopes : req.auth.roles;
  const broad = held.includes('User.ReadWrite.All') || held.includes('Directory.ReadWrite.All');
  const narrowOk = keys.every((k) =>
    (k === 'accountEnabled' && held.includes('User.EnableDisableAccount.All'))
    || (k === 'passwordProfile' && held.includes('User-PasswordProfile.ReadWrite.All')));
  if (!broad && !narrowOk) throw fail.denied();
  if ('passwordProfile' in body || 'accountEnabled' in body) requirePasswordWrite(ctx, req.auth, user.id);
  let upn = String(user.userPrincipalName);
  if (body.userPrincipalName !== undefined) {
    upn = checkUpn(ctx, body.userPrincipalName);
    if (upnTaken(ctx, upn, user.id)) throw fail.badRequest(UPN_CONFLICT);
  }
  if (body.mailNickname !== undefined && (typeof body.mailNickname !== 'string' || !ALIAS.test(body.mailNickname))) {
    throw fail.badRequest("Invalid value specified for property 'mailNickname' of resource 'User'.");
  }
  if (body.usageLocation !== undefined && body.usageLocation !== null && !/^[A-Z]{2}$/.test(String(body.usageLocation))) {
    throw fail.badRequest("Invalid value specified for property 'usageLocation' of resource 'User'.");
  }
  if (body.passwordProfile !== undefined) ctx.state.passwords[user.id] = hashPassword(checkPassword(body.passwordProfile, upn));
  const { passwordProfile: _p, ...props } = body;
  Object.assign(user, props);
  ctx.changed(user.id);
  return { status: 204 };
}

function deleteUser(req: GraphRequest, ctx: SandboxContext, id: string) {
  requirePerm(ctx, req.auth, P.userWrite);
  const user = mustUser(ctx, id);
  ctx.target = user.id;
  ctx.state.users = ctx.state.users.filter((u) => u !== user);
  user.deletedDateTime = ctx.now().toISOString();
  ctx.state.deletedUsers.push(user);
  ctx.changed(user.id, 'changed');
  return { status: 204 };
}

function listUsers(req: GraphRequest, ctx: SandboxContext) {
  requirePerm(ctx, req.auth, P.userRead);
  const pred = parseFilter(req.query.get('$filter'));
  return page(req, ctx, ctx.state.users.filter(pred), 'users');
}

function getUser(req: GraphRequest, ctx: SandboxContext, id: string) {
  requirePerm(ctx, req.auth, P.userRead);
  const u = mustUser(ctx, id);
  return { status: 200, body: { '@odata.context': `${ctx.baseUrl}/v1.0/$metadata#users/$entity`, ...select(u, req.query) } };
}

function me(req: GraphRequest, ctx: SandboxContext) {
  if (!req.auth.userId) throw new GraphFail(400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
  requirePerm(ctx, req.auth, P.me);
  const u = mustUser(ctx, req.auth.userId);
  return { status: 200, body: { '@odata.context': `${ctx.baseUrl}/v1.0/$metadata#users/$entity`, ...select(u, req.query) } };
}

const ROLE_NAMES: Record<string, string> = {
  '62e90394-69f5-4237-9190-012177145e10': 'Global Administrator',
  'fe930be7-5e62-47db-91af-98c3a49a38b1': 'User Administrator',
  '7be44c8a-adaf-4e2a-84d6-ab2649e08a13': 'Privileged Authentication Administrator',
  '29232cdf-9323-42fd-ade2-1d097af3e4de': 'Exchange Administrator',
};

function meMemberOf(req: GraphRequest, ctx: SandboxContext) {
  if (!req.auth.userId) throw new GraphFail(400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
  requirePerm(ctx, req.auth, P.me);
  const roles = ctx.state.roleAssignments.filter((a) => a.principalId === req.auth.userId);
  const items = roles.map((r) => ({
    '@odata.type': '#microsoft.graph.directoryRole', id: `role-${String(r.roleDefinitionId)}`,
    roleTemplateId: String(r.roleDefinitionId), displayName: ROLE_NAMES[String(r.roleDefinitionId)] ?? 'Directory role', description: null,
  }));
  return page(req, ctx, items, 'directoryObjects');
}

/** /users, /users/{id}, /me. */
export const userRoutes: Route[] = [
  { method: 'GET', pattern: /^\/users$/, handler: (r, c) => listUsers(r, c) },
  { method: 'POST', pattern: /^\/users$/, handler: (r, c) => createUser(r, c) },
  { method: 'GET', pattern: /^\/me$/, handler: (r, c) => me(r, c) },
  { method: 'GET', pattern: /^\/me\/memberOf$/, handler: (r, c) => meMemberOf(r, c) },
  { method: 'GET', pattern: /^\/users\/([^/]+)$/, handler: (r, c, [id]) => getUser(r, c, id!) },
  { method: 'PATCH', pattern: /^\/users\/([^/]+)$/, handler: (r, c, [id]) => updateUser(r, c, id!) },
  { method: 'DELETE', pattern: /^\/users\/([^/]+)$/, handler: (r, c, [id]) => deleteUser(r, c, id!) },
];
