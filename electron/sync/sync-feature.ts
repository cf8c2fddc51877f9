import type { syncRequests } from '../../shared/contract';
import type { CoreContext } from '../core/core-context';
import type { Feature } from '../core/feature';

/** The `sync:*` handlers and background work (filled in by the sync work). */
export function createSyncFeature(_ctx: CoreContext): Feature<typeof syncRequests> {
  return { handlers: {} };
}
