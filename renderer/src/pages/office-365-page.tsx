import { Button, Card, CardHeader, Text } from '@fluentui/react-components';
import { OpenRegular, PersonSwapRegular, PlugDisconnectedRegular, SettingsRegular, ShieldCheckmarkRegular, WindowDevToolsRegular } from '@fluentui/react-icons';
import { ApiErrorBar } from '../components/api-error-bar';
import { PageHeader } from '../components/page-header';
import { SyncHealthCard } from '../components/sync-health-card';
import { ENTRA_ADMIN_URL, M365_ADMIN_URL } from '../lib/links';
import { openExternal } from '../lib/open-external';
import { useAction } from '../lib/use-action';
import { openWizard } from '../wizards/wizard-store';
import { usePageStyles } from './page-styles';

const PORTALS = [
  {
    id: 'admin',
    title: 'Microsoft 365 admin center',
    detail: 'Subscriptions, billing, licenses and service health.',
    url: M365_ADMIN_URL,
    icon: <WindowDevToolsRegular />,
  },
  {
    id: 'entra',
    title: 'Microsoft Entra admin center',
    detail: 'Sign-in security, multifactor authentication and app registrations.',
    url: ENTRA_ADMIN_URL,
    icon: <ShieldCheckmarkRegular />,
  },
] as const;

/** Office 365 (shown once integrated): how the sync is doing and shortcuts to Microsoft's admin portals. */
export function Office365Page() {
  const styles = usePageStyles();
  const action = useAction();
  return (
    <div className={styles.stack}>
      <PageHeader title="Office 365" description="Your Microsoft 365 subscription and how this server keeps it in sync." />
      {action.error ? <ApiErrorBar error={action.error} title="Couldn't open the link" onDismiss={action.dismiss} /> : null}
      <div className={styles.grid}>
        <div className={styles.column}>
          <SyncHealthCard />
          <Card className={styles.card}>
            <CardHeader
              image={<span className={styles.cardIcon} aria-hidden="true"><SettingsRegular /></span>}
              header={<Text as="h2" size={400} weight="semibold">Integration tasks</Text>}
              description={<Text>Change how this server is connected to Microsoft 365.</Text>}
            />
            <div className={styles.actions}>
              <Button icon={<PersonSwapRegular />} onClick={() => openWizard('change-admin')}>
                Change administrator
              </Button>
              <Button icon={<PlugDisconnectedRegular />} onClick={() => openWizard('disable')}>
                Disable integration
              </Button>
            </div>
          </Card>
        </div>
        <div className={styles.column}>
          {PORTALS.map((p) => (
            <Card key={p.id} className={styles.card}>
              <CardHeader
                image={<span className={styles.cardIcon} aria-hidden="true">{p.icon}</span>}
                header={<Text as="h2" size={400} weight="semibold">{p.title}</Text>}
                description={<Text>{p.detail}</Text>}
              />
              <div>
                <Button icon={<OpenRegular />} iconPosition="after" disabled={action.busy} onClick={() => action.run(() => openExternal(p.url))}>
                  Open {p.title}
                </Button>
              </div>
            </Card>
          ))}
        </div>
      </div>
    </div>
  );
}
