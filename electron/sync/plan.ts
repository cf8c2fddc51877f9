// normalize → PLAN: a pure function from (desired accounts, links) to the operations to apply. The dry run shows
// exactly this plan; the engine applies exactly this plan. No I/O here, so every rule is unit-tested.
import type { DesiredAccount } from './normalize';

/** What the store remembers about a directory object that has an online account. */
export interface LinkState {
  objectGuid: string;
  onlineId: string;
  userPrincipalName: string;
  displayName: string;
  /** Hash of the last attributes pushed; null for a freshly linked account (forces one update). */
  hash: string | null;
  enabled: boolean;
  /** The admin rejected deleting this account: keep it until it reappears or is removed by hand. */
  deleteHold: boolean;
}

/** One operation the engine will apply; `key` is the idempotency key used by the outbox. */
export type PlanOp =
  | { kind: 'create'; key: string; objectGuid: string; account: DesiredAccount; skuId?: string }
  | { kind: 'update'; key: string; objectGuid: string; onlineId: string; account: DesiredAccount; upnChanged: boolean }
  | { kind: 'set-enabled'; key: string; objectGuid: string; onlineId: string; enabled: boolean; displayName: string }
  | { kind: 'delete'; key: string; objectGuid: string; onlineId: string; displayName: string; userPrincipalName: string };

/** A delete waiting for the admin, with the names shown in the prompt. */
export interface DeleteCandidate { objectGuid: string; onlineId: string; displayName: string; userPrincipalName: string }

/** Inputs besides the data: what kind of run and what the admin asked for. */
export interface PlanOptions {
  /** 'full': every linked object not in `desired` is gone from the directory. 'objects': only `deleted` are gone. */
  mode: 'full' | 'objects';
  /** Directory objects the feed reported deleted (mode 'objects'). */
  deleted?: readonly string[];
  /** Users the admin chose to give an online account. */
  createFor?: readonly string[];
  skuId?: string;
  deleteThreshold: number;
  /** Deletes the admin has approved (bypass the guard). */
  approvedDeletes?: readonly string[];
  /** Deletes still waiting for the admin's decision: held whatever the threshold says. */
  alwaysHold?: readonly string[];
}

/** The plan and what it withheld; `heldDeletes` non-empty means the run pauses for the admin. */
export interface Plan {
  ops: PlanOp[];
  heldDeletes: DeleteCandidate[];
  skipped: Array<{ objectGuid: string; reason: string }>;
}

/** Why pure: the dry run, the guard and the apply must all see the same decisions (Bitwarden/GCDS "simulate"). */
export function planSync(desired: ReadonlyMap<string, DesiredAccount>, links: ReadonlyMap<string, LinkState>, opts: PlanOptions): Plan {
  const ops: PlanOp[] = [];
  const skipped: Plan['skipped'] = [];
  const upnsTaken = new Map<string, string>();
  for (const l of links.values()) upnsTaken.set(l.userPrincipalName.toLowerCase(), l.objectGuid);

  for (const guid of new Set((opts.createFor ?? []).map((g) => g.toLowerCase()))) {
    const account = desired.get(guid);
    if (links.has(guid)) { skipped.push({ objectGuid: guid, reason: 'already has an online account' }); continue; }
    if (!account) { skipped.push({ objectGuid: guid, reason: 'is not in the directory (or not in the synced folders)' }); continue; }
    const owner = upnsTaken.get(account.userPrincipalName.toLowerCase());
    if (owner && owner !== guid) { skipped.push({ objectGuid: guid, reason: `the name ${account.userPrincipalName} is already used by another synced user` }); continue; }
    upnsTaken.set(account.userPrincipalName.toLowerCase(), guid);
    ops.push({ kind: 'create', key: `create:${guid}`, objectGuid: guid, account, ...(opts.skuId ? { skuId: opts.skuId } : {}) });
  }

  for (const [guid, link] of links) {
    const account = desired.get(guid);
    if (!account) continue;
    if (link.hash !== account.hash) {
      const upnChanged = link.userPrincipalName.toLowerCase() !== account.userPrincipalName.toLowerCase();
      ops.push({ kind: 'update', key: `update:${guid}:${account.hash.slice(0, 16)}`, objectGuid: guid, onlineId: link.onlineId, account, upnChanged });
    }
    if (link.enabled !== account.enabled) {
      ops.push({ kind: 'set-enabled', key: `enabled:${guid}:${account.enabled}`, objectGuid: guid, onlineId: link.onlineId, enabled: account.enabled, displayName: account.attributes.displayName });
    }
  }

  const gone = opts.mode === 'full' ? [...links.keys()].filter((g) => !desired.has(g)) : (opts.deleted ?? []).map((g) => g.toLowerCase()).filter((g) => links.has(g) && !desired.has(g));
  const approved = new Set(opts.approvedDeletes ?? []);
  const candidates: DeleteCandidate[] = [];
  for (const guid of gone) {
    const l = links.get(guid)!;
    if (l.deleteHold && !approved.has(guid)) continue;
    candidates.push({ objectGuid: guid, onlineId: l.onlineId, displayName: l.displayName, userPrincipalName: l.userPrincipalName });
  }
  const unapproved = candidates.filter((c) => !approved.has(c.objectGuid));
  // The accidental-delete guard: more unapproved deletes than the threshold → none of them run; the admin decides.
  const forced = new Set(opts.alwaysHold ?? []);
  const hold = unapproved.length > opts.deleteThreshold;
  const heldDeletes = unapproved.filter((c) => hold || forced.has(c.objectGuid));
  for (const c of candidates) {
    if (!approved.has(c.objectGuid) && (hold || forced.has(c.objectGuid))) continue;
    ops.push({ kind: 'delete', key: `delete:${c.objectGuid}`, ...c });
  }
  return { ops, heldDeletes, skipped };
}

/** Counts by kind, for the preview's summary line. */
export function summarizePlan(plan: Plan): { creates: number; updates: number; enables: number; disables: number; deletes: number; heldDeletes: number } {
  const n = { creates: 0, updates: 0, enables: 0, disables: 0, deletes: 0, heldDeletes: plan.heldDeletes.length };
  for (const op of plan.ops) {
    if (op.kind === 'create') n.creates++;
    else if (op.kind === 'update') n.updates++;
    else if (op.kind === 'delete') n.deletes++;
    else if (op.enabled) n.enables++;
    else n.disables++;
  }
  return n;
}
