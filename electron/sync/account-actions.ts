// What the admin does to one account from the Users page — link, reset the password, deactivate — as engine work: it
// runs under the engine's serialisation, through its ports and store, and says in plain words what happened.
import type { ActionResult, LinkCandidate } from '../../shared/contract';
import { AppError } from '../core/errors';
import { redact } from '../core/redact';
import { accountFailure } from '../core/wording';
import type { EngineConfig } from './engine-config';
import { normalizeUser } from './normalize';
import type { DirectorySource, OnlineAccount, SourceUser, TenantTarget } from './ports';
import type { SyncStore } from './state-store';

/** What the account actions use of the engine. */
export interface AccountActionDeps {
  store: SyncStore;
  directory: DirectorySource;
  tenant: TenantTarget;
  config(): EngineConfig;
}

async function directoryUser(deps: AccountActionDeps, guid: string): Promise<SourceUser | undefined> {
  return deps.store.getDirectoryUser(guid) ?? (await deps.directory.getUser(guid));
}

/** Online accounts that may belong to a directory user: same UPN (mapped or as in the directory), same mail. */
export async function findMatches(deps: AccountActionDeps, objectGuid: string): Promise<LinkCandidate[]> {
  const user = await directoryUser(deps, objectGuid.toLowerCase());
  if (!user) return [];
  const d = normalizeUser(user, deps.config().normalize);
  const found = new Map<string, LinkCandidate>();
  const add = (a: OnlineAccount | undefined, by: 'upn' | 'mail'): void => {
    if (a && !found.has(a.id)) found.set(a.id, { onlineId: a.id, userPrincipalName: a.userPrincipalName, displayName: a.displayName ?? '', matchedBy: by, anchoredElsewhere: Boolean(a.immutableId && a.immutableId !== d.immutableId) });
  };
  add(await deps.tenant.findByUpn(d.userPrincipalName), 'upn');
  if (user.userPrincipalName && user.userPrincipalName.toLowerCase() !== d.userPrincipalName) add(await deps.tenant.findByUpn(user.userPrincipalName), 'upn');
  if (user.mail) add(await deps.tenant.findByMail(user.mail), 'mail');
  return [...found.values()];
}

/** Links a directory user to an existing online account: writes the anchor online, then records the link. */
export async function linkAccount(deps: AccountActionDeps, objectGuid: string, onlineId: string): Promise<ActionResult & { linked?: string }> {
  const guid = objectGuid.toLowerCase();
  const user = await directoryUser(deps, guid);
  if (!user) return { ok: false, message: 'This user is not in the directory (or not in the synced folders).' };
  if (deps.store.getLink(guid)) return { ok: false, message: 'This user already has an online account.' };
  const account = await deps.tenant.getUser(onlineId);
  if (!account) return { ok: false, message: 'That online account no longer exists.' };
  const d = normalizeUser(user, deps.config().normalize);
  if (account.immutableId && account.immutableId !== d.immutableId) return { ok: false, message: `${account.userPrincipalName} already belongs to another directory user.` };
  if ([...deps.store.getLinks().values()].some((l) => l.onlineId === onlineId)) return { ok: false, message: `${account.userPrincipalName} is already linked to another directory user.` };
  try {
    await deps.tenant.updateUser(onlineId, { immutableId: d.immutableId }); // the anchor, so a later match is certain
  } catch (e) {
    return { ok: false, message: `Could not link: ${accountFailure(e, { action: 'link', upn: account.userPrincipalName })}` };
  }
  deps.store.saveLink({ objectGuid: guid, onlineId, userPrincipalName: account.userPrincipalName, displayName: account.displayName ?? d.attributes.displayName, hash: null, enabled: account.accountEnabled });
  deps.store.audit({ objectGuid: guid, action: 'link', outcome: 'ok', detail: `linked to ${account.userPrincipalName}` });
  return { ok: true, message: `${user.displayName ?? user.sAMAccountName} is now linked to ${account.userPrincipalName}. Their details will follow the directory.`, linked: guid };
}

/** Sets the password in the directory (over LDAPS); the caller queues it for the online account. */
export async function resetDirectoryPassword(deps: AccountActionDeps, objectGuid: string, password: string, mustChange: boolean): Promise<ActionResult> {
  const guid = objectGuid.toLowerCase();
  try {
    await deps.directory.resetPassword(guid, password, { mustChange });
  } catch (e) {
    return { ok: false, message: `The directory refused the new password: ${redact(e instanceof AppError ? e.message : 'unknown error')}` };
  }
  deps.store.audit({ objectGuid: guid, action: 'reset-password', outcome: 'ok', detail: 'password reset in the directory' });
  return { ok: true, message: 'The password was changed in the directory.' };
}

/** Disables the user in the directory; the online account follows through the change that causes. */
export async function deactivateInDirectory(deps: AccountActionDeps, objectGuid: string): Promise<void> {
  const guid = objectGuid.toLowerCase();
  await deps.directory.setEnabled(guid, false);
  deps.store.audit({ objectGuid: guid, action: 'deactivate', outcome: 'ok', detail: 'disabled in the directory' });
}
