import type { AccountRow, RunOutcome, SyncPreview } from './sync-types';
import { api } from '../../transport/api';
import { reportFor, type ActionReport } from './action-result-bar';
import { accountName } from './account-state';
import { runPerAccount, type AccountFailure } from './run-per-account';

/** The failed lines of a run, by account, from `sync:get-results`. */
async function runFailures(outcome: RunOutcome): Promise<AccountFailure[]> {
  if (!outcome.failed || outcome.runId === undefined) return [];
  const results = await api['sync:get-results'](outcome.runId);
  return results.rows.filter((r) => r.outcome === 'failed').map((r) => ({ name: `${r.name} (${r.upn})`, reason: r.reason }));
}

/** Words for a finished run (sync now, add online accounts), with each failed account and why. */
export async function reportRun(verb: string, outcome: RunOutcome): Promise<ActionReport> {
  if (!outcome.started) return { intent: 'warning', title: `Nothing was ${verb}.`, message: outcome.refused ?? 'The sync service refused to start.', failures: [] };
  const failures = await runFailures(outcome);
  const listed = failures.length > 0 ? failures : Array.from({ length: outcome.failed }, () => ({ name: 'An account', reason: 'See the sync results for details.' }));
  const report = reportFor(verb, outcome.ok + outcome.failed, listed);
  if (outcome.paused) report.message = 'The run paused before finishing; it continues with the next sync.';
  return report;
}

/** Dry run of creating online accounts for the selected users. */
export async function previewAddOnline(rows: AccountRow[]): Promise<SyncPreview | null> {
  const answer = await api['sync:add-online-accounts']({ guids: rows.map((r) => r.objectGuid), dryRun: true });
  return answer.preview ?? null;
}

/** Creates the online accounts for real and reports per account. */
export async function addOnline(rows: AccountRow[]): Promise<ActionReport> {
  const answer = await api['sync:add-online-accounts']({ guids: rows.map((r) => r.objectGuid), dryRun: false });
  if (!answer.outcome) return { intent: 'success', title: 'Online accounts requested.', failures: [] };
  return reportRun('given online accounts', answer.outcome);
}

/** Deactivates each selected account's online account (sign-in blocked, data kept). */
export async function deactivate(rows: AccountRow[]): Promise<ActionReport> {
  const outcome = await runPerAccount(rows, accountName, (r) => api['sync:deactivate-account']({ objectGuid: r.objectGuid }));
  return reportFor('deactivated', rows.length, outcome.failures);
}

/** Removes each selected account's online account. */
export async function remove(rows: AccountRow[]): Promise<ActionReport> {
  const outcome = await runPerAccount(rows, accountName, (r) => api['sync:remove-account']({ objectGuid: r.objectGuid, dryRun: false }));
  return reportFor('removed from Microsoft 365', rows.length, outcome.failures);
}

/** What removing one account would do, in the core's words (shown in the confirmation). */
export async function previewRemove(row: AccountRow): Promise<string> {
  const answer = await api['sync:remove-account']({ objectGuid: row.objectGuid, dryRun: true });
  return answer.message;
}

/** Sets a new password for one account (server and online). */
export async function resetPassword(row: AccountRow, password: string, mustChange: boolean): Promise<ActionReport> {
  const outcome = await runPerAccount([row], accountName, (r) => api['sync:reset-password']({ objectGuid: r.objectGuid, password, mustChange }));
  return reportFor('given a new password', 1, outcome.failures);
}

/** Links one directory user to an existing online account. */
export async function link(row: AccountRow, onlineId: string): Promise<ActionReport> {
  const outcome = await runPerAccount([row], accountName, (r) => api['sync:link-account']({ objectGuid: r.objectGuid, onlineId }));
  return reportFor('linked', 1, outcome.failures);
}
