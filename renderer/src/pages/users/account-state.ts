import type { AccountRow } from './sync-types';

/** The four online-account states the Users page distinguishes. */
export type OnlineState = 'linked' | 'not-linked' | 'disabled' | 'error';

/** How one account's online state reads: a label, a Fluent badge colour and, for problems, the reason. */
export interface AccountStateDisplay {
  state: OnlineState;
  label: string;
  tone: 'success' | 'subtle' | 'warning' | 'danger';
  reason: string | null;
}

/**
 * Derives the state from the sync engine's row. An issue wins (the admin must see why), then a disabled
 * directory account (its online account is deactivated), then linked / not linked.
 */
export function describeAccount(row: Pick<AccountRow, 'onlineId' | 'enabled' | 'issue' | 'deleteHold'>): AccountStateDisplay {
  if (row.issue) return { state: 'error', label: 'Error', tone: 'danger', reason: row.issue };
  if (row.deleteHold) return { state: 'error', label: 'Removal waiting', tone: 'warning', reason: 'The online account will be removed once you approve the pending deletes.' };
  if (!row.enabled) return { state: 'disabled', label: row.onlineId ? 'Deactivated' : 'Disabled', tone: 'warning', reason: null };
  if (row.onlineId) return { state: 'linked', label: 'Linked', tone: 'success', reason: null };
  return { state: 'not-linked', label: 'Not linked', tone: 'subtle', reason: null };
}

/** The user name an admin recognises: the directory UPN, else DOMAIN-less sAMAccountName. */
export function accountName(row: Pick<AccountRow, 'displayName' | 'sAMAccountName' | 'directoryUpn'>): string {
  return `${row.displayName || row.sAMAccountName} (${row.directoryUpn ?? row.sAMAccountName})`;
}
