import { useCallback, useEffect, useState } from 'react';
import type { SyncProgress, SyncStatus } from './sync-types';
import { LOADING, toApiError, type RemoteValue } from '../../stores/remote-value';
import { api, bridge, onEvent } from '../../transport/api';

/** The sync engine's status and the progress of the run in flight, kept live by events. */
export interface LiveSync {
  status: RemoteValue<SyncStatus>;
  progress: SyncProgress | null;
  reload(): void;
}

/** Fetches `sync:get-status` and follows `sync:status-changed` / `sync:progress` while the Users page is open. */
export function useSyncStatus(): LiveSync {
  const [status, setStatus] = useState<RemoteValue<SyncStatus>>(LOADING);
  const [progress, setProgress] = useState<SyncProgress | null>(null);
  const reload = useCallback(() => {
    api['sync:get-status']()
      .then((value) => setStatus({ status: 'ready', value, error: null }))
      .catch((error: unknown) => setStatus((c) => ({ status: 'error', value: c.value, error: toApiError(error) })));
  }, []);
  useEffect(() => {
    reload();
    const offStatus = onEvent(bridge, 'sync:status-changed', (value) => {
      setStatus({ status: 'ready', value, error: null });
      if (value.state !== 'running') setProgress(null);
    });
    const offProgress = onEvent(bridge, 'sync:progress', setProgress);
    return () => {
      offStatus();
      offProgress();
    };
  }, [reload]);
  return { status, progress, reload };
}
