import type { tenantRequests } from '../../shared/contract';
import type { CoreContext } from '../core/core-context';
import type { Feature } from '../core/feature';

/** The `tenant:*` handlers and background work (filled in by the tenant work). */
export function createTenantFeature(_ctx: CoreContext): Feature<typeof tenantRequests> {
  return { handlers: {} };
}
