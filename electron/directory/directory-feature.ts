import type { directoryRequests } from '../../shared/contract';
import type { CoreContext } from '../core/core-context';
import type { Feature } from '../core/feature';

/** The `directory:*` handlers and background work (filled in by the directory work). */
export function createDirectoryFeature(_ctx: CoreContext): Feature<typeof directoryRequests> {
  return { handlers: {} };
}
