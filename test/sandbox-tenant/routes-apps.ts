import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import type { Route } from './router';
import { fail, GraphFail, objectBody, type GraphRequest, type SandboxContext } from './graph-core';
import { emptyCollections, readBody } from './csdl-model';
import { entity, page, type CollectionSpec } from './odata-query';
import { GRAPH_APP_ROLES, P, requirePerm } from './permissions';
import { GRAPH_APP_ID, ROLE, type GraphObject, type TenantState } from './state';

/** Every tenant has Microsoft Graph's service principal; its appRoles are what apps get granted. */
export function ensureGraphServicePrincipal(state: TenantState): GraphObject {
  let sp = state.servicePrincipals.find((s) => s.appId === GRAPH_APP_ID);
  if (!sp) {
    sp = {
      id: randomUUID(), appId: GRAPH_APP_ID, displayName: 'Microsoft Graph', servicePrincipalType: 'Application',
      accountEnabled: true, appRoleAssignmentRequired: false, servicePrincipalNames: ['https://graph.microsoft.com', GRAPH_APP_ID],
    };
    state.servicePrincipals.push(sp);
  }
  sp.appRoles = Object.entries(GRAPH_APP_ROLES).map(([value, id]) => ({
    id, value, displayName: value, description: value, isEnabled: true, allowedMemberTypes: ['Application'], origin: 'Application',
  }));
  // Objects from older state files get the non-nullable collections Graph always returns.
  for (const x of state.servicePrincipals) Object.assign(x, { ...emptyCollections('servicePrincipal'), ...x });
  for (const x of state.applications) Object.assign(x, { ...emptyCollections('application'), ...x });
  return sp;
}

/** App role values granted to an app on Microsoft Graph: they become the `roles` claim. */
export function grantedGraphRoles(state: TenantState, appId: string): string[] {
  const sp = state.servicePrincipals.find((s) => s.appId === appId);
  const graph = ensureGraphServicePrincipal(state);
  if (!sp) return [];
  const roles = graph.appRoles as { id: string; value: string }[];
  return state.appRoleAssignments
    .filter((a) => a.principalId === sp.id && a.resourceId === graph.id)
    .map((a) => roles.find((r) => r.id === a.appRoleId)?.value)
    .filter((v): v is string => !!v);
}

const APP: CollectionSpec = { type: 'application', orderable: ['displayName'] };
const SP: CollectionSpec = { type: 'servicePrincipal', orderable: ['displayName'] };

/** keyCredentials are returned without `key`, as Graph does. */
function outApp(app: GraphObject): GraphObject {
  return { ...app, keyCredentials: (app.keyCredentials as GraphObject[]).map((k) => ({ ...k, key: null })) };
}

function keyCredential(raw: Record<string, unknown>): Record<string, unknown> {
  if (raw.type !== 'AsymmetricX509Cert' || typeof raw.key !== 'string') {
    throw fail.badRequest("Invalid value specified for property 'keyCredentials' of resource 'Application'.");
  }
  let cert: X509Certificate;
  try { cert = new X509Certificate(Buffer.from(raw.key, 'base64')); } catch {
    throw fail.badRequest('Key credential key is not a valid certificate.');
  }
  return {
    customKeyIdentifier: createHash('sha1').update(cert.raw).digest('base64'),
    displayName: raw.displayName ?? `CN=${cert.subject.replace(/^CN=/, '')}`,
    endDateTime: raw.endDateTime ?? new Date(cert.validTo).toISOString(),
    startDateTime: raw.startDateTime ?? new Date(cert.validFrom).toISOString(),
    key: raw.key, keyId: raw.keyId ?? randomUUID(), type: 'AsymmetricX509Cert', usage: raw.usage ?? 'Verify',
  };
}

const APP_PROPS = new Set(['displayName', 'requiredResourceAccess', 'keyCredentials', 'signInAudience', 'publicClient', 'web', 'notes', 'tags', 'description']);

