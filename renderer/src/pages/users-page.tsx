import { Button } from '@fluentui/react-components';
import { CloudLinkRegular, OpenRegular, PeopleTeamRegular, PersonAddRegular } from '@fluentui/react-icons';
import { ApiErrorBar } from '../components/api-error-bar';
import { EmptyState } from '../components/empty-state';
import { PageHeader } from '../components/page-header';
import { M365_HELP_URL } from '../lib/links';
import { openExternal } from '../lib/open-external';
import { useAction } from '../lib/use-action';
import { useAppInfo } from '../stores/app-info-store';
import { openWizard } from '../wizards/wizard-store';
import { usePageStyles } from './page-styles';

/** Users: the server's accounts. Before integration it explains why and offers the Microsoft 365 wizard. */
export function UsersPage() {
  const styles = usePageStyles();
  const integrated = useAppInfo().value?.integrated ?? false;
  const action = useAction();
  return (
    <div className={styles.stack}>
      <PageHeader
        title="Users"
        description="User accounts on this server and their Microsoft 365 accounts."
        actions={
          integrated ? (
            <Button appearance="primary" icon={<PersonAddRegular />} onClick={() => openWizard('add-user')}>
              Add a user account
            </Button>
          ) : undefined
        }
      />
      {action.error ? <ApiErrorBar error={action.error} title="Couldn't open the link" onDismiss={action.dismiss} /> : null}
      {integrated ? (
        <EmptyState
          icon={<PeopleTeamRegular />}
          title="No user accounts to show yet"
          actions={
            <Button appearance="primary" icon={<PersonAddRegular />} onClick={() => openWizard('add-user')}>
              Add a user account
            </Button>
          }
        >
          When the server’s directory is connected, its user accounts appear here with their Microsoft 365 status and license.
        </EmptyState>
      ) : (
        <EmptyState
          icon={<CloudLinkRegular />}
          title="Integrate with Microsoft 365 to manage users"
          actions={
            <>
              <Button appearance="primary" icon={<CloudLinkRegular />} onClick={() => openWizard('integrate')}>
                Integrate with Microsoft 365
              </Button>
              <Button icon={<OpenRegular />} iconPosition="after" disabled={action.busy} onClick={() => action.run(() => openExternal(M365_HELP_URL))}>
                Learn more
              </Button>
            </>
          }
        >
          Once this server is connected to your Microsoft 365 subscription, each user account here gets a matching Microsoft 365 account,
          and password changes and new hires are kept in sync automatically.
        </EmptyState>
      )}
    </div>
  );
}
