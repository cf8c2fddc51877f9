// Directory roles as Graph shows them: activated directoryRoles (with members and the roleTemplateId
// alternate key) and the built-in unifiedRoleDefinitions under roleManagement/directory.
import { createHash } from 'node:crypto';
import type { Route } from './router';
import { fail, type SandboxContext } from './graph-core';
import { entity, page, type CollectionSpec } from './odata-query';
import { P, requirePerm } from './permissions';
import type { GraphObject } from './state';

/** Built-in role templates the sandbox knows (real template ids and names). */
export const ROLE_TEMPLATES: Record<string, { displayName: string; description: string }> = {
  '62e90394-69f5-4237-9190-012177145e10': { displayName: 'Global Administrator', description: 'Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.' },
  'fe930be7-5e62-47db-91af-98c3a49a38b1': { displayName: 'User Administrator', description: 'Can manage all aspects of users and groups, including resetting passwords for limited admins.' },
  '7be44c8a-adaf-4e2a-84d6-ab2649e08a13': { displayName: 'Privileged Authentication Administrator', description: 'Can access to view, set and reset authentication method information for any user (admin or non-admin).' },
  '29232cdf-9323-42fd-ade2-1d097af3e4de': { displayName: 'Exchange Administrator', description: 'Can manage all aspects of the Exchange product.' },
  '729827e3-9c14-49f7-bb1b-9608f156bbb8': { displayName: 'Helpdesk Administrator', description: 'Can reset passwords for non-administrators and Helpdesk Administrators.' },
  'f2ef992c-3afb-46b9-b7cf-a126ee74c451': { displayName: 'Global Reader', description: 'Can read everything that a Global Administrator can, but not update anything.' },
  'f28a1f50-f6e7-4571-818b-6a12f2af6b6c': { displayName: 'SharePoint Administrator', description: 'Can manage all aspects of the SharePoint service.' },
  '4d6ac14f-3453-41d0-bef9-a3e0c569773a': { displayName: 'License Administrator', description: 'Can manage product licenses on users and groups.' },
};

const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';
const SPEC: CollectionSpec = { type: 'directoryRole', expand: { members: (o, ctx) => roleMembers(ctx, String(o.roleTemplateId)) } };
const DEF_SPEC: CollectionSpec = { type: 'unifiedRoleDefinition', orderable: ['displayName'] };

/** A directoryRole's id is per tenant; derive a stable one from the tenant and the template. */
function roleId(ctx: SandboxContext, templateId: string): string {
  const h = createHash('sha1').update(`${ctx.state.tenantId}/${templateId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A directoryRole object for a template. */
export function directoryRole(ctx: SandboxContext, templateId: string): GraphObject {
  const t = ROLE_TEMPLATES[templateId];
  return { '@odata.type': '#microsoft.graph.directoryRole', id: roleId(ctx, templateId), deletedDateTime: null, roleTemplateId: templateId, displayName: t?.displayName ?? 'Directory role', description: t?.description ?? null };
}

/** Activated roles: Global Administrator always, any other once someone holds it (as in Entra). */
function activated(ctx: SandboxContext): GraphObject[] {
  const ids = new Set([GLOBAL_ADMIN, ...ctx.state.roleAssignments.map((a) => String(a.roleDefinitionId))]);
  return [...ids].map((t) => directoryRole(ctx, t));
}

function roleMembers(ctx: SandboxContext, templateId: string): GraphObject[] {
  const ids = ctx.state.roleAssignments.filter((a) => a.roleDefinitionId === templateId).map((a) => String(a.principalId));
  const users = ctx.state.users.filter((u) => ids.includes(u.id)).map((u) => ({ '@odata.type': '#microsoft.graph.user', ...u }));
  const sps = ctx.state.servicePrincipals.filter((s) => ids.includes(s.id)).map((s) => ({ '@odata.type': '#microsoft.graph.servicePrincipal', ...s }));
  return [...users, ...sps];
}

function mustRole(ctx: SandboxContext, key: string): GraphObject {
  const alt = /^roleTemplateId=(.+)$/i.exec(key)?.[1];
  const r = activated(ctx).find((x) => (alt ? x.roleTemplateId === alt : x.id === key));
  if (!r) throw fail.notFound(alt ?? key);
  return r;
}

function definition(templateId: string): GraphObject {
  const t = ROLE_TEMPLATES[templateId]!;
  return {
    id: templateId, templateId, displayName: t.displayName, description: t.description, isBuiltIn: true, isEnabled: true, version: '1',
    resourceScopes: ['/'], rolePermissions: [{ allowedResourceActions: [], condition: null }],
  };
}

/** /directoryRoles and /roleManagement/directory/roleDefinitions. */
export const roleRoutes: Route[] = [
  { method: 'GET', pattern: /^\/directoryRoles$/, handler: (r, c) => { requirePerm(c, r.auth, P.roleRead); return page(r, c, activated(c), 'directoryRoles', SPEC); } },
  { method: 'GET', pattern: /^\/directoryRoles\/([^/]+)$/, handler: (r, c, [id]) => { requirePerm(c, r.auth, P.roleRead); return entity(r, c, mustRole(c, id!), SPEC, 'directoryRoles'); } },
  {
    method: 'GET', pattern: /^\/directoryRoles\/([^/]+)\/members$/,
    handler: (r, c, [id]) => { requirePerm(c, r.auth, P.roleRead); return page(r, c, roleMembers(c, String(mustRole(c, id!).roleTemplateId)), 'directoryObjects', { type: 'directoryObject' }); },
  },
  {
    method: 'GET', pattern: /^\/roleManagement\/directory\/roleDefinitions$/,
    handler: (r, c) => { requirePerm(c, r.auth, P.roleRead); return page(r, c, Object.keys(ROLE_TEMPLATES).map(definition), 'roleManagement/directory/roleDefinitions', DEF_SPEC); },
  },
  {
    method: 'GET', pattern: /^\/roleManagement\/directory\/roleDefinitions\/([^/]+)$/,
    handler: (r, c, [id]) => {
      requirePerm(c, r.auth, P.roleRead);
      if (!ROLE_TEMPLATES[id!]) throw fail.notFound(id!);
      return entity(r, c, definition(id!), DEF_SPEC, 'roleManagement/directory/roleDefinitions');
    },
  },
];
