// Thin adapters from the tenant ports (tenant-ports.ts) to the tenant client: interactive admin sign-in, the admin's
// delegated calls, the app's own reader, the reachability probe and the certificate.
import type * as MG from '@microsoft/microsoft-graph-types';
import { AppError } from '../core/errors';
import { MemorySecretStore } from '../stores/secret-store';
import { GLOBAL_ADMIN_ROLE, MICROSOFT_GRAPH_APP_ID, signInAdmin, type DelegatedAdminSession } from './admin-sign-in';
import { generateAppCertificate } from './certificate';
import { graphRoot } from './endpoints';
import { createAgent, send } from './https-transport';
import { DEFAULT_RETRY } from './retry-policy';
import { TenantClient } from './tenant-client';
import { TenantError } from './tenant-errors';
import type { AdminSession, AdminSignIn, CertificateFactory, TenantProbe, TenantReaderFactory } from './tenant-ports';

/** OpenEssentials' public (native) client id, used for the admin's interactive sign-in. */
export const OPENESSENTIALS_PUBLIC_CLIENT_ID = '8b2a0c6e-2f4e-4f6a-9a41-0e55e55e0001';

async function deleteIgnoringMissing(client: TenantClient, path: string): Promise<void> {
  try {
    await client.graph.call('DELETE', path);
  } catch (error) {
    if (error instanceof TenantError && error.code === 'not-found') return;
    throw error;
  }
}

/** The narrow AdminSession over the tenant client's delegated session. */
export function adaptAdminSession(s: DelegatedAdminSession): AdminSession {
  const client = s.client;
  let graphSp: Promise<MG.ServicePrincipal> | undefined;
  const graph = () =>
    (graphSp ??= s.findServicePrincipal(MICROSOFT_GRAPH_APP_ID).then((sp) => {
      if (!sp?.id) throw new AppError('not-found', 'Microsoft Graph is missing from the tenant.');
      return sp;
    }));
  const roleId = async (value: string): Promise<string> => {
    const role = ((await graph()).appRoles ?? []).find((r) => r.value === value);
    if (!role?.id) throw new AppError('bad-request', `Microsoft Graph has no permission named ${value}.`);
    return role.id;
  };
  return {
    adminUpn: s.account.username,
    tenantId: s.tenantId,
    async canBootstrap() {
      return (await s.myRoleTemplateIds()).includes(GLOBAL_ADMIN_ROLE);
    },
    async domains() {
      return (await client.listDomains()).map((d) => ({ name: String(d.id), isDefault: !!d.isDefault, isInitial: !!d.isInitial, isVerified: !!d.isVerified }));
    },
    async organizationName() {
      return (await client.getOrganization()).displayName ?? null;
    },
    async createApplication(input) {
      const ids = await Promise.all(input.appRoleValues.map(roleId));
      const app = await s.createApplication({
        displayName: input.displayName,
        keyCredential: { type: 'AsymmetricX509Cert', usage: 'Verify', key: input.certificateDerBase64, displayName: `CN=${input.displayName}` },
        requiredResourceAccess: [{ resourceAppId: MICROSOFT_GRAPH_APP_ID, resourceAccess: ids.map((id) => ({ id, type: 'Role' })) }],
      });
      return { objectId: String(app.id), appId: String(app.appId) };
    },
    async createServicePrincipal(appId) {
      return { id: String((await s.createServicePrincipal(appId)).id) };
    },
    async grantAppRole(servicePrincipalId, value) {
      const a = await s.grantAppRole(servicePrincipalId, String((await graph()).id), await roleId(value));
      return { id: String(a.id) };
    },
    async assignDirectoryRole(servicePrincipalId, roleTemplateId) {
      return { id: String((await s.assignDirectoryRole(servicePrincipalId, roleTemplateId)).id) };
    },
    async getApplication(objectId) {
      try {
        const app = await client.graph.call<MG.Application>('GET', `/applications/${encodeURIComponent(objectId)}`);
        return { appId: String(app.appId), displayName: String(app.displayName) };
      } catch (error) {
        if (error instanceof TenantError && error.code === 'not-found') return null;
        throw error;
      }
    },
    async setCertificates(objectId, ders) {
      const keyCredentials = ders.map((key) => ({ type: 'AsymmetricX509Cert', usage: 'Verify', key }));
      await client.graph.call('PATCH', `/applications/${encodeURIComponent(objectId)}`, { keyCredentials });
    },
    deleteApplication: (objectId) => deleteIgnoringMissing(client, `/applications/${encodeURIComponent(objectId)}`),
    deleteServicePrincipal: (id) => deleteIgnoringMissing(client, `/servicePrincipals/${encodeURIComponent(id)}`),
    removeAppRole: (spId, id) => deleteIgnoringMissing(client, `/servicePrincipals/${encodeURIComponent(spId)}/appRoleAssignedTo/${encodeURIComponent(id)}`),
    removeDirectoryRole: (id) => deleteIgnoringMissing(client, `/roleManagement/directory/roleAssignments/${encodeURIComponent(id)}`),
  };
}

