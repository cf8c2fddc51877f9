import { Badge, Button, Card, CardHeader, makeStyles, Text, tokens } from '@fluentui/react-components';
import { ArrowSyncRegular } from '@fluentui/react-icons';
import { describeHealth, formatLastRun } from '../lib/health-display';
import { loadSyncStatus, useSyncStatus } from '../stores/sync-status-store';
import { ApiErrorBar } from './api-error-bar';
import { HealthIcon } from './health-icon';
import { FactList } from './fact-list';

const useStyles = makeStyles({
  card: { padding: tokens.spacingVerticalL, gap: tokens.spacingVerticalM },
  error: { color: tokens.colorPaletteRedForeground1 },
});

/** Sync health in detail (state, last run, pending changes, last error) for Home and Office 365. */
export function SyncHealthCard() {
  const styles = useStyles();
  const health = useSyncStatus();
  const value = health.value;
  return (
    <Card className={styles.card}>
      <CardHeader
        image={<ArrowSyncRegular fontSize={24} aria-hidden="true" />}
        header={
          <Text as="h2" size={400} weight="semibold">
            Microsoft 365 sync
          </Text>
        }
        action={value ? (
          <Badge appearance="tint" color={describeHealth(value.state).tone} icon={<HealthIcon state={value.state} />}>
            {describeHealth(value.state).label}
          </Badge>
        ) : undefined}
      />
      {health.status === 'error' ? (
        <ApiErrorBar error={health.error} title="Couldn't read the sync status" onRetry={() => void loadSyncStatus()} />
      ) : null}
      {value ? (
        <>
          <Text>{value.message}</Text>
          <FactList
            facts={[
              { label: 'Last sync', value: <span title={value.lastRunAt ?? undefined}>{formatLastRun(value.lastRunAt)}</span> },
              { label: 'Changes waiting', value: String(value.pending) },
            ]}
          />
          {value.lastError ? <Text className={styles.error}>Last error: {value.lastError}</Text> : null}
        </>
      ) : health.status === 'loading' ? (
        <Text>Checking…</Text>
      ) : (
        <Button icon={<ArrowSyncRegular />} onClick={() => void loadSyncStatus()}>
          Check again
        </Button>
      )}
    </Card>
  );
}
