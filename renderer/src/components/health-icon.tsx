import {
  ArrowSyncRegular,
  CheckmarkCircleRegular,
  ErrorCircleRegular,
  PauseCircleRegular,
  PlugDisconnectedRegular,
} from '@fluentui/react-icons';
import type { SyncHealth } from '../../../shared/contract';

/** The icon for a sync state, so colour is never the only signal (high contrast, colour blindness). */
export function HealthIcon({ state }: { state: SyncHealth['state'] }) {
  switch (state) {
    case 'not-configured':
      return <PlugDisconnectedRegular aria-hidden="true" />;
    case 'idle':
      return <CheckmarkCircleRegular aria-hidden="true" />;
    case 'running':
      return <ArrowSyncRegular aria-hidden="true" />;
    case 'paused':
      return <PauseCircleRegular aria-hidden="true" />;
    case 'error':
      return <ErrorCircleRegular aria-hidden="true" />;
  }
}
