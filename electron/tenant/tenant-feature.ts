import type { SyncHealth, tenantRequests } from '../../shared/contract';
import type { CoreContext } from '../core/core-context';
import type { Feature } from '../core/feature';
import { readOverview } from './overview-service';
import { createTenantReader } from './tenant-adapters';
import type { TenantReaderFactory } from './tenant-ports';

/** What the tenant feature reads from elsewhere: the sync's current health (asked, never cached), and the reader to use. */
export interface TenantFeatureOptions {
  syncHealth(): SyncHealth;
  reader?: TenantReaderFactory;
}

/** The `tenant:*` handlers: the Office 365 page's overview. */
export function createTenantFeature(ctx: CoreContext, opts: TenantFeatureOptions): Feature<typeof tenantRequests> {
  const reader = opts.reader ?? createTenantReader;
  return {
    handlers: {
      'tenant:get-overview': async () => readOverview(ctx.settings.get(), opts.syncHealth(), ctx.secrets, reader, new Date()),
    },
  };
}
