import { makeStyles, Spinner, tokens } from '@fluentui/react-components';
import { Suspense, useEffect } from 'react';
import { ApiErrorBar } from '../components/api-error-bar';
import { parseRoute, visiblePages } from '../lib/routes';
import { PAGES } from '../pages/page-registry';
import { loadAppInfo, useAppInfo } from '../stores/app-info-store';
import { loadSyncStatus } from '../stores/sync-status-store';
import { useLocationHash } from '../stores/navigation-store';
import { WizardHost } from '../wizards/wizard-host';
import { AppHeader } from './app-header';
import { PAGE_LABELS, TopNav } from './top-nav';

const useStyles = makeStyles({
  root: { minHeight: '100vh', display: 'flex', flexDirection: 'column', backgroundColor: tokens.colorNeutralBackground2 },
  skip: {
    position: 'absolute',
    left: tokens.spacingHorizontalM,
    top: '-100px',
    zIndex: 10,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM}`,
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorBrandForegroundLink,
    borderRadius: tokens.borderRadiusMedium,
    boxShadow: tokens.shadow16,
    ':focus': { top: tokens.spacingVerticalM, outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
  },
  main: {
    flexGrow: 1,
    width: '100%',
    maxWidth: '1200px',
    boxSizing: 'border-box',
    margin: '0 auto',
    padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalXXL}`,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    ':focus': { outline: 'none' },
  },
  loading: { padding: tokens.spacingVerticalXXXL },
});

/** The dashboard frame (skip link, header, navigation, main) around the current page and the wizard dialog. */
export function AppShell() {
  const styles = useStyles();
  const info = useAppInfo();
  const hash = useLocationHash();
  const integrated = info.value?.integrated ?? false;
  const page = parseRoute(hash, integrated);
  const Page = PAGES[page];

  useEffect(() => {
    void loadAppInfo();
    void loadSyncStatus();
  }, []);

  useEffect(() => {
    document.title = `${PAGE_LABELS[page]} – ${info.value?.productName ?? 'OpenEssentials'} Dashboard`;
  }, [page, info.value?.productName]);

  return (
    <div className={styles.root}>
      <a className={styles.skip} href="#main" onClick={(e) => {
        // Keep the hash for routing: move focus to <main> instead of navigating to #main.
        e.preventDefault();
        document.getElementById('main')?.focus();
      }}>
        Skip to main content
      </a>
      <AppHeader />
      <TopNav pages={visiblePages(integrated)} current={page} />
      <main id="main" tabIndex={-1} className={styles.main} aria-label={PAGE_LABELS[page]} data-page={page}>
        {info.status === 'error' ? (
          <ApiErrorBar error={info.error} title="Couldn't reach the OpenEssentials service" onRetry={() => void loadAppInfo()} />
        ) : null}
        {info.status === 'loading' ? (
          <Spinner className={styles.loading} label="Loading the dashboard…" />
        ) : (
          <Suspense fallback={<Spinner className={styles.loading} label={`Loading ${PAGE_LABELS[page]}…`} />}>
            <Page />
          </Suspense>
        )}
      </main>
      <WizardHost />
    </div>
  );
}
