import { Button, Text } from '@fluentui/react-components';
import { CloudLinkRegular, OpenRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { ApiErrorBar } from '../components/api-error-bar';
import { EmptyState } from '../components/empty-state';
import { PageHeader } from '../components/page-header';
import { M365_HELP_URL } from '../lib/links';
import { openExternal } from '../lib/open-external';
import { useAction } from '../lib/use-action';
import { useAppInfo } from '../stores/app-info-store';
import { openWizard } from '../wizards/core-wizard-store';
import { usePageStyles } from './page-styles';
import { UsersView } from './users/users-view';

/**
 * Users: the server's accounts with their Microsoft 365 state and the account actions. Before integration it
 * explains why and offers the wizard, and still lists the directory's users when the service can.
 */
export function UsersPage() {
  const styles = usePageStyles();
  const integrated = useAppInfo().value?.integrated ?? false;
  const action = useAction();
  // Before integration the list is only shown once it answered (an unconfigured directory is not an error).
  const [listAvailable, setListAvailable] = useState(false);
  return (
    <div className={styles.stack}>
      <PageHeader
        title="Users"
        description="User accounts on this server and their Microsoft 365 accounts."
      />
      {action.error ? <ApiErrorBar error={action.error} title="Couldn't open the link" onDismiss={action.dismiss} /> : null}
      {integrated ? (
        <UsersView integrated />
      ) : (
        <>
          <EmptyState
            icon={<CloudLinkRegular />}
            title="Integrate with Microsoft 365 to manage users"
            actions={
              <>
                <Button appearance="primary" icon={<CloudLinkRegular />} onClick={() => void openWizard('integrate')}>
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
          <div data-testid="directory-users" className={styles.stack} style={{ gap: 12, display: listAvailable ? undefined : 'none' }}>
            <Text as="h2" size={500} weight="semibold">
              User accounts on this server
            </Text>
            <UsersView integrated={false} onAvailability={setListAvailable} />
          </div>
        </>
      )}
    </div>
  );
}
