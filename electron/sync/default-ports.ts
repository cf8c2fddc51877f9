// Builds the engine's ports from the saved settings and the keychain: the real LDAPS directory client and the real
// Graph tenant client (Microsoft 365, or the sandbox tenant when the settings point there).
import path from 'node:path';
import { DirectoryClient } from '../directory/directory-client';
import { SambaPasswordCapture } from '../directory/samba-password-capture';
import { TenantClient } from '../tenant/tenant-client';
import { SECRET_NAMES } from '../stores/secret-names';
import type { CoreContext } from '../core/core-context';
import { DirectoryAdapter } from './directory-adapter';
import type { SyncPorts } from './sync-runtime';
import { TenantAdapter } from './tenant-adapter';

/** Why: one place that knows which settings and secrets make a connection; the runtime only sees ports. */
export async function defaultPorts(ctx: CoreContext): Promise<SyncPorts> {
  const s = ctx.settings.get();
  const t = s.tenant;
  const d = s.directory;
  if (!t?.clientId || !t.certificateThumbprintSha256) throw new Error('The Microsoft 365 connection is incomplete; run the Integrate wizard again.');
  if (!d) throw new Error('The directory connection is not set up; run the Integrate wizard again.');
  const bindPassword = await ctx.secrets.get(SECRET_NAMES.directoryBindPassword);
  if (!bindPassword) throw new Error('The directory service account password is missing from the keychain; run the Integrate wizard again.');
  const directory = new DirectoryClient({
    url: d.url, bindUpn: d.bindUpn, password: bindPassword,
    tls: { ...(d.caPem ? { caPem: d.caPem } : {}), ...(d.fingerprintSha256 ? { fingerprintSha256: d.fingerprintSha256 } : {}), ...(d.serverName ? { serverName: d.serverName } : {}) },
  });
  const client = new TenantClient({
    endpoints: { authorityHost: t.endpoints.authorityHost, graphBaseUrl: t.endpoints.graphBaseUrl, ...(t.endpoints.caPem ? { caPem: t.endpoints.caPem } : {}) },
    tenantId: t.tenantId, clientId: t.clientId,
    credential: { kind: 'certificate', thumbprintSha256: t.certificateThumbprintSha256, certificatePem: t.certificatePem ?? '', privateKeySecretName: SECRET_NAMES.appCertificateKey, secrets: ctx.secrets },
  });
  const tenant = new TenantAdapter(client);
  const domains = await tenant.domains();
  // On a Samba DC, passwords come from samba-tool syncpasswords; a Windows DC needs the password filter
  // (docs/password-capture-windows.md). Without a source, dashboard resets still sync.
  const capture = d.passwordCapture
    ? new SambaPasswordCapture({
        ...d.passwordCapture,
        stateDir: path.join(ctx.dataDir, 'password-capture'),
        onError: (e) => ctx.log.warn('Password capture problem', { error: e.message }),
      })
    : undefined;
  return {
    directory: new DirectoryAdapter(directory, { scopeDns: d.scopeDns }),
    tenant,
    domains,
    ...(capture ? { passwords: { start: (cb) => capture.start(cb), stop: () => capture.stop() } } : {}),
    dispose: () => directory.close(),
  };
}
