import {
  Badge,
  makeStyles,
  Table,
  TableBody,
  TableCell,
  TableCellLayout,
  TableHeader,
  TableHeaderCell,
  TableRow,
  TableSelectionCell,
  Text,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import type { AccountRow } from './sync-types';
import { formatLastRun } from '../../lib/health-display';
import { describeAccount } from './account-state';
import type { AccountRows } from './use-account-rows';
import { computeWindow } from './windowing';

/** Every row is this tall, so windowing is plain arithmetic. */
export const ROW_HEIGHT = 48;

const useStyles = makeStyles({
  scroller: {
    height: 'max(320px, calc(100vh - 430px))',
    overflowY: 'auto',
    borderRadius: tokens.borderRadiusLarge,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}` },
  },
  table: { tableLayout: 'fixed', width: '100%' },
  head: { position: 'sticky', top: 0, zIndex: 1, backgroundColor: tokens.colorNeutralBackground1, boxShadow: `0 1px 0 ${tokens.colorNeutralStroke2}` },
  row: { height: `${ROW_HEIGHT}px` },
  cell: { overflow: 'hidden', whiteSpace: 'nowrap', textOverflow: 'ellipsis' },
  muted: { color: tokens.colorNeutralForeground3 },
  reason: { color: tokens.colorPaletteRedForeground1, marginLeft: tokens.spacingHorizontalS, fontSize: tokens.fontSizeBase200 },
  spacer: { border: 'none' },
});

/** Which columns a tab shows. */
export type AccountColumns = 'directory' | 'online';

/** Props: the paged rows, which tab's columns, and the selection (object GUIDs). */
export interface AccountTableProps {
  rows: AccountRows;
  columns: AccountColumns;
  label: string;
  selected: { has(objectGuid: string): boolean };
  /** False before integration: there is nothing to act on, so no checkboxes. */
  selectable: boolean;
  onToggle(row: AccountRow): void;
  onToggleAll(): void;
}

function StateCell({ row }: { row: AccountRow }) {
  const styles = useStyles();
  const d = describeAccount(row);
  return (
    <>
      <Badge appearance="tint" color={d.tone === 'subtle' ? 'informative' : d.tone}>{d.label}</Badge>
      {d.reason ? <span className={styles.reason} title={d.reason}>{d.reason}</span> : null}
    </>
  );
}

const HEADERS: Record<AccountColumns, { label: string; width: string }[]> = {
  directory: [
    { label: 'Name', width: '28%' },
    { label: 'User name', width: '26%' },
    { label: 'Online account', width: '28%' },
    { label: 'Online user name', width: '18%' },
  ],
  online: [
    { label: 'Name', width: '26%' },
    { label: 'Online user name', width: '28%' },
    { label: 'State', width: '24%' },
    { label: 'Password synced', width: '12%' },
    { label: 'Pending', width: '10%' },
  ],
};

function cells(row: AccountRow, columns: AccountColumns, cls: string): ReactNode[] {
  const name = (
    <TableCellLayout truncate description={row.sAMAccountName}>
      {row.displayName || row.sAMAccountName}
    </TableCellLayout>
  );
  if (columns === 'directory') {
    return [name, row.directoryUpn ?? '—', <StateCell row={row} />, row.onlineUpn ?? '—'].map((c, i) => <TableCell key={i} className={cls}>{c}</TableCell>);
  }
  return [name, row.onlineUpn ?? '—', <StateCell row={row} />, formatLastRun(row.passwordSyncedAt), String(row.pending)].map((c, i) => (
    <TableCell key={i} className={cls}>{c}</TableCell>
  ));
}

/**
 * The accounts as a real table (header, aria-rowcount/rowindex for screen readers) that renders only the
 * rows in view: two spacer rows stand in for the rest, and rows are fetched page by page as they scroll in.
 */
export function AccountTable({ rows, columns, label, selected, selectable, onToggle, onToggleAll }: AccountTableProps) {
  const styles = useStyles();
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(600);
  const total = rows.total ?? 0;
  const win = computeWindow(scrollTop, viewport, ROW_HEIGHT, total);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setViewport(el.clientHeight);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // A new search, filter or tab starts at the top rather than deep inside a list that no longer exists.
  useEffect(() => {
    if (rows.total === null && scroller.current) {
      scroller.current.scrollTop = 0;
      setScrollTop(0);
    }
  }, [rows.total]);

  useEffect(() => {
    if (total > 0) rows.ensure(win.start, win.end);
    // rows.version: re-check after each page lands (a refresh may have dropped pages).
  }, [rows, rows.version, win.start, win.end, total]);

  const loaded = rows.loaded();
  const selectedLoaded = loaded.filter((r) => selected.has(r.objectGuid)).length;
  const allState = selectedLoaded === 0 ? false : selectedLoaded === loaded.length ? true : 'mixed';
  const headers = HEADERS[columns];
  const rendered: ReactNode[] = [];
  for (let i = win.start; i < win.end; i++) {
    const row = rows.row(i);
    rendered.push(
      row ? (
        <TableRow key={row.objectGuid} className={styles.row} aria-rowindex={i + 2} aria-selected={selectable ? selected.has(row.objectGuid) : undefined} data-testid="account-row">
          {selectable ? (
            <TableSelectionCell
              checked={selected.has(row.objectGuid)}
              onClick={() => onToggle(row)}
              checkboxIndicator={{ 'aria-label': `Select ${row.displayName || row.sAMAccountName}` }}
            />
          ) : null}
          {cells(row, columns, styles.cell)}
        </TableRow>
      ) : (
        <TableRow key={`loading-${i}`} className={styles.row} aria-rowindex={i + 2}>
          {selectable ? <TableCell /> : null}
          <TableCell className={styles.muted} colSpan={headers.length}>Loading…</TableCell>
        </TableRow>
      ),
    );
  }

  return (
    <div
      ref={scroller}
      className={styles.scroller}
      tabIndex={0}
      role="region"
      aria-label={label}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      data-testid="account-scroller"
    >
      <Table className={styles.table} aria-rowcount={total + 1} aria-label={label} size="medium">
        <TableHeader className={styles.head}>
          <TableRow aria-rowindex={1}>
            {selectable ? (
              <TableSelectionCell
                type="checkbox"
                checked={allState}
                onClick={onToggleAll}
                checkboxIndicator={{ 'aria-label': 'Select all loaded accounts' }}
                style={{ width: '44px' }}
              />
            ) : null}
            {headers.map((h) => (
              <TableHeaderCell key={h.label} style={{ width: h.width }}>{h.label}</TableHeaderCell>
            ))}
          </TableRow>
        </TableHeader>
        <TableBody>
          {win.padTop > 0 ? <tr aria-hidden="true" className={styles.spacer} style={{ height: win.padTop }} /> : null}
          {rendered}
          {win.padBottom > 0 ? <tr aria-hidden="true" className={styles.spacer} style={{ height: win.padBottom }} /> : null}
        </TableBody>
      </Table>
      {rows.total === 0 ? <Text as="p" className={styles.muted} style={{ padding: 16 }}>No accounts match.</Text> : null}
    </div>
  );
}
