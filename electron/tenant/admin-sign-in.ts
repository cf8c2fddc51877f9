import { LogLevel, PublicClientApplication, type AccountInfo } from '@azure/msal-node';
import type * as MG from '@microsoft/microsoft-graph-types';
import { authorityFor, knownAuthoritiesFor, metadataFor, type TenantEndpoints } from './endpoints';
import { createAgent, MsalNetworkClient } from './https-transport';
import { TenantClient } from './tenant-client';
import { TenantError } from './tenant-errors';

/** Delegated scopes the Integrate wizard's bootstrap needs (admin consent on first sign-in). */
export const ADMIN_SCOPES = [
  'User.Read', 'Organization.Read.All', 'Directory.Read.All', 'Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All',
  'RoleManagement.ReadWrite.Directory', 'Domain.ReadWrite.All', 'User.ReadWrite.All',
].map((s) => `https://graph.microsoft.com/${s}`);

/** Global Administrator's role template id. */
export const GLOBAL_ADMIN_ROLE = '62e90394-69f5-4237-9190-012177145e10';
/** Microsoft Graph's appId (the resource the app's roles are granted on). */
export const MICROSOFT_GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/** Options for the interactive sign-in. */
export interface AdminSignInOptions {
  endpoints: TenantEndpoints;
  /** OpenEssentials' public (native) client id. */
  clientId: string;
  /** Tenant id/domain, or "organizations" when not yet known. */
  tenant?: string;
  /** Opens the sign-in URL: system browser, an Electron window, or the dashboard's popup. MFA happens there. */
  openBrowser: (url: string) => Promise<void>;
  loginHint?: string;
  /** Fail if the signed-in user is not a Global Administrator (default true). */
  requireGlobalAdmin?: boolean;
}

/** A signed-in administrator: delegated Graph access for the bootstrap calls (adapted to `AdminSession` for the wizards). */
export class DelegatedAdminSession {
  readonly client: TenantClient;
  /** `getAccessToken` yields delegated tokens (MSAL's silent flow after interactive sign-in). */
  constructor(
    readonly getAccessToken: () => Promise<string>,
    readonly account: Pick<AccountInfo, 'username' | 'tenantId'>,
    readonly tenantId: string,
    endpoints: TenantEndpoints,
    clientId: string,
  ) {
    this.client = new TenantClient({ endpoints, tenantId, clientId, credential: { kind: 'delegated', getAccessToken } });
  }

  /** The admin's own user. */
  me(): Promise<MG.User> { return this.client.graph.call('GET', '/me'); }
  /** Directory roles the admin holds. */
  async myRoleTemplateIds(): Promise<string[]> {
    const r = await this.client.all<MG.DirectoryRole>('/me/memberOf');
    return r.map((x) => x.roleTemplateId).filter((x): x is string => !!x);
  }
  /** The organization (name, verified domains). */
  organization(): Promise<MG.Organization> { return this.client.getOrganization(); }

  /** Register the app with its certificate; a retried create finds the existing app by display name. */
  createApplication(app: { displayName: string; keyCredential: MG.KeyCredential; requiredResourceAccess?: MG.RequiredResourceAccess[] }): Promise<MG.Application> {
    const body = { displayName: app.displayName, signInAudience: 'AzureADMyOrg', keyCredentials: [app.keyCredential], requiredResourceAccess: app.requiredResourceAccess ?? [] };
    const probe = async () => (await this.client.all<MG.Application>(`/applications?$filter=${encodeURIComponent(`displayName eq '${app.displayName.replace(/'/g, "''")}'`)}`))[0];
    return this.client.graph.call('POST', '/applications', body, { probe: { probe } });
  }

