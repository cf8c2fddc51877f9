import { Badge, Card, CardHeader, makeStyles, Text, tokens } from '@fluentui/react-components';
import { PlugConnectedRegular } from '@fluentui/react-icons';
import type { IntegrationStatus } from '../../../../shared/contract';
import { FactList, type Fact } from '../../components/fact-list';
import { HealthIcon } from '../../components/health-icon';
import { describeHealth } from '../../lib/health-display';
import { usePageStyles } from '../page-styles';
import { integrationFacts } from './overview-format';

const useStyles = makeStyles({
  error: { color: tokens.colorPaletteRedForeground1 },
});

/** How this server is connected (from local settings, so it shows even when Microsoft 365 is unreachable). */
export function IntegrationCard({ status }: { status: IntegrationStatus }) {
  const page = usePageStyles();
  const styles = useStyles();
  const sync = describeHealth(status.syncState);
  const facts: Fact[] = integrationFacts(status).map((f) =>
    f.label === 'Last sync' ? { label: f.label, value: <span title={status.lastSyncAt ?? undefined}>{f.text}</span> } : { label: f.label, value: f.text },
  );
  return (
    <Card className={page.card} data-testid="integration-card">
      <CardHeader
        image={<span className={page.cardIcon} aria-hidden="true"><PlugConnectedRegular /></span>}
        header={<Text as="h2" size={400} weight="semibold">Integration status</Text>}
        action={
          <Badge appearance="tint" color={status.integrated ? sync.tone : 'subtle'} icon={<HealthIcon state={status.integrated ? status.syncState : 'not-configured'} />}>
            {status.integrated ? `Integrated · ${sync.label}` : 'Not integrated'}
          </Badge>
        }
      />
      <FactList facts={facts} />
      {status.lastError ? <Text className={styles.error} role="status">Last sync error: {status.lastError}</Text> : null}
    </Card>
  );
}
