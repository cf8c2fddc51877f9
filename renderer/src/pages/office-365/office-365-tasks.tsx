import { Button, Card, CardHeader, makeStyles, Text, tokens, Tooltip } from '@fluentui/react-components';
import { GlobeAddRegular, OpenRegular, PersonSwapRegular, PlugDisconnectedRegular, TaskListLtrRegular } from '@fluentui/react-icons';
import { M365_ADMIN_URL } from '../../lib/links';
import { openExternal } from '../../lib/open-external';
import type { ActionState } from '../../lib/use-action';
import { openWizard } from '../../wizards/core-wizard-store';
import { usePageStyles } from '../page-styles';

const useStyles = makeStyles({
  tasks: { display: 'flex', flexDirection: 'column', alignItems: 'stretch', gap: tokens.spacingVerticalXS },
  task: { justifyContent: 'flex-start', textAlign: 'start' },
});

/** The Office 365 tasks pane, as in the Essentials dashboard: portal, change admin, link a domain, disable. */
export function Office365Tasks({ action }: { action: ActionState }) {
  const page = usePageStyles();
  const styles = useStyles();
  return (
    <Card className={page.card}>
      <CardHeader
        image={<span className={page.cardIcon} aria-hidden="true"><TaskListLtrRegular /></span>}
        header={<Text as="h2" size={400} weight="semibold">Office 365 tasks</Text>}
      />
      <div className={styles.tasks}>
        <Button
          className={styles.task}
          appearance="subtle"
          icon={<OpenRegular />}
          disabled={action.busy}
          onClick={() => action.run(() => openExternal(M365_ADMIN_URL))}
        >
          Manage in the admin portal
        </Button>
        <Button className={styles.task} appearance="subtle" icon={<PersonSwapRegular />} onClick={() => void openWizard('change-admin')}>
          Change the administrator account
        </Button>
        <Tooltip content="Coming soon: link your own domain (such as contoso.com) to Microsoft 365." relationship="description">
          <Button className={styles.task} appearance="subtle" icon={<GlobeAddRegular />} disabledFocusable>
            Link a domain
          </Button>
        </Tooltip>
        <Button className={styles.task} appearance="subtle" icon={<PlugDisconnectedRegular />} onClick={() => void openWizard('disable')}>
          Disable integration
        </Button>
      </div>
    </Card>
  );
}
