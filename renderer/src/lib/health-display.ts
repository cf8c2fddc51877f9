import type { SyncHealth } from '../../../shared/contract';

/** Badge colours the status area uses (Fluent Badge colors). */
export type HealthTone = 'success' | 'informative' | 'warning' | 'danger' | 'subtle';

/** How a sync state reads in the UI: a short label and a tone. */
export interface HealthDisplay {
  label: string;
  tone: HealthTone;
}

/** Maps the core's sync state to words an admin understands; every state is covered. */
export function describeHealth(state: SyncHealth['state']): HealthDisplay {
  switch (state) {
    case 'not-configured':
      return { label: 'Not connected', tone: 'subtle' };
    case 'idle':
      return { label: 'Healthy', tone: 'success' };
    case 'running':
      return { label: 'Syncing', tone: 'informative' };
    case 'paused':
      return { label: 'Paused', tone: 'warning' };
    case 'error':
      return { label: 'Needs attention', tone: 'danger' };
  }
}

/** "5 minutes ago"-style text for the last sync, or "Never" — absolute time stays in the tooltip/title. */
export function formatLastRun(iso: string | null, now = Date.now()): string {
  if (!iso) return 'Never';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return 'Unknown';
  const minutes = Math.round((now - then) / 60_000);
  if (minutes < 1) return 'Just now';
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} hour${hours === 1 ? '' : 's'} ago`;
  const days = Math.round(hours / 24);
  return `${days} day${days === 1 ? '' : 's'} ago`;
}
