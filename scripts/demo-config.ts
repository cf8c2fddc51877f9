import type { Core } from '../electron/host/compose-core';
import { SECRET_NAMES } from '../electron/stores/secret-names';
import type { TestDc } from '../test/samba/dc-harness';
import type { SandboxTenant } from '../test/sandbox-tenant/sandbox';

/**
 * Points a fresh demo install at the demo DC and the sandbox tenant — the same settings an admin's answers
 * in the Integrate wizard produce on a real server (endpoints by configuration only). Never overwrites an
 * integration the demo user already completed.
 */
export async function configureDemo(core: Core, dc: TestDc, tenant: SandboxTenant): Promise<void> {
  const { settings, secrets } = core.context;
  settings.update((s) => ({
    ...s,
    directory: s.directory ?? {
      url: dc.url,
      bindUpn: dc.adminUpn,
      caPem: dc.caPem,
      serverName: dc.dnsHostName,
      scopeDns: [],
      ...(dc.gnupgHome ? { passwordCapture: { smbConf: dc.smbConf, gnupgHome: dc.gnupgHome } } : {}),
    },
  }));
  // The Integrate wizard talks to the sandbox tenant instead of Microsoft 365: configuration only.
  settings.update((s) => ({ ...s, tenantEndpoints: { authorityHost: tenant.url, graphBaseUrl: tenant.url, caPem: tenant.caPem } }));
  if (!(await secrets.get(SECRET_NAMES.directoryBindPassword))) await secrets.set(SECRET_NAMES.directoryBindPassword, dc.adminPassword);
}
