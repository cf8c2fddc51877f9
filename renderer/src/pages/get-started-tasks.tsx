import { Badge, Button, makeStyles, Text, tokens } from '@fluentui/react-components';
import { ArrowRightRegular, CheckmarkCircleFilled, CloudLinkRegular, FolderRegular, OpenRegular, PersonAddRegular, QuestionCircleRegular } from '@fluentui/react-icons';
import type { ReactNode } from 'react';
import { M365_HELP_URL } from '../lib/links';
import { openExternal } from '../lib/open-external';
import type { ActionState } from '../lib/use-action';
import { navigate } from '../stores/navigation-store';
import { openWizard } from '../wizards/core-wizard-store';

const useStyles = makeStyles({
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column' },
  item: {
    display: 'grid',
    gridTemplateColumns: '40px minmax(0, 1fr) auto',
    alignItems: 'center',
    gap: tokens.spacingHorizontalL,
    padding: `${tokens.spacingVerticalM} 0`,
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    ':first-child': { borderTop: 'none' },
  },
  icon: {
    width: '40px',
    height: '40px',
    borderRadius: tokens.borderRadiusCircular,
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    fontSize: '20px',
    backgroundColor: tokens.colorBrandBackground2,
    color: tokens.colorBrandForeground2,
    border: `${tokens.strokeWidthThin} solid transparent`,
  },
  text: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  title: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  detail: { color: tokens.colorNeutralForeground2 },
});

interface Task {
  id: string;
  icon: ReactNode;
  title: string;
  detail: string;
  done?: boolean;
  action: ReactNode;
}

/** The Home page's "Get started" list: each task says why, and one button does it. */
export function GetStartedTasks({ integrated, action }: { integrated: boolean; action: ActionState }) {
  const styles = useStyles();
  const tasks: Task[] = [
    {
      id: 'integrate',
      icon: <CloudLinkRegular />,
      title: 'Integrate with Microsoft 365',
      detail: integrated
        ? 'This server is connected to Microsoft 365. Manage the subscription from the Office 365 page.'
        : 'Connect the server to your Microsoft 365 subscription so accounts and passwords stay in sync.',
      done: integrated,
      action: integrated ? (
        <Button icon={<ArrowRightRegular />} iconPosition="after" onClick={() => navigate('office-365')}>
          Open Office 365
        </Button>
      ) : (
        <Button appearance="primary" onClick={() => void openWizard('integrate')}>
          Integrate with Microsoft 365
        </Button>
      ),
    },
    {
      id: 'users',
      icon: <PersonAddRegular />,
      title: 'Add user accounts',
      detail: 'Give each person a user account to sign in to the network and, once integrated, to Microsoft 365.',
      action: (
        <Button icon={<ArrowRightRegular />} iconPosition="after" onClick={() => navigate('users')}>
          Go to Users
        </Button>
      ),
    },
    {
      id: 'storage',
      icon: <FolderRegular />,
      title: 'Review server storage',
      detail: 'See the server folders and drives where your business keeps its files.',
      action: (
        <Button icon={<ArrowRightRegular />} iconPosition="after" onClick={() => navigate('storage')}>
          Go to Storage
        </Button>
      ),
    },
    {
      id: 'help',
      icon: <QuestionCircleRegular />,
      title: 'Learn about Microsoft 365 administration',
      detail: 'Microsoft’s guides for small business admins open in your browser.',
      action: (
        <Button icon={<OpenRegular />} iconPosition="after" disabled={action.busy} onClick={() => action.run(() => openExternal(M365_HELP_URL))}>
          Open help
        </Button>
      ),
    },
  ];
  return (
    <ul className={styles.list}>
      {tasks.map((t) => (
        <li key={t.id} className={styles.item} data-testid={`task-${t.id}`}>
          <span className={styles.icon} aria-hidden="true">
            {t.icon}
          </span>
          <div className={styles.text}>
            <span className={styles.title}>
              <Text as="h3" weight="semibold" size={400}>
                {t.title}
              </Text>
              {t.done ? (
                <Badge appearance="tint" color="success" icon={<CheckmarkCircleFilled />}>
                  Done
                </Badge>
              ) : null}
            </span>
            <Text className={styles.detail}>{t.detail}</Text>
          </div>
          {t.action}
        </li>
      ))}
    </ul>
  );
}