  /** A service principal by appId, if present. */
  async findServicePrincipal(appId: string): Promise<MG.ServicePrincipal | undefined> {
    return (await this.client.all<MG.ServicePrincipal>(`/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${appId}'`)}`))[0];
  }

  /** Create the app's service principal, retrying while the new application replicates. */
  async createServicePrincipal(appId: string, attempts = 10, delayMs = 1000): Promise<MG.ServicePrincipal> {
    for (let i = 0; ; i++) {
      try {
        return await this.client.graph.call<MG.ServicePrincipal>('POST', '/servicePrincipals', { appId }, { probe: { probe: () => this.findServicePrincipal(appId) } });
      } catch (e) {
        if (e instanceof TenantError && /does not reference a valid application/i.test(e.details.graphMessage ?? '') && i < attempts) {
          await new Promise((r) => setTimeout(r, delayMs));
          continue;
        }
        if (e instanceof TenantError && e.status === 409) {
          const sp = await this.findServicePrincipal(appId);
          if (sp) return sp;
        }
        throw e;
      }
    }
  }

  /** Grant an application permission (app role) on a resource service principal; already granted is fine. */
  async grantAppRole(principalId: string, resourceId: string, appRoleId: string): Promise<MG.AppRoleAssignment> {
    const existing = async () => (await this.client.all<MG.AppRoleAssignment>(`/servicePrincipals/${resourceId}/appRoleAssignedTo`))
      .find((a) => a.principalId === principalId && a.appRoleId === appRoleId);
    try {
      return await this.client.graph.call('POST', `/servicePrincipals/${resourceId}/appRoleAssignedTo`, { principalId, resourceId, appRoleId }, { probe: { probe: existing } });
    } catch (e) {
      const found = e instanceof TenantError && /already exists/i.test(e.details.graphMessage ?? '') ? await existing() : undefined;
      if (found) return found;
      throw e;
    }
  }

  /** Give a principal a directory role (e.g. User Administrator for password writes); already held is fine. */
  async assignDirectoryRole(principalId: string, roleDefinitionId: string): Promise<MG.UnifiedRoleAssignment> {
    const existing = async () => (await this.client.all<MG.UnifiedRoleAssignment>(`/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent(`principalId eq '${principalId}'`)}`))
      .find((a) => a.roleDefinitionId === roleDefinitionId);
    try {
      return await this.client.graph.call('POST', '/roleManagement/directory/roleAssignments', { principalId, roleDefinitionId, directoryScopeId: '/' }, { probe: { probe: existing } });
    } catch (e) {
      const found = e instanceof TenantError && /conflicting object/i.test(e.details.graphMessage ?? '') ? await existing() : undefined;
      if (found) return found;
      throw e;
    }
  }

  /**
   * The whole bootstrap: app with certificate → service principal → Graph app roles → directory roles.
   * Returns the ids the background service needs.
   */
  async bootstrapApp(input: { displayName: string; keyCredential: MG.KeyCredential; appRoles: string[]; directoryRoles: string[] }): Promise<{ appId: string; servicePrincipalId: string }> {
    const graphSp = await this.findServicePrincipal(MICROSOFT_GRAPH_APP_ID);
    if (!graphSp) throw new TenantError('not-found', 'Microsoft Graph is missing from the tenant.');
    const roleIds = input.appRoles.map((v) => {
      const r = (graphSp.appRoles ?? []).find((x) => x.value === v);
      if (!r?.id) throw new TenantError('bad-request', `Unknown Microsoft Graph permission ${v}.`);
      return r.id;
    });
    const requiredResourceAccess = [{ resourceAppId: MICROSOFT_GRAPH_APP_ID, resourceAccess: roleIds.map((id) => ({ id, type: 'Role' })) }];
    // Re-running the wizard reuses the registration and rotates its certificate instead of adding a second app.
    const existing = (await this.client.all<MG.Application>(`/applications?$filter=${encodeURIComponent(`displayName eq '${input.displayName.replace(/'/g, "''")}'`)}`))[0];
    let app: MG.Application;
    if (existing) {
      await this.client.graph.call('PATCH', `/applications/${String(existing.id)}`, { keyCredentials: [input.keyCredential], requiredResourceAccess });
      app = existing;
    } else {
      app = await this.createApplication({ displayName: input.displayName, keyCredential: input.keyCredential, requiredResourceAccess });
    }
    const sp = (await this.findServicePrincipal(String(app.appId))) ?? await this.createServicePrincipal(String(app.appId));
    for (const id of roleIds) await this.grantAppRole(String(sp.id), String(graphSp.id), id);
    for (const r of input.directoryRoles) await this.assignDirectoryRole(String(sp.id), r);
    return { appId: String(app.appId), servicePrincipalId: String(sp.id) };
  }
}

function mapMsalError(e: unknown): TenantError {
  const code = (e as { errorCode?: string }).errorCode ?? '';
  const msg = String((e as { errorMessage?: string }).errorMessage ?? (e as Error).message ?? '').split('\n')[0] ?? '';
  if (/AADSTS65004|access_denied/i.test(`${code} ${msg}`)) return new TenantError('consent-declined', 'Sign-in was cancelled: the permissions were not accepted.', { graphCode: code });
  if (/AADSTS50126/.test(msg)) return new TenantError('wrong-password', 'The user name or password is incorrect.', { graphCode: code });
  if (/network|endpoints_resolution|ECONN/i.test(`${code} ${msg}`)) return new TenantError('unreachable', 'The Microsoft sign-in service could not be reached.', { graphCode: code });
  return new TenantError('auth-failed', `Sign-in failed: ${msg}`, { graphCode: code });
}

/** Interactive admin sign-in (auth code + PKCE on a loopback redirect); MFA-capable because the browser does it. */
export async function signInAdmin(opts: AdminSignInOptions): Promise<DelegatedAdminSession> {
  const tenant = opts.tenant ?? 'organizations';
  const agent = createAgent(opts.endpoints.caPem);
  const metadata = metadataFor(opts.endpoints, tenant);
  const pca = new PublicClientApplication({
    auth: {
      clientId: opts.clientId, authority: authorityFor(opts.endpoints, tenant), knownAuthorities: knownAuthoritiesFor(opts.endpoints),
      ...(metadata ? { authorityMetadata: metadata } : {}),
    },
    system: { networkClient: new MsalNetworkClient(agent), loggerOptions: { logLevel: LogLevel.Warning, piiLoggingEnabled: false, loggerCallback: () => undefined } },
  });
  let result;
  try {
    result = await pca.acquireTokenInteractive({
      scopes: ADMIN_SCOPES, openBrowser: opts.openBrowser, ...(opts.loginHint ? { loginHint: opts.loginHint } : {}),
      successTemplate: '<p>Signed in. You can close this window and return to OpenEssentials.</p>',
      errorTemplate: '<p>Sign-in failed. Return to OpenEssentials for details.</p>',
    });
  } catch (e) {
    throw mapMsalError(e);
  }
  if (!result?.account) throw new TenantError('auth-failed', 'Sign-in returned no account.');
  const tenantId = result.tenantId || result.account.tenantId;
  const account = result.account;
  // MSAL refreshes with the refresh token when the access token expires.
  const getToken = async () => (await pca.acquireTokenSilent({ account, scopes: ADMIN_SCOPES })).accessToken;
  const session = new DelegatedAdminSession(getToken, account, tenantId, opts.endpoints, opts.clientId);
  if (opts.requireGlobalAdmin ?? true) {
    const roles = await session.myRoleTemplateIds();
    if (!roles.includes(GLOBAL_ADMIN_ROLE)) {
      throw new TenantError('not-admin', `${result.account.username} is not a Global Administrator of this Microsoft 365 organization. Sign in with an administrator account.`);
    }
  }
  return session;
}
