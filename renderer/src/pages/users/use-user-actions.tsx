import { Text } from '@fluentui/react-components';
import { useCallback, useState, type ReactNode } from 'react';
import { toApiError } from '../../stores/remote-value';
import { api } from '../../transport/api';
import type { ActionReport } from './action-result-bar';
import * as ops from './account-operations';
import { accountName } from './account-state';
import { ConfirmDialog, namesSummary } from './confirm-dialog';
import { LinkDialog } from './link-dialog';
import { PreviewSummary } from './preview-summary';
import { ResetPasswordDialog } from './reset-password-dialog';
import type { AccountRow, SyncPreview, SyncStatus } from './sync-types';

/** The account actions the toolbar offers. */
export type UserActionKind = 'add' | 'link' | 'reset' | 'deactivate' | 'remove' | 'sync' | 'deletes';

type Open =
  | { kind: 'add'; rows: AccountRow[]; preview: SyncPreview | null }
  | { kind: 'link' | 'reset'; row: AccountRow }
  | { kind: 'deactivate'; rows: AccountRow[] }
  | { kind: 'remove'; rows: AccountRow[]; detail: string | null }
  | { kind: 'sync'; preview: SyncPreview }
  | { kind: 'deletes'; pending: SyncStatus['pendingDeletes'] };

/** The open dialog, the last outcome, and how to start an action. */
export interface UserActions {
  busy: boolean;
  report: ActionReport | null;
  dialog: ReactNode;
  start(kind: UserActionKind, rows: AccountRow[], status: SyncStatus | null): void;
  dismiss(): void;
}

/**
 * Every account action as: optional dry run → confirmation dialog → call → a report naming each account
 * that failed and why. `onDone` refreshes the list and status afterwards.
 */
export function useUserActions(onDone: () => void): UserActions {
  const [open, setOpen] = useState<Open | null>(null);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ActionReport | null>(null);

  const perform = useCallback(
    (title: string, work: () => Promise<ActionReport | Open>) => {
      setBusy(true);
      setReport(null);
      work()
        .then((next) => {
          if ('intent' in next) {
            setOpen(null);
            setReport(next);
            onDone();
          } else setOpen(next);
        })
        .catch((e: unknown) => {
          setOpen(null);
          setReport({ intent: 'error', title, message: toApiError(e).message, failures: [] });
        })
        .finally(() => setBusy(false));
    },
    [onDone],
  );

  const start = useCallback(
    (kind: UserActionKind, rows: AccountRow[], status: SyncStatus | null) => {
      const names = rows.map(accountName);
      switch (kind) {
        case 'add':
          return perform(`Couldn’t prepare online accounts for ${namesSummary(names, 3)}`, async () => ({ kind, rows, preview: await ops.previewAddOnline(rows) }));
        case 'link':
        case 'reset':
          if (rows[0]) setOpen({ kind, row: rows[0] });
          return;
        case 'deactivate':
          return setOpen({ kind, rows });
        case 'remove':
          if (rows.length !== 1) return setOpen({ kind, rows, detail: null });
          return perform(`Couldn’t check what removing ${names[0]} would do`, async () => ({ kind, rows, detail: await ops.previewRemove(rows[0] as AccountRow) }));
        case 'sync':
          if (status?.firstRunDone) return perform('Sync now didn’t start', async () => ops.reportRun('synced', await api['sync:run-now']({})));
          return perform('Couldn’t preview the first sync', async () => ({ kind, preview: await api['sync:preview']() }));
        case 'deletes':
          return setOpen({ kind, pending: status?.pendingDeletes ?? [] });
      }
    },
    [perform],
  );

  const cancel = () => setOpen(null);
  let dialog: ReactNode = null;
  if (open?.kind === 'add') {
    dialog = (
      <ConfirmDialog title="Add online accounts" confirmLabel="Create online accounts" busy={busy} onCancel={cancel}
        onConfirm={() => perform('Couldn’t create the online accounts', () => ops.addOnline(open.rows))}>
        <Text>For: {namesSummary(open.rows.map(accountName))}. Each gets a Microsoft 365 account with the same password as on this server.</Text>
        {open.preview ? <PreviewSummary preview={open.preview} /> : null}
      </ConfirmDialog>
    );
  } else if (open?.kind === 'link') {
    dialog = <LinkDialog row={open.row} busy={busy} onCancel={cancel} onLink={(id) => perform(`Couldn’t link ${accountName(open.row)}`, () => ops.link(open.row, id))} />;
  } else if (open?.kind === 'reset') {
    dialog = (
      <ResetPasswordDialog row={open.row} busy={busy} onCancel={cancel}
        onReset={(pw, must) => perform(`Couldn’t reset the password of ${accountName(open.row)}`, () => ops.resetPassword(open.row, pw, must))} />
    );
  } else if (open?.kind === 'deactivate') {
    dialog = (
      <ConfirmDialog title="Deactivate online accounts" confirmLabel="Deactivate" busy={busy} onCancel={cancel}
        onConfirm={() => perform('Couldn’t deactivate the accounts', () => ops.deactivate(open.rows))}>
        <Text>Sign-in to Microsoft 365 is blocked for {namesSummary(open.rows.map(accountName))}. Their mail and files are kept.</Text>
      </ConfirmDialog>
    );
  } else if (open?.kind === 'remove') {
    dialog = (
      <ConfirmDialog title="Remove online accounts" confirmLabel="Remove" busy={busy} onCancel={cancel}
        onConfirm={() => perform('Couldn’t remove the accounts', () => ops.remove(open.rows))}>
        <Text>The Microsoft 365 accounts of {namesSummary(open.rows.map(accountName))} are removed and their licenses freed. Microsoft keeps deleted accounts restorable for 30 days. The server accounts stay.</Text>
        {open.detail ? <Text weight="semibold">{open.detail}</Text> : null}
      </ConfirmDialog>
    );
  } else if (open?.kind === 'sync') {
    dialog = (
      <ConfirmDialog title="Preview of the first sync" confirmLabel="Sync now" busy={busy} onCancel={cancel}
        onConfirm={() => perform('Sync now didn’t start', async () => ops.reportRun('synced', await api['sync:run-now']({ previewToken: open.preview.token })))}>
        <Text>Nothing has changed yet. This is what the first sync will do:</Text>
        <PreviewSummary preview={open.preview} />
      </ConfirmDialog>
    );
  } else if (open?.kind === 'deletes') {
    const guids = open.pending.map((p) => p.objectGuid);
    dialog = (
      <ConfirmDialog title="Removals waiting for approval" confirmLabel="Remove accounts" busy={busy} onCancel={cancel}
        onConfirm={() => perform('Couldn’t approve the removals', async () => ops.reportRun('removed', await api['sync:approve-deletes'](guids)))}>
        <Text>These users were removed or moved out of scope on the server. Their online accounts are kept until you approve:</Text>
        <Text>{namesSummary(open.pending.map((p) => `${p.displayName} (${p.userPrincipalName})`), 20)}</Text>
        <Text size={200}>To keep them instead, close this and choose “Keep accounts”.</Text>
      </ConfirmDialog>
    );
  }
  return { busy, report, dialog, start, dismiss: () => setReport(null) };
}

/** Keeps the online accounts the engine held back (these, by id) instead of removing them. */
export async function keepHeldAccounts(guids: string[]): Promise<void> {
  await api['sync:reject-deletes'](guids);
}
