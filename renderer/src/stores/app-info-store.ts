import type { AppInfo } from '../../../shared/contract';
import { api, bridge, onEvent } from '../transport/api';
import { createStore, useStore } from './create-store';
import { LOADING, toApiError, type RemoteValue } from './remote-value';

/** The server's identity (name, version, whether Microsoft 365 is integrated); drives the header and the nav. */
export const appInfoStore = createStore<RemoteValue<AppInfo>>(LOADING);

let started = false;
// Counts pushes, so a slow fetch never overwrites a newer pushed value.
let pushes = 0;

/** Fetches app info and follows `app:info-changed`; safe to call again to retry after an error. */
export async function loadAppInfo(): Promise<void> {
  if (!started) {
    started = true;
    onEvent(bridge, 'app:info-changed', (info) => {
      pushes += 1;
      appInfoStore.set({ status: 'ready', value: info, error: null });
    });
  }
  const seen = pushes;
  try {
    const info = await api['app:get-info']();
    if (pushes === seen) appInfoStore.set({ status: 'ready', value: info, error: null });
  } catch (error) {
    appInfoStore.set((current) => ({ status: 'error', value: current.value, error: toApiError(error) }));
  }
}

/** The current app info state in a component. */
export function useAppInfo(): RemoteValue<AppInfo> {
  return useStore(appInfoStore);
}