function createApp(req: GraphRequest, ctx: SandboxContext) {
  requirePerm(ctx, req.auth, P.appWrite);
  const body = readBody(objectBody(req), 'application', APP_PROPS, 'Application');
  if (typeof body.displayName !== 'string' || !body.displayName) throw fail.badRequest("A value is required for property 'displayName' of resource 'Application'.");
  const app: GraphObject = {
    ...emptyCollections('application'), id: randomUUID(), appId: randomUUID(), createdDateTime: ctx.now().toISOString(), signInAudience: 'AzureADMyOrg',
    publisherDomain: ctx.state.domains.find((d) => d.isInitial)?.id,
    ...body, keyCredentials: ((body.keyCredentials as Record<string, unknown>[] | undefined) ?? []).map(keyCredential),
  };
  ctx.state.applications.push(app);
  ctx.createdAt.set(String(app.appId), ctx.now().getTime());
  ctx.target = app.id;
  return { status: 201, body: { '@odata.context': `${ctx.root}/$metadata#applications/$entity`, ...outApp(app) } };
}

/** By object id, or by the appId alternate key (`applications(appId='…')`). */
export function mustApp(ctx: SandboxContext, id: string): GraphObject {
  const alt = /^appId=(.+)$/i.exec(id)?.[1];
  const a = ctx.state.applications.find((x) => (alt ? x.appId === alt : x.id === id));
  if (!a) throw fail.notFound(alt ?? id);
  return a;
}

function patchApp(req: GraphRequest, ctx: SandboxContext, id: string) {
  requirePerm(ctx, req.auth, P.appWrite);
  const app = mustApp(ctx, id);
  ctx.target = app.id;
  const body = readBody(objectBody(req), 'application', APP_PROPS, 'Application');
  const { keyCredentials, ...rest } = body;
  Object.assign(app, rest);
  if (keyCredentials) app.keyCredentials = (keyCredentials as Record<string, unknown>[]).map(keyCredential);
  return { status: 204 };
}

function createSp(req: GraphRequest, ctx: SandboxContext) {
  requirePerm(ctx, req.auth, P.appWrite);
  const body = readBody(objectBody(req), 'servicePrincipal', new Set(['appId', 'accountEnabled', 'tags', 'appRoleAssignmentRequired']), 'ServicePrincipal');
  const app = ctx.state.applications.find((a) => a.appId === body.appId);
  const created = ctx.createdAt.get(String(body.appId)) ?? 0;
  if (!app || ctx.now().getTime() - created < ctx.replicationDelayMs) {
    throw fail.badRequest(`The appId '${String(body.appId)}' of the service principal does not reference a valid application object.`);
  }
  if (ctx.state.servicePrincipals.some((s) => s.appId === app.appId)) {
    throw new GraphFail(409, 'Request_MultipleObjectsWithSameKeyValue', 'The service principal cannot be created, updated, or restored because the service principal name is already in use.');
  }
  const sp: GraphObject = {
    ...emptyCollections('servicePrincipal'), id: randomUUID(), appId: app.appId, displayName: app.displayName, accountEnabled: true, servicePrincipalType: 'Application',
    appRoleAssignmentRequired: false, servicePrincipalNames: [String(app.appId)],
    appOwnerOrganizationId: ctx.state.tenantId, signInAudience: app.signInAudience,
  };
  ctx.state.servicePrincipals.push(sp);
  ctx.target = sp.id;
  return { status: 201, body: { '@odata.context': `${ctx.root}/$metadata#servicePrincipals/$entity`, ...sp } };
}

/** By object id, or by the appId alternate key (`servicePrincipals(appId='…')`). */
function mustSp(ctx: SandboxContext, id: string): GraphObject {
  const alt = /^appId=(.+)$/i.exec(id)?.[1];
  const s = ctx.state.servicePrincipals.find((x) => (alt ? x.appId === alt : x.id === id));
  if (!s) throw fail.notFound(alt ?? id);
  return s;
}

