import { MemorySecretStore } from '../../electron/stores/secret-store';
import { generateAppCertificate, type AppCertificate } from '../../electron/tenant/certificate';
import type { TenantEndpoints } from '../../electron/tenant/endpoints';
import { TenantClient } from '../../electron/tenant/tenant-client';
import type { RetryOptions } from '../../electron/tenant/retry-policy';
import { startSandboxTenant, type SandboxOptions, type SandboxTenant } from '../sandbox-tenant/sandbox';

/** The permissions OpenEssentials' background service asks for. */
export const SERVICE_APP_ROLES = [
  'User.ReadWrite.All', 'Domain.ReadWrite.All', 'Organization.Read.All', 'LicenseAssignment.ReadWrite.All', 'User-PasswordProfile.ReadWrite.All', 'User.EnableDisableAccount.All',
];
/** User Administrator (needed for password writes by an app). */
export const USER_ADMIN = 'fe930be7-5e62-47db-91af-98c3a49a38b1';

let cert: AppCertificate | undefined;
/** One certificate per test process (RSA generation is the slow part). */
export function testCertificate(): AppCertificate { return (cert ??= generateAppCertificate('OpenEssentials test')); }

/** Sandbox endpoints as the app would be configured for them. */
export function endpointsOf(sb: SandboxTenant): TenantEndpoints {
  return { authorityHost: sb.url, graphBaseUrl: sb.url, caPem: sb.caPem, authorityMetadata: sb.authorityMetadata };
}

/** Fast retry delays for tests. */
export const FAST_RETRY: RetryOptions = { maxTransientRetries: 8, maxThrottleRetries: 200, baseDelayMs: 20, maxDelayMs: 500 };

/** A client for an app registered in the sandbox with the given grants. */
export async function appClient(sb: SandboxTenant, appRoles = SERVICE_APP_ROLES, directoryRoles = [USER_ADMIN], retry = FAST_RETRY) {
  const c = testCertificate();
  const reg = await sb.control.registerApplication({ displayName: 'OpenEssentials', certificateDerBase64: c.keyCredential.key, appRoles, directoryRoles });
  const secrets = new MemorySecretStore();
  await secrets.set('tenant-app-key', c.privateKeyPem);
  const client = new TenantClient({
    endpoints: endpointsOf(sb), tenantId: sb.tenantId, clientId: reg.appId, retry,
    credential: { kind: 'certificate', thumbprintSha256: c.thumbprintSha256, certificatePem: c.certificatePem, privateKeySecretName: 'tenant-app-key', secrets },
  });
  return { client, reg, secrets };
}

/** Start a sandbox for a test file. */
export function startSandbox(opts: SandboxOptions = {}): Promise<SandboxTenant> {
  return startSandboxTenant({ seed: { tenantId: undefined }, ...opts });
}
