import type { SyncHealth } from '../../../shared/contract';
import { api, bridge, onEvent } from '../transport/api';
import { createStore, useStore } from './create-store';
import { LOADING, toApiError, type RemoteValue } from './remote-value';

/** Sync health for the status area: fetched once, then kept live by `app:health-changed`. */
export const healthStore = createStore<RemoteValue<SyncHealth>>(LOADING);

let started = false;
// Counts pushes, so a slow fetch never overwrites a newer pushed value.
let pushes = 0;

/** Fetches health and follows pushes; safe to call again to retry after an error. */
export async function loadHealth(): Promise<void> {
  if (!started) {
    started = true;
    onEvent(bridge, 'app:health-changed', (health) => {
      pushes += 1;
      healthStore.set({ status: 'ready', value: health, error: null });
    });
  }
  const seen = pushes;
  try {
    const health = await api['app:get-health']();
    if (pushes === seen) healthStore.set({ status: 'ready', value: health, error: null });
  } catch (error) {
    healthStore.set((current) => ({ status: 'error', value: current.value, error: toApiError(error) }));
  }
}

/** The current sync health state in a component. */
export function useHealth(): RemoteValue<SyncHealth> {
  return useStore(healthStore);
}
