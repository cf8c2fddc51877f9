import { Card, CardHeader, Text } from '@fluentui/react-components';
import { RocketRegular, ServerRegular } from '@fluentui/react-icons';
import { ApiErrorBar } from '../components/api-error-bar';
import { FactList } from '../components/fact-list';
import { PageHeader } from '../components/page-header';
import { SyncHealthCard } from '../components/sync-health-card';
import { useAction } from '../lib/use-action';
import { useAppInfo } from '../stores/app-info-store';
import { GetStartedTasks } from './get-started-tasks';
import { usePageStyles } from './page-styles';

const MODE_LABELS = { electron: 'Desktop app', web: 'Web dashboard', headless: 'Background service' } as const;

/** Home: what to do next (Get started) and what this server is (server information, sync health). */
export function HomePage() {
  const styles = usePageStyles();
  const info = useAppInfo().value;
  const action = useAction();
  const integrated = info?.integrated ?? false;
  return (
    <div className={styles.stack}>
      <PageHeader title="Home" description="Set up your server and keep an eye on how it’s doing." />
      {action.error ? <ApiErrorBar error={action.error} title="Couldn't open the link" onDismiss={action.dismiss} /> : null}
      <div className={styles.grid}>
        <Card className={styles.card}>
          <CardHeader
            image={<span className={styles.cardIcon} aria-hidden="true"><RocketRegular /></span>}
            header={<Text as="h2" size={500} weight="semibold">Get started</Text>}
            description={<Text>Tasks to finish setting up this server.</Text>}
          />
          <GetStartedTasks integrated={integrated} action={action} />
        </Card>
        <div className={styles.column}>
          <Card className={styles.card}>
            <CardHeader
              image={<span className={styles.cardIcon} aria-hidden="true"><ServerRegular /></span>}
              header={<Text as="h2" size={400} weight="semibold">Server information</Text>}
            />
            {info ? (
              <FactList
                facts={[
                  { label: 'Server name', value: info.serverName },
                  { label: 'Product', value: `${info.productName} ${info.version}` },
                  { label: 'Running as', value: MODE_LABELS[info.mode] },
                  { label: 'Microsoft 365', value: integrated ? 'Integrated' : 'Not integrated' },
                ]}
              />
            ) : (
              <Text>Server information is unavailable.</Text>
            )}
          </Card>
          <SyncHealthCard />
        </div>
      </div>
    </div>
  );
}
