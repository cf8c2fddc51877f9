import { Badge, makeStyles, Spinner, Text, tokens, Tooltip } from '@fluentui/react-components';
import { WarningRegular } from '@fluentui/react-icons';
import { HealthIcon } from '../components/health-icon';
import { describeHealth } from '../lib/health-display';
import { useSyncStatus } from '../stores/sync-status-store';

const useStyles = makeStyles({
  root: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, minWidth: 0 },
  message: {
    color: 'inherit',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    maxWidth: '36ch',
    '@media (max-width: 720px)': { display: 'none' },
  },
});

/** The header's live sync status: a polite live region, so screen readers hear changes without stealing focus. */
export function StatusArea() {
  const styles = useStyles();
  const health = useSyncStatus();
  const value = health.value;
  return (
    <div className={styles.root} role="status" aria-live="polite" aria-atomic="true" data-testid="sync-status" data-state={value?.state ?? health.status}>
      {value ? (
        <>
          <Badge appearance="filled" color={describeHealth(value.state).tone} shape="rounded" size="large" icon={<HealthIcon state={value.state} />}>
            Sync: {describeHealth(value.state).label}
          </Badge>
          <Tooltip content={value.lastError ?? value.message} relationship="description">
            <Text size={200} className={styles.message}>
              {value.message}
              {value.pending > 0 ? ` · ${value.pending} pending` : ''}
            </Text>
          </Tooltip>
        </>
      ) : health.status === 'loading' ? (
        <Spinner size="extra-tiny" label="Checking sync status…" />
      ) : null}
      {health.status === 'error' ? (
        <Tooltip content={`${health.error.message} (code: ${health.error.code})`} relationship="description">
          <Badge appearance="filled" color="danger" shape="rounded" size="large" tabIndex={0} icon={<WarningRegular aria-hidden="true" />}>
            Status unavailable
          </Badge>
        </Tooltip>
      ) : null}
    </div>
  );
}
