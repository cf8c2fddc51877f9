import type { Route } from './router';
import { fail, objectBody, type GraphRequest, type SandboxContext } from './graph-core';
import { readBody } from './csdl-model';
import { countOf, entity, page, shape, type CollectionSpec } from './odata-query';
import { P, requirePasswordWrite, requirePerm } from './permissions';
import { hashPassword, newUser } from './state';
import { checkImmutableId, checkPassword, checkUpn, checkUserFields, mustUser, proxyTaken, upnTaken } from './user-rules';
import { userLinks } from './user-links';

// Writable user properties (all exist on microsoft.graph.user in the CSDL).
const WRITABLE = new Set([
  'accountEnabled', 'displayName', 'mailNickname', 'userPrincipalName', 'passwordProfile', 'givenName', 'surname',
  'jobTitle', 'department', 'usageLocation', 'onPremisesImmutableId', 'mobilePhone', 'businessPhones', 'officeLocation',
  'preferredLanguage', 'companyName', 'city', 'country', 'state', 'streetAddress', 'postalCode', 'employeeId',
  'otherMails', 'passwordPolicies', 'mail', 'employeeType', 'faxNumber', 'employeeHireDate',
]);

/** Graph's default property set for users (returned when there is no $select). */
export const USER_DEFAULT_SELECT = ['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id'];

/** How /users behaves under the query options: default set, $orderby on two names, $expand of the relationships the sandbox keeps. */
export const USER_SPEC: CollectionSpec = { type: 'user', defaultSelect: USER_DEFAULT_SELECT, orderable: ['displayName', 'userPrincipalName'], expand: userLinks };

function createUser(req: GraphRequest, ctx: SandboxContext) {
  requirePerm(ctx, req.auth, P.userWrite);
  const body = readBody(objectBody(req), 'user', WRITABLE, 'User');
  for (const k of ['accountEnabled', 'displayName', 'mailNickname', 'userPrincipalName', 'passwordProfile']) {
    if (body[k] === undefined || body[k] === null || body[k] === '') {
      throw fail.badRequest(`A value is required for property '${k}' of resource 'User'.`);
    }
  }
  checkUserFields(body);
  const upn = checkUpn(ctx, body.userPrincipalName);
  if (upnTaken(ctx, upn)) throw fail.conflict('userPrincipalName');
  if (proxyTaken(ctx, [upn, ...(typeof body.mail === 'string' ? [body.mail] : [])])) throw fail.conflict('proxyAddresses');
  const password = checkPassword(body.passwordProfile, upn);
  checkImmutableId(ctx, body.onPremisesImmutableId);
  const { passwordProfile: _p, ...props } = body;
  const user = newUser({ ...props }, ctx.now().toISOString());
  ctx.state.users.push(user);
  ctx.state.passwords[user.id] = hashPassword(password);
  ctx.createdAt.set(user.id, ctx.now().getTime());
  ctx.changed(user.id);
  ctx.target = user.id;
  // Graph answers a create with the default property set (no accountEnabled, no onPremisesImmutableId).
  return { status: 201, headers: { location: `${ctx.root}/users/${user.id}` }, body: { '@odata.context': `${ctx.root}/$metadata#users/$entity`, ...shape(req, ctx, user, USER_SPEC) } };
}

function updateUser(req: GraphRequest, ctx: SandboxContext, id: string) {
  requirePerm(ctx, req.auth, P.userPatch);
  const user = mustUser(ctx, id);
  ctx.target = user.id;
  const body = readBody(objectBody(req), 'user', WRITABLE, 'User');
  const keys = Object.keys(body);
  const held = req.auth.userId ? req.auth.scopes : req.auth.roles;
  const broad = held.includes('User.ReadWrite.All') || held.includes('Directory.ReadWrite.All');
  const narrowOk = keys.every((k) =>
    (k === 'accountEnabled' && held.includes('User.EnableDisableAccount.All'))
    || (k === 'passwordProfile' && held.includes('User-PasswordProfile.ReadWrite.All')));
  if (!broad && !narrowOk) throw fail.denied();
  if ('passwordProfile' in body || 'accountEnabled' in body) requirePasswordWrite(ctx, req.auth, user.id);
  checkUserFields(body);
  let upn = String(user.userPrincipalName);
  if (body.userPrincipalName !== undefined) {
    upn = checkUpn(ctx, body.userPrincipalName);
    if (upnTaken(ctx, upn, user.id)) throw fail.conflict('userPrincipalName');
  }
  if (typeof body.mail === 'string' && proxyTaken(ctx, [body.mail], user.id)) throw fail.conflict('proxyAddresses');
  checkImmutableId(ctx, body.onPremisesImmutableId, user.id);
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
  for (const g of Object.values(ctx.state.groupMembers)) { const i = g.indexOf(user.id); if (i >= 0) g.splice(i, 1); }
  ctx.changed(user.id, 'changed');
  return { status: 204 };
}

/** /users, /users/{id}, /users/$count (/me arrives here as /users/{caller}). */
export const userRoutes: Route[] = [
  { method: 'GET', pattern: /^\/users$/, handler: (r, c) => { requirePerm(c, r.auth, P.userRead); return page(r, c, c.state.users, 'users', USER_SPEC); } },
  { method: 'GET', pattern: /^\/users\/\$count$/, handler: (r, c) => { requirePerm(c, r.auth, P.userRead); return countOf(r, c.state.users, 'user'); } },
  { method: 'POST', pattern: /^\/users$/, handler: (r, c) => createUser(r, c) },
  { method: 'GET', pattern: /^\/users\/([^/]+)$/, handler: (r, c, [id]) => { requirePerm(c, r.auth, r.self ? P.me : P.userRead); return entity(r, c, mustUser(c, id!), USER_SPEC, 'users'); } },
  { method: 'PATCH', pattern: /^\/users\/([^/]+)$/, handler: (r, c, [id]) => updateUser(r, c, id!) },
  { method: 'DELETE', pattern: /^\/users\/([^/]+)$/, handler: (r, c, [id]) => deleteUser(r, c, id!) },
];
