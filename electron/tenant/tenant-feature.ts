import type { SyncHealth, tenantRequests } from '../../shared/contract';
import { initialHealth } from '../core/app-handlers';
import type { CoreContext } from '../core/core-context';
import type { Feature } from '../core/feature';
import type { TenantReaderFactory } from '../wizards/ports';
import { createTenantReader } from '../wizards/tenant-adapters';
import { integrationStatus, readOverview } from './overview-service';

/**
 * The `tenant:*` handlers: the Office 365 page's overview. Keeps the latest sync health (for "last sync")
 * and re-announces the integration status whenever a wizard completes, changes or disables it.
 */
export function createTenantFeature(ctx: CoreContext, reader: TenantReaderFactory = createTenantReader): Feature<typeof tenantRequests> {
  let health: SyncHealth = initialHealth(ctx);
  const onHealth = (next: SyncHealth) => {
    health = next;
  };
  const onIntegration = () => {
    ctx.events.emit('tenant:integration-changed', integrationStatus(ctx.settings.get(), health));
  };
  ctx.signals.on('healthChanged', onHealth);
  ctx.signals.on('integrationChanged', onIntegration);
  return {
    handlers: {
      'tenant:get-overview': async () => readOverview(ctx.settings.get(), health, ctx.secrets, reader, new Date()),
    },
    dispose() {
      ctx.signals.off('healthChanged', onHealth);
      ctx.signals.off('integrationChanged', onIntegration);
    },
  };
}
