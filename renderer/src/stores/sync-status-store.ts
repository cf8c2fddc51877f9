import type { EventPayload, SyncStatus } from '../../../shared/contract';
import { bridge, onEvent } from '../transport/api';
import { createStore, useStore } from './create-store';
import { createLiveValue } from './live-value';
import type { RemoteValue } from './remote-value';

/** The sync's status as the core computes it: one value for the header, Home, Office 365 and the Users page. */
export const syncStatus = createLiveValue('sync:get-status', 'sync:status-changed');

/** Fetches the status again (Retry, Check again). */
export const loadSyncStatus = (): Promise<void> => syncStatus.load();

/** The status in a component. */
export function useSyncStatus(): RemoteValue<SyncStatus> {
  return syncStatus.use();
}

/** Progress of the run in flight ("x of N"), cleared when the run ends. */
const progress = createStore<EventPayload<'sync:progress'> | null>(null);
let followingProgress = false;

/** The running sync's progress in a component. */
export function useSyncProgress(): EventPayload<'sync:progress'> | null {
  if (!followingProgress) {
    followingProgress = true;
    onEvent(bridge, 'sync:progress', (p) => progress.set(p));
    onEvent(bridge, 'sync:status-changed', (s) => { if (s.state !== 'running') progress.set(null); });
  }
  return useStore(progress);
}