function assignAppRole(req: GraphRequest, ctx: SandboxContext, resourceId: string) {
  requirePerm(ctx, req.auth, P.appRoleWrite);
  const resource = mustSp(ctx, resourceId);
  const body = readBody(objectBody(req), 'appRoleAssignment', new Set(['principalId', 'resourceId', 'appRoleId']), 'AppRoleAssignment');
  const principal = ctx.state.servicePrincipals.find((s) => s.id === body.principalId);
  if (!principal) throw fail.notFound(String(body.principalId));
  if (body.resourceId !== resource.id) throw fail.badRequest("Invalid value specified for property 'resourceId' of resource 'AppRoleAssignment'.");
  const role = (resource.appRoles as { id: string }[]).find((r) => r.id === body.appRoleId);
  if (!role) throw fail.badRequest('Permission being assigned was not found on application');
  if (ctx.state.appRoleAssignments.some((a) => a.principalId === principal.id && a.resourceId === resource.id && a.appRoleId === role.id)) {
    throw fail.badRequest('Permission being assigned already exists on the object');
  }
  const a: GraphObject = {
    id: randomUUID(), appRoleId: role.id, createdDateTime: ctx.now().toISOString(), deletedDateTime: null,
    principalDisplayName: principal.displayName, principalId: principal.id, principalType: 'ServicePrincipal',
    resourceDisplayName: resource.displayName, resourceId: resource.id,
  };
  ctx.state.appRoleAssignments.push(a);
  ctx.target = principal.id;
  return { status: 201, body: { '@odata.context': `${ctx.root}/$metadata#servicePrincipals('${resource.id}')/appRoleAssignedTo/$entity`, ...a } };
}

const KNOWN_ROLES = new Set<string>(Object.values(ROLE));

function assignDirectoryRole(req: GraphRequest, ctx: SandboxContext) {
  requirePerm(ctx, req.auth, P.roleWrite);
  const body = readBody(objectBody(req), 'unifiedRoleAssignment', new Set(['principalId', 'roleDefinitionId', 'directoryScopeId']), 'UnifiedRoleAssignment');
  if (!KNOWN_ROLES.has(String(body.roleDefinitionId))) throw fail.notFound(String(body.roleDefinitionId));
  const pid = String(body.principalId);
  if (!ctx.state.servicePrincipals.some((s) => s.id === pid) && !ctx.state.users.some((u) => u.id === pid)) throw fail.notFound(pid);
  if (ctx.state.roleAssignments.some((a) => a.principalId === pid && a.roleDefinitionId === body.roleDefinitionId)) {
    throw fail.badRequest('A conflicting object with one or more of the specified property values is present in the directory.');
  }
  const a: GraphObject = { id: randomUUID(), principalId: pid, roleDefinitionId: String(body.roleDefinitionId), directoryScopeId: String(body.directoryScopeId ?? '/') };
  ctx.state.roleAssignments.push(a);
  ctx.target = pid;
  return { status: 201, body: { '@odata.context': `${ctx.root}/$metadata#roleManagement/directory/roleAssignments/$entity`, ...a } };
}

/** Removes a service principal with its grants and directory roles, as Entra does. */
function dropSp(ctx: SandboxContext, sp: GraphObject): void {
  ctx.state.servicePrincipals = ctx.state.servicePrincipals.filter((x) => x.id !== sp.id);
  ctx.state.appRoleAssignments = ctx.state.appRoleAssignments.filter((a) => a.principalId !== sp.id && a.resourceId !== sp.id);
  ctx.state.roleAssignments = ctx.state.roleAssignments.filter((a) => a.principalId !== sp.id);
}

/** DELETE /applications/{id}: the app and, in its home tenant, its service principal go with it. */
function deleteApp(req: GraphRequest, ctx: SandboxContext, id: string) {
  requirePerm(ctx, req.auth, P.appWrite);
  const app = mustApp(ctx, id);
  ctx.target = app.id;
  ctx.state.applications = ctx.state.applications.filter((a) => a.id !== app.id);
  const sp = ctx.state.servicePrincipals.find((x) => x.appId === app.appId);
  if (sp) dropSp(ctx, sp);
  return { status: 204 };
}

function deleteSp(req: GraphRequest, ctx: SandboxContext, id: string) {
  requirePerm(ctx, req.auth, P.appWrite);
  const sp = mustSp(ctx, id);
  if (sp.appId === GRAPH_APP_ID) throw fail.badRequest('Insufficient privileges to complete the operation.');
  ctx.target = sp.id;
  dropSp(ctx, sp);
  return { status: 204 };
}

