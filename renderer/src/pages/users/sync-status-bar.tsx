import { Badge, Button, makeStyles, ProgressBar, Text, tokens } from '@fluentui/react-components';
import { ArrowSyncRegular } from '@fluentui/react-icons';
import { HealthIcon } from '../../components/health-icon';
import { describeHealth, formatLastRun } from '../../lib/health-display';
import type { SyncProgress, SyncStatus } from './sync-types';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    flexWrap: 'wrap',
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    borderRadius: tokens.borderRadiusLarge,
    backgroundColor: tokens.colorNeutralBackground1,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  text: { flexGrow: 1, minWidth: '200px', display: 'flex', flexDirection: 'column' },
  muted: { color: tokens.colorNeutralForeground2 },
  progress: { flexBasis: '100%' },
});

/** Share done of a run in flight (0–1), or undefined while unknown (indeterminate bar). */
export function progressValue(progress: SyncProgress | null): number | undefined {
  if (!progress) return undefined;
  const all = progress.done + progress.failed + progress.pending;
  return all > 0 ? (progress.done + progress.failed) / all : undefined;
}

/** Props: the live status and progress, and the Sync now action. */
export interface SyncStatusBarProps {
  status: SyncStatus;
  progress: SyncProgress | null;
  busy: boolean;
  onSyncNow(): void;
}

/** The sync at a glance above the list: state, last run, what's waiting, live progress, and Sync now. */
export function SyncStatusBar({ status, progress, busy, onSyncNow }: SyncStatusBarProps) {
  const styles = useStyles();
  const d = describeHealth(status.state);
  const running = status.state === 'running';
  return (
    <section className={styles.root} aria-label="Sync status" data-testid="users-sync-status">
      <Badge appearance="tint" color={d.tone} icon={<HealthIcon state={status.state} />}>{d.label}</Badge>
      <div className={styles.text}>
        <Text weight="semibold" aria-live="polite">{status.message}</Text>
        <Text size={200} className={styles.muted}>
          Last sync: <span title={status.lastRunAt ?? undefined}>{formatLastRun(status.lastRunAt)}</span> · Changes waiting: {status.pending}
          {status.lastError ? ` · Last error: ${status.lastError}` : ''}
        </Text>
      </div>
      <Button icon={<ArrowSyncRegular />} disabled={busy || running} onClick={onSyncNow}>
        Sync now
      </Button>
      {running ? (
        <div className={styles.progress}>
          <ProgressBar value={progressValue(progress)} thickness="large" aria-label="Sync progress" />
          {progress ? (
            <Text size={200} className={styles.muted}>
              {progress.done} done · {progress.failed} failed · {progress.pending} to go
            </Text>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