/** Interactive sign-in (MSAL loopback + PKCE); an abort (Cancel, "continue without") stops waiting for it. */
export function createAdminSignIn(clientId = OPENESSENTIALS_PUBLIC_CLIENT_ID): AdminSignIn {
  return {
    async signIn(endpoints, openBrowser, signal) {
      const aborted = new Promise<never>((_r, reject) => {
        const stop = () => reject(new AppError('aborted', 'Sign-in was cancelled.'));
        if (signal.aborted) stop();
        else signal.addEventListener('abort', stop, { once: true });
      });
      aborted.catch(() => undefined);
      const session = await Promise.race([signInAdmin({ endpoints: endpoints, clientId, openBrowser, requireGlobalAdmin: false }), aborted]);
      return adaptAdminSession(session);
    },
  };
}

/** Reads the app's own view of the tenant with its certificate (the key is handed over in memory). */
export const createTenantReader: TenantReaderFactory = (cred) => {
  const secrets = new MemorySecretStore();
  secrets.values.set('key', cred.privateKeyPem);
  const client = new TenantClient({
    endpoints: cred.endpoints,
    tenantId: cred.tenantId,
    clientId: cred.clientId,
    credential: { kind: 'certificate', thumbprintSha256: cred.thumbprintSha256, certificatePem: '', privateKeySecretName: 'key', secrets },
    retry: { ...DEFAULT_RETRY, maxTransientRetries: 1, baseDelayMs: 200 },
  });
  return {
    async organization() {
      const o = await client.getOrganization();
      return { id: String(o.id), displayName: o.displayName ?? '', countryLetterCode: o.countryLetterCode ?? null };
    },
    async domains() {
      return (await client.listDomains()).map((d) => ({ name: String(d.id), isDefault: !!d.isDefault, isInitial: !!d.isInitial, isVerified: !!d.isVerified }));
    },
    async skus() {
      return (await client.listSkus()).map((k) => ({
        skuId: String(k.skuId),
        skuPartNumber: k.skuPartNumber ?? '',
        capabilityStatus: k.capabilityStatus ?? 'Enabled',
        enabled: k.prepaidUnits?.enabled ?? 0,
        consumed: k.consumedUnits ?? 0,
      }));
    },
  };
};

/** Reachability: the sign-in metadata and Graph both answer over HTTPS (any status counts); Date gives the clock. */
export const tenantProbe: TenantProbe = {
  async check(endpoints) {
    const agent = createAgent(endpoints.caPem);
    try {
      const meta = await send(`${endpoints.authorityHost.replace(/\/+$/, '')}/organizations/v2.0/.well-known/openid-configuration`, agent, { method: 'GET', headers: {}, timeoutMs: 10_000 });
      await send(`${graphRoot(endpoints)}/v1.0/organization`, agent, { method: 'GET', headers: {}, timeoutMs: 10_000 });
      const date = meta.headers.date ? new Date(meta.headers.date) : null;
      return { serverTime: date && !Number.isNaN(date.getTime()) ? date : null };
    } catch {
      throw new AppError('unreachable', 'Microsoft 365 could not be reached from this server.');
    } finally {
      agent.destroy();
    }
  },
};

/** The app certificate from the tenant client's generator, in the wizard's shape. */
export const certificateFactory: CertificateFactory = {
  async create(subject) {
    const c = generateAppCertificate(subject);
    return { certificatePem: c.certificatePem, privateKeyPem: c.privateKeyPem, derBase64: c.keyCredential.key, thumbprintSha256: c.thumbprintSha256, expiresAt: c.keyCredential.endDateTime };
  },
};
