import { Button, Card, CardHeader, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Text } from '@fluentui/react-components';
import { OpenRegular, ShieldCheckmarkRegular } from '@fluentui/react-icons';
import { ApiErrorBar } from '../components/api-error-bar';
import { PageHeader } from '../components/page-header';
import { SyncHealthCard } from '../components/sync-health-card';
import { ENTRA_ADMIN_URL, M365_ADMIN_URL } from '../lib/links';
import { openExternal } from '../lib/open-external';
import { useAction } from '../lib/use-action';
import { IntegrationCard } from './office-365/integration-card';
import { Office365Tasks } from './office-365/office-365-tasks';
import { LicensesCard, OrganizationCard } from './office-365/tenant-cards';
import { useTenantOverview } from './office-365/use-tenant-overview';
import { usePageStyles } from './page-styles';

const PORTALS = [
  { id: 'admin', title: 'Microsoft 365 admin center', url: M365_ADMIN_URL },
  { id: 'entra', title: 'Microsoft Entra admin center', url: ENTRA_ADMIN_URL },
] as const;

/**
 * Office 365 (shown once integrated): the organisation, its domains and licenses, how this server is
 * connected, and the Essentials tasks. An unreachable tenant still shows the locally recorded status.
 */
export function Office365Page() {
  const styles = usePageStyles();
  const action = useAction();
  const { overview, reload } = useTenantOverview();
  const value = overview.value;
  const loading = overview.status === 'loading';
  return (
    <div className={styles.stack}>
      <PageHeader
        title="Office 365"
        description={value?.organization ? `Your Microsoft 365 subscription for ${value.organization.displayName}.` : 'Your Microsoft 365 subscription and how this server keeps it in sync.'}
      />
      {action.error ? <ApiErrorBar error={action.error} title="Couldn't open the link" onDismiss={action.dismiss} /> : null}
      {overview.status === 'error' ? <ApiErrorBar error={overview.error} title="Couldn't read your Microsoft 365 subscription" onRetry={reload} /> : null}
      {value && !value.reachable ? (
        <MessageBar intent="warning" layout="multiline" data-testid="tenant-unreachable">
          <MessageBarBody>
            <MessageBarTitle>Microsoft 365 can’t be reached right now</MessageBarTitle>
            {value.error?.message ?? 'The subscription did not answer.'} The integration status below is what this server last recorded.
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={reload}>Try again</Button>
          </MessageBarActions>
        </MessageBar>
      ) : null}
      <div className={styles.grid}>
        <div className={styles.column}>
          <OrganizationCard overview={value} loading={loading} />
          <LicensesCard overview={value} loading={loading} />
        </div>
        <div className={styles.column}>
          <Office365Tasks action={action} />
          {value ? <IntegrationCard status={value.integration} /> : <SyncHealthCard />}
          <Card className={styles.card}>
            <CardHeader
              image={<span className={styles.cardIcon} aria-hidden="true"><ShieldCheckmarkRegular /></span>}
              header={<Text as="h2" size={400} weight="semibold">Microsoft admin centers</Text>}
            />
            <div className={styles.actions}>
              {PORTALS.map((p) => (
                <Button key={p.id} icon={<OpenRegular />} iconPosition="after" disabled={action.busy} onClick={() => action.run(() => openExternal(p.url))}>
                  Open {p.title}
                </Button>
              ))}
            </div>
          </Card>
        </div>
      </div>
    </div>
  );
}
