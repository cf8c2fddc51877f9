import { makeStyles, Tab, TabList, tokens } from '@fluentui/react-components';
import {
  bundleIcon,
  CloudFilled,
  CloudRegular,
  HomeFilled,
  HomeRegular,
  PeopleFilled,
  PeopleRegular,
  StorageFilled,
  StorageRegular,
} from '@fluentui/react-icons';
import type { PageId } from '../lib/routes';
import { navigate } from '../stores/navigation-store';

const ICONS = {
  home: bundleIcon(HomeFilled, HomeRegular),
  users: bundleIcon(PeopleFilled, PeopleRegular),
  storage: bundleIcon(StorageFilled, StorageRegular),
  'office-365': bundleIcon(CloudFilled, CloudRegular),
} satisfies Record<PageId, unknown>;

/** Navigation labels, as the Essentials dashboard names them. */
export const PAGE_LABELS: Record<PageId, string> = {
  home: 'Home',
  users: 'Users',
  storage: 'Storage',
  'office-365': 'Office 365',
};

const useStyles = makeStyles({
  nav: {
    padding: `0 ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    boxShadow: tokens.shadow2,
  },
});

/** Top navigation as a Fluent TabList: Tab reaches the selected page, arrow keys move, Enter/Space switch. */
export function TopNav({ pages, current }: { pages: PageId[]; current: PageId }) {
  const styles = useStyles();
  return (
    <nav className={styles.nav} aria-label="Dashboard">
      <TabList selectedValue={current} size="large" onTabSelect={(_e, data) => navigate(data.value as PageId)}>
        {pages.map((id) => {
          const Icon = ICONS[id];
          return (
            <Tab key={id} value={id} icon={<Icon />} data-testid={`nav-${id}`}>
              {PAGE_LABELS[id]}
            </Tab>
          );
        })}
      </TabList>
    </nav>
  );
}
