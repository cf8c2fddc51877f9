// Turns a plan into the dry-run view the dashboard shows (names and plain-words details, capped for huge plans).
import type { SyncPlanItem, SyncPreview } from '../../shared/contract';
import { summarizePlan, type Plan } from './plan';
import type { SyncStore } from './state-store';

const MAX_ITEMS = 1_000;

/** Why: the admin must see names, not GUIDs, before anything is created or deleted (GCDS "simulate" is the bar). */
export function toPreview(plan: Plan, token: string, store: SyncStore): SyncPreview {
  const items: SyncPlanItem[] = [];
  const push = (i: SyncPlanItem): void => { if (items.length < MAX_ITEMS) items.push(i); };
  for (const op of plan.ops) {
    switch (op.kind) {
      case 'create':
        push({ objectGuid: op.objectGuid, action: 'create', name: op.account.attributes.displayName, userPrincipalName: op.account.userPrincipalName,
          detail: op.account.upnRewritten ? `new online account; the directory suffix is not a verified domain, so the name becomes ${op.account.userPrincipalName}` : 'new online account' });
        break;
      case 'update':
        push({ objectGuid: op.objectGuid, action: 'update', name: op.account.attributes.displayName, userPrincipalName: op.account.userPrincipalName, detail: op.upnChanged ? `user name changes to ${op.account.userPrincipalName}` : 'details updated (names, title, department, phones, office)' });
        break;
      case 'set-enabled':
        push({ objectGuid: op.objectGuid, action: op.enabled ? 'enable' : 'disable', name: op.displayName, userPrincipalName: store.getLink(op.objectGuid)?.userPrincipalName ?? '', detail: op.enabled ? 'sign-in allowed again' : 'sign-in blocked' });
        break;
      case 'delete':
        push({ objectGuid: op.objectGuid, action: 'delete', name: op.displayName, userPrincipalName: op.userPrincipalName, detail: 'online account deleted (restorable for 30 days)' });
        break;
    }
  }
  for (const d of plan.heldDeletes) push({ objectGuid: d.objectGuid, action: 'hold-delete', name: d.displayName, userPrincipalName: d.userPrincipalName, detail: 'would be deleted: waits for your approval (more deletes than the safety limit)' });
  for (const s of plan.skipped) {
    const u = store.getDirectoryUser(s.objectGuid);
    push({ objectGuid: s.objectGuid, action: 'skip', name: u?.displayName ?? u?.sAMAccountName ?? s.objectGuid, userPrincipalName: u?.userPrincipalName ?? '', detail: s.reason });
  }
  const n = summarizePlan(plan);
  const total = plan.ops.length + plan.heldDeletes.length + plan.skipped.length;
  return { token, counts: { ...n, skipped: plan.skipped.length }, items, truncated: total > items.length };
}
