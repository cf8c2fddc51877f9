import { Button, makeStyles, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, SearchBox, Select, Tab, TabList, Text, tokens } from '@fluentui/react-components';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiErrorBar } from '../../components/api-error-bar';
import { toApiError } from '../../stores/remote-value';
import { AccountTable } from './account-table';
import { ActionResultBar } from './action-result-bar';
import { useAccountRows, type AccountFilter } from './use-account-rows';
import { keepHeldAccounts, useUserActions } from './use-user-actions';
import { SyncStatusBar } from './sync-status-bar';
import type { AccountRow } from './sync-types';
import { UsersToolbar } from './users-toolbar';
import { loadSyncStatus, useSyncProgress, useSyncStatus } from '../../stores/sync-status-store';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  controls: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'center', flexWrap: 'wrap' },
  search: { minWidth: '280px', flexGrow: 1, maxWidth: '420px' },
  count: { color: tokens.colorNeutralForeground2, marginLeft: 'auto' },
});

type TabId = 'users' | 'online';

/** Debounces the search box so typing doesn't fire a server query per key. */
function useDebounced(value: string, ms = 250): string {
  const [out, setOut] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setOut(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return out;
}

/** Props: whether Microsoft 365 is integrated (actions and online tab need it). */
export interface UsersViewProps {
  integrated: boolean;
  /** Called with whether the list answered, so the page can hide it before integration if it can't. */
  onAvailability?(available: boolean): void;
}

/**
 * The Users and Online accounts tabs: live sync status, search, a windowed multi-select list paged from the
 * server, and the account actions with per-account results.
 */
export function UsersView({ integrated, onAvailability }: UsersViewProps) {
  const styles = useStyles();
  const [tab, setTab] = useState<TabId>('users');
  const [userFilter, setUserFilter] = useState<AccountFilter>('all');
  const [searchText, setSearchText] = useState('');
  const search = useDebounced(searchText);
  const filter: AccountFilter = tab === 'online' ? 'online' : userFilter;
  const rows = useAccountRows(filter, search);
  const syncStatus = useSyncStatus();
  const progress = useSyncProgress();
  const [selected, setSelected] = useState<Map<string, AccountRow>>(new Map());
  const [keepError, setKeepError] = useState<string | null>(null);
  const { refresh } = rows;
  const onDone = useCallback(() => {
    setSelected(new Map());
    refresh();
    void loadSyncStatus();
  }, [refresh]);
  const actions = useUserActions(onDone);
  const status = syncStatus.value;

  useEffect(() => {
    if (rows.total !== null) onAvailability?.(rows.total > 0);
    else if (rows.error) onAvailability?.(false);
  }, [rows.total, rows.error, onAvailability]);

  // The list follows the engine: when a run finishes or the pending count changes, refetch what is on screen.
  const runKey = status ? `${status.lastRunId}-${status.state}-${status.pending}` : '';
  const lastRunKey = useRef(runKey);
  useEffect(() => {
    if (lastRunKey.current && runKey !== lastRunKey.current) refresh();
    lastRunKey.current = runKey;
  }, [runKey, refresh]);

  const toggle = (row: AccountRow) =>
    setSelected((s) => {
      const next = new Map(s);
      if (next.has(row.objectGuid)) next.delete(row.objectGuid);
      else next.set(row.objectGuid, row);
      return next;
    });
  const toggleAll = () =>
    setSelected((s) => {
      const loaded = rows.loaded();
      const all = loaded.length > 0 && loaded.every((r) => s.has(r.objectGuid));
      return all ? new Map() : new Map(loaded.map((r) => [r.objectGuid, r]));
    });
  const selectedRows = [...selected.values()];
  const label = tab === 'online' ? 'Online accounts' : 'Users';

  return (
    <div className={styles.root}>
      {integrated && status ? (
        <SyncStatusBar status={status} progress={progress} busy={actions.busy} onSyncNow={() => actions.start('sync', [], status)} />
      ) : null}
      {integrated && syncStatus.status === 'error' ? <ApiErrorBar error={syncStatus.error} title="Couldn’t read the sync status" onRetry={() => void loadSyncStatus()} /> : null}
      {integrated && status && status.pendingDeletes.length > 0 ? (
        <MessageBar intent="warning" layout="multiline" data-testid="pending-deletes">
          <MessageBarBody>
            <MessageBarTitle>{status.pendingDeletes.length} online account{status.pendingDeletes.length === 1 ? ' is' : 's are'} waiting to be removed</MessageBarTitle>
            Nothing is removed until you approve. {keepError ? `Couldn’t keep them: ${keepError}` : ''}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => actions.start('deletes', [], status)}>Review</Button>
            <Button onClick={() => keepHeldAccounts(status.pendingDeletes.map((p) => p.objectGuid)).then(onDone, (e: unknown) => setKeepError(toApiError(e).message))}>Keep accounts</Button>
          </MessageBarActions>
        </MessageBar>
      ) : null}
      {integrated ? (
        <TabList selectedValue={tab} onTabSelect={(_e, d) => { setTab(d.value as TabId); setSelected(new Map()); }} aria-label="User lists">
          <Tab value="users" id="users-tab-users">Users</Tab>
          <Tab value="online" id="users-tab-online">Online accounts</Tab>
        </TabList>
      ) : null}
      <div role={integrated ? 'tabpanel' : undefined} aria-labelledby={integrated ? `users-tab-${tab}` : undefined} className={styles.root}>
        <div className={styles.controls}>
          <SearchBox className={styles.search} placeholder="Search by name or user name" aria-label={`Search ${label.toLowerCase()}`} value={searchText} onChange={(_e, d) => setSearchText(d.value)} />
          {tab === 'users' ? (
            <Select aria-label="Show" value={userFilter} onChange={(_e, d) => setUserFilter(d.value as AccountFilter)}>
              <option value="all">All users</option>
              <option value="not-online">Without an online account</option>
              <option value="online">With an online account</option>
              <option value="issues">With problems</option>
            </Select>
          ) : null}
          <Text className={styles.count} aria-live="polite" data-testid="account-count">
            {rows.total === null ? '' : `${rows.total.toLocaleString()} account${rows.total === 1 ? '' : 's'}${selected.size ? ` · ${selected.size} selected` : ''}`}
          </Text>
        </div>
        {integrated ? <UsersToolbar selected={selectedRows} busy={actions.busy} onAction={(kind, targets) => actions.start(kind, targets, status)} /> : null}
        {actions.report ? <ActionResultBar report={actions.report} onDismiss={actions.dismiss} /> : null}
        {rows.error ? <ApiErrorBar error={rows.error} title="Couldn’t list the accounts" onRetry={rows.refresh} /> : null}
        <AccountTable rows={rows} columns={tab === 'online' ? 'online' : 'directory'} label={label} selected={selected} selectable={integrated} onToggle={toggle} onToggleAll={toggleAll} />
      </div>
      {actions.dialog}
    </div>
  );
}
