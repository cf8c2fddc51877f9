import { fail, GraphFail, type AuthContext, type SandboxContext } from './graph-core';
import { ROLE } from './state';

/** Microsoft Graph application permissions (app roles) the sandbox's Graph service principal exposes; real ids. */
export const GRAPH_APP_ROLES: Record<string, string> = {
  'User.Read.All': 'df021288-bdef-4463-88db-98f22de89214',
  'User.ReadWrite.All': '741f803b-c850-494e-b5df-cde7c675a1ca',
  'User.EnableDisableAccount.All': '3011c876-62b7-4ada-afa2-506cbbecc68c',
  'User-PasswordProfile.ReadWrite.All': 'cc117bb9-00cf-4eb8-b580-ea2a878fe8f7',
  'Directory.Read.All': '7ab1d382-f21e-4acd-a863-ba3e13f7da61',
  'Directory.ReadWrite.All': '19dbc75e-c2e2-444c-a770-ec69d8559fc7',
  'Domain.ReadWrite.All': '7e05723c-0bb0-42da-be95-ae9f08a6e53c',
  'Organization.Read.All': '498476ce-e0fe-48b0-b801-37ba7e2685c6',
  'LicenseAssignment.ReadWrite.All': '5facf0c1-8979-4e95-abcf-ff3d079771c0',
  'Application.ReadWrite.All': '1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9',
  'AppRoleAssignment.ReadWrite.All': '06b708a9-e830-4db3-a914-8e69da51d44f',
  'RoleManagement.ReadWrite.Directory': '9e3f62cf-ca93-4989-b6ce-bf83c28f9fe8',
  'ServiceHealth.Read.All': '79c261e0-fe76-4144-aad5-bdc68fbe4037',
  'RoleManagement.Read.Directory': '483bed4a-2ad3-4361-a73b-c83ccdbdc53c',
  'Application.Read.All': '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30',
  'Domain.Read.All': 'dbb9058a-0e50-45d7-ae91-66909b5d4664',
  'Group.Read.All': '5b567255-7703-4780-807c-7be8301ae99b',
  'Group.ReadWrite.All': '62a82d76-70ea-41e2-9197-370581804d09',
  'GroupMember.Read.All': '98830695-27a2-44f7-8c18-0c3ebc9698f6',
  'GroupMember.ReadWrite.All': 'dbaae8cf-10b5-4b86-a4a1-f871c94c6695',
  'Organization.ReadWrite.All': '292d869f-3427-49a8-9dab-8c70152b74e9',
  'User.Invite.All': '09850681-111b-4a89-9bed-3f2cae46d706',
  'CrossTenantInformation.ReadBasic.All': 'cac88765-0581-4025-9725-5ebc13f729ee',
};

/** A route's permission: any one of these names (app role for app-only, scope for delegated). */
export interface Perm {
  any: string[];
  /** Delegated writes: the signed-in user must also hold one of these directory roles. */
  userRoles?: string[];
}

const ADMIN_ROLES = [ROLE.globalAdmin, ROLE.userAdmin];

/** Read permission sets used by the routes. */
export const P = {
  userRead: { any: ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All', 'User.ReadBasic.All'] },
  userWrite: { any: ['User.ReadWrite.All', 'Directory.ReadWrite.All'], userRoles: ADMIN_ROLES },
  userPatch: {
    any: ['User.ReadWrite.All', 'Directory.ReadWrite.All', 'User.EnableDisableAccount.All', 'User-PasswordProfile.ReadWrite.All'],
    userRoles: ADMIN_ROLES,
  },
  license: { any: ['LicenseAssignment.ReadWrite.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'], userRoles: ADMIN_ROLES },
  orgRead: { any: ['Organization.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All', 'User.Read', 'Organization.ReadWrite.All'] },
  domainRead: { any: ['Domain.Read.All', 'Domain.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'] },
  domainWrite: { any: ['Domain.ReadWrite.All', 'Directory.ReadWrite.All'], userRoles: [ROLE.globalAdmin] },
  appWrite: { any: ['Application.ReadWrite.All', 'Directory.ReadWrite.All'], userRoles: [ROLE.globalAdmin] },
  appRead: { any: ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'] },
  appRoleWrite: { any: ['AppRoleAssignment.ReadWrite.All'], userRoles: [ROLE.globalAdmin] },
  roleWrite: { any: ['RoleManagement.ReadWrite.Directory'], userRoles: [ROLE.globalAdmin] },
  roleRead: { any: ['RoleManagement.Read.Directory', 'RoleManagement.ReadWrite.Directory', 'Directory.Read.All', 'Directory.ReadWrite.All'] },
  healthRead: { any: ['ServiceHealth.Read.All'] },
  me: { any: ['User.Read', 'User.ReadWrite', 'User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'] },
  groupRead: { any: ['Group.Read.All', 'Group.ReadWrite.All', 'GroupMember.Read.All', 'GroupMember.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'] },
  groupWrite: { any: ['Group.ReadWrite.All', 'Directory.ReadWrite.All'], userRoles: ADMIN_ROLES },
  groupMemberWrite: { any: ['GroupMember.ReadWrite.All', 'Group.ReadWrite.All', 'Directory.ReadWrite.All'], userRoles: ADMIN_ROLES },
  orgWrite: { any: ['Organization.ReadWrite.All'], userRoles: [ROLE.globalAdmin] },
  invite: { any: ['User.Invite.All', 'User.ReadWrite.All', 'Directory.ReadWrite.All'], userRoles: ADMIN_ROLES },
  crossTenant: { any: ['CrossTenantInformation.ReadBasic.All'] },
} satisfies Record<string, Perm>;

/** Directory roles held by a principal (a user's object id or a service principal's id). */
export function directoryRolesOf(ctx: SandboxContext, principalId: string): string[] {
  return ctx.state.roleAssignments.filter((a) => a.principalId === principalId).map((a) => String(a.roleDefinitionId));
}

/** The caller's service principal id (app-only), if any. */
export function callerSpId(ctx: SandboxContext, auth: AuthContext): string | undefined {
  return ctx.state.servicePrincipals.find((s) => s.appId === auth.appId)?.id;
}

/** 403 Authorization_RequestDenied unless the token carries a permission and, for delegated writes, the user a role. */
export function requirePerm(ctx: SandboxContext, auth: AuthContext, perm: Perm): void {
  const held = auth.userId ? auth.scopes : auth.roles;
  if (!perm.any.some((p) => held.includes(p))) throw fail.denied();
  if (auth.userId && perm.userRoles) {
    const roles = directoryRolesOf(ctx, auth.userId);
    if (!perm.userRoles.some((r) => roles.includes(r))) throw fail.denied();
  }
}

/**
 * Writing a password (or enabling/disabling) is privileged: an app also needs a directory role
 * (User Administrator for ordinary users, Privileged Authentication Administrator for admins), as in Entra.
 */
export function requirePasswordWrite(ctx: SandboxContext, auth: AuthContext, targetUserId: string): void {
  const targetIsAdmin = directoryRolesOf(ctx, targetUserId).length > 0;
  const principal = auth.userId ?? callerSpId(ctx, auth);
  if (!principal) throw fail.denied();
  const roles = directoryRolesOf(ctx, principal);
  const ok = targetIsAdmin
    ? roles.some((r) => r === ROLE.globalAdmin || r === ROLE.privilegedAuthAdmin)
    : roles.some((r) => r === ROLE.globalAdmin || r === ROLE.userAdmin || r === ROLE.privilegedAuthAdmin);
  if (!ok) throw fail.denied();
}

/** Keep GraphFail importable from one place for route modules. */
export { GraphFail };
