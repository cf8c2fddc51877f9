import type { TenantOverview } from '../../../../shared/contract';
import { createLiveValue } from '../../stores/live-value';
import type { RemoteValue } from '../../stores/remote-value';

/**
 * The Office 365 page's overview, fetched again whenever the core announces that the integration changed, so the page
 * follows the Change administrator / Disable wizards without a reload.
 */
const overview = createLiveValue('tenant:get-overview', 'app:info-changed', { meaning: () => 'refetch', refetchOnMount: true });

/** The overview plus a way to fetch it again (Try again, after a wizard). */
export interface TenantOverviewState {
  overview: RemoteValue<TenantOverview>;
  reload(): void;
}

/** The overview in a component (fetched when the page opens, and again on Try again). */
export function useTenantOverview(): TenantOverviewState {
  return { overview: overview.use(), reload: () => void overview.load() };
}
