import type { CoreContext } from '../core/core-context';
import { directoryProbe } from './directory-adapter';
import type { WizardPorts } from './ports';
import { certificateFactory, createAdminSignIn, createTenantReader, tenantProbe } from '../tenant/tenant-adapters';

/** The real ports: the directory client, the tenant client, MSAL interactive sign-in, node-forge certificates. */
export function createDefaultPorts(_ctx: CoreContext): WizardPorts {
  return {
    directory: directoryProbe,
    tenantProbe,
    signIn: createAdminSignIn(),
    certificates: certificateFactory,
    reader: createTenantReader,
    now: () => new Date(),
  };
}
