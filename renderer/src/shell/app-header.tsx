import { makeStyles, Text, tokens } from '@fluentui/react-components';
import { ServerRegular } from '@fluentui/react-icons';
import { useAppInfo } from '../stores/app-info-store';
import { StatusArea } from './status-area';

const useStyles = makeStyles({
  header: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: tokens.spacingHorizontalL,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalXXL}`,
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
    flexWrap: 'wrap',
    // Invisible normally; Windows High Contrast paints it, so the header stays a distinct band.
    borderBottom: `${tokens.strokeWidthThin} solid transparent`,
  },
  brand: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, minWidth: 0 },
  logo: {
    width: '40px',
    height: '40px',
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    fontSize: '26px',
    borderRadius: tokens.borderRadiusLarge,
    backgroundColor: tokens.colorBrandBackgroundPressed,
  },
  titles: { display: 'flex', flexDirection: 'column', lineHeight: 1.2 },
  server: { opacity: 0.9 },
});

/** The top band: product name, which server this dashboard manages, and the live sync status. */
export function AppHeader() {
  const styles = useStyles();
  const info = useAppInfo();
  return (
    <header className={styles.header}>
      <div className={styles.brand}>
        <span className={styles.logo} aria-hidden="true">
          <ServerRegular />
        </span>
        <div className={styles.titles}>
          <Text size={500} weight="semibold">
            {info.value?.productName ?? 'OpenEssentials'} Dashboard
          </Text>
          <Text size={200} className={styles.server} data-testid="server-name">
            {info.value ? `Server: ${info.value.serverName}` : info.status === 'loading' ? 'Connecting to the server…' : 'Server unavailable'}
          </Text>
        </div>
      </div>
      <StatusArea />
    </header>
  );
}
