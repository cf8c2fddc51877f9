import { useCallback, useEffect, useRef, useState } from 'react';
import type { TenantOverview } from '../../../../shared/contract';
import { toApiError, LOADING, type RemoteValue } from '../../stores/remote-value';
import { api, bridge, onEvent } from '../../transport/api';

/** The overview plus a way to fetch it again (Try again, after a wizard). */
export interface TenantOverviewState {
  overview: RemoteValue<TenantOverview>;
  reload(): void;
}

/**
 * Fetches `tenant:get-overview` for the Office 365 page and refetches whenever the core says the integration
 * changed, so the page follows the Change administrator / Disable wizards without a reload.
 */
export function useTenantOverview(): TenantOverviewState {
  const [overview, setOverview] = useState<RemoteValue<TenantOverview>>(LOADING);
  // Only the newest request may write: a slow first fetch must not overwrite a refetch's answer.
  const latest = useRef(0);

  const reload = useCallback(() => {
    const ticket = ++latest.current;
    api['tenant:get-overview']()
      .then((value) => {
        if (ticket === latest.current) setOverview({ status: 'ready', value, error: null });
      })
      .catch((error: unknown) => {
        if (ticket === latest.current) setOverview((current) => ({ status: 'error', value: current.value, error: toApiError(error) }));
      });
  }, []);

  useEffect(() => {
    reload();
    const off = onEvent(bridge, 'tenant:integration-changed', () => reload());
    return () => {
      off();
      latest.current += 1;
    };
  }, [reload]);

  return { overview, reload };
}