function deleteAppRoleAssignment(req: GraphRequest, ctx: SandboxContext, resourceId: string, id: string) {
  requirePerm(ctx, req.auth, P.appRoleWrite);
  const sp = mustSp(ctx, resourceId);
  const a = ctx.state.appRoleAssignments.find((x) => x.id === id && x.resourceId === sp.id);
  if (!a) throw fail.notFound(id);
  ctx.target = String(a.principalId);
  ctx.state.appRoleAssignments = ctx.state.appRoleAssignments.filter((x) => x !== a);
  return { status: 204 };
}

function deleteRoleAssignment(req: GraphRequest, ctx: SandboxContext, id: string) {
  requirePerm(ctx, req.auth, P.roleWrite);
  const a = ctx.state.roleAssignments.find((x) => x.id === id);
  if (!a) throw fail.notFound(id);
  ctx.target = String(a.principalId);
  ctx.state.roleAssignments = ctx.state.roleAssignments.filter((x) => x !== a);
  return { status: 204 };
}


/** applications, servicePrincipals, appRoleAssignedTo and directory role assignments (the bootstrap). */
export const appRoutes: Route[] = [
  { method: 'POST', pattern: /^\/applications$/, handler: (r, c) => createApp(r, c) },
  { method: 'GET', pattern: /^\/applications$/, handler: (r, c) => { requirePerm(c, r.auth, P.appRead); return page(r, c, c.state.applications.map(outApp), 'applications', APP); } },
  { method: 'GET', pattern: /^\/applications\/([^/]+)$/, handler: (r, c, [id]) => { requirePerm(c, r.auth, P.appRead); return entity(r, c, outApp(mustApp(c, id!)), APP, 'applications'); } },
  { method: 'PATCH', pattern: /^\/applications\/([^/]+)$/, handler: (r, c, [id]) => patchApp(r, c, id!) },
  { method: 'DELETE', pattern: /^\/applications\/([^/]+)$/, handler: (r, c, [id]) => deleteApp(r, c, id!) },
  { method: 'DELETE', pattern: /^\/servicePrincipals\/([^/]+)$/, handler: (r, c, [id]) => deleteSp(r, c, id!) },
  { method: 'DELETE', pattern: /^\/servicePrincipals\/([^/]+)\/appRoleAssignedTo\/([^/]+)$/, handler: (r, c, [sp, id]) => deleteAppRoleAssignment(r, c, sp!, id!) },
  { method: 'DELETE', pattern: /^\/roleManagement\/directory\/roleAssignments\/([^/]+)$/, handler: (r, c, [id]) => deleteRoleAssignment(r, c, id!) },
  { method: 'POST', pattern: /^\/servicePrincipals$/, handler: (r, c) => createSp(r, c) },
  { method: 'GET', pattern: /^\/servicePrincipals$/, handler: (r, c) => { requirePerm(c, r.auth, P.appRead); return page(r, c, c.state.servicePrincipals, 'servicePrincipals', SP); } },
  { method: 'GET', pattern: /^\/servicePrincipals\/([^/]+)$/, handler: (r, c, [id]) => { requirePerm(c, r.auth, P.appRead); return entity(r, c, mustSp(c, id!), SP, 'servicePrincipals'); } },
  { method: 'POST', pattern: /^\/servicePrincipals\/([^/]+)\/appRoleAssignedTo$/, handler: (r, c, [id]) => assignAppRole(r, c, id!) },
  {
    method: 'GET', pattern: /^\/servicePrincipals\/([^/]+)\/appRoleAssignedTo$/,
    handler: (r, c, [id]) => { requirePerm(c, r.auth, P.appRead); const sp = mustSp(c, id!); return page(r, c, c.state.appRoleAssignments.filter((a) => a.resourceId === sp.id), 'appRoleAssignments', { type: 'appRoleAssignment' }); },
  },
  { method: 'POST', pattern: /^\/roleManagement\/directory\/roleAssignments$/, handler: (r, c) => assignDirectoryRole(r, c) },
  { method: 'GET', pattern: /^\/roleManagement\/directory\/roleAssignments$/, handler: (r, c) => { requirePerm(c, r.auth, P.roleRead); return page(r, c, c.state.roleAssignments, 'roleManagement/directory/roleAssignments', { type: 'unifiedRoleAssignment' }); } },
];
