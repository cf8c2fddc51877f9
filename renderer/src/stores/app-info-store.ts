import type { AppInfo } from '../../../shared/contract';
import type { RemoteValue } from './remote-value';
import { createLiveValue } from './live-value';

/** The server's identity (name, version, whether Microsoft 365 is integrated); drives the header and the nav. */
export const appInfo = createLiveValue('app:get-info', 'app:info-changed');

/** Fetches app info (and follows `app:info-changed`); safe to call again to retry after an error. */
export const loadAppInfo = (): Promise<void> => appInfo.load();

/** The current app info state in a component. */
export function useAppInfo(): RemoteValue<AppInfo> {
  return appInfo.use();
}
