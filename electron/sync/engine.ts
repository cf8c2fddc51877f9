// The sync engine: read → normalize → plan → (dry run | enqueue → apply) → commit cursor. One engine behind the
// desktop app, the web dashboard and the headless service; all state in the SyncStore, all effects through ports.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { ActionResult, LinkCandidate } from '../../shared/contract';
import { deactivateInDirectory, findMatches, linkAccount, resetDirectoryPassword } from './account-actions';
import { OutboxApplier, type DrainReport, type OutboxPayload } from './apply';
import type { EngineConfig } from './engine-config';
import { normalizeUser, type DesiredAccount } from './normalize';
import { planSync, type Plan, type PlanOp } from './plan';
import type { PasswordVault } from './password-vault';
import type { DirectorySource, SourceChange, SourceUser, TenantTarget } from './ports';
import { writeResultsFile } from './results';
import { FIRST_RUN_KEY, type SyncStore } from './state-store';

/** Everything the engine is built from; `now`/`sleep` injectable for tests. */
export interface EngineDeps {
  store: SyncStore;
  directory: DirectorySource;
  tenant: TenantTarget;
  vault: PasswordVault;
  config: () => EngineConfig;
  resultsDir: string;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  concurrency?: number;
  onProgress?: (p: { runId: number | null; done: number; failed: number; pending: number }) => void;
}

/** Set when the change feed saw linked users disappear; cleared by the full reconcile that handles them. */
export const DELETES_PENDING_KEY = 'feed-deletes-pending';

/** What a finished run reports to the caller and the UI. */
export interface RunReport { runId: number; plan: Plan; drained: DrainReport; paused: boolean; resultsFile: string | null }

/** Fingerprint of a plan: the dry run the admin saw must be the run that happens. */
export function planToken(plan: Plan): string {
  const parts = [...plan.ops.map((o) => o.key), ...plan.heldDeletes.map((d) => `held:${d.objectGuid}`)].sort();
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32);
}

/** Why a class: it serialises runs (one at a time) and owns the applier's lifetime. */
export class SyncEngine {
  readonly applier: OutboxApplier;
  private chain: Promise<unknown> = Promise.resolve();
  private done = 0;
  private failed = 0;

  constructor(private readonly deps: EngineDeps) {
    this.applier = new OutboxApplier({
      store: deps.store, tenant: deps.tenant, vault: deps.vault, concurrency: deps.concurrency, sleep: deps.sleep, now: deps.now,
      onApplied: (row, outcome) => {
        if (outcome === 'ok') this.done++; else this.failed++;
        deps.onProgress?.({ runId: row.runId, done: this.done, failed: this.failed, pending: deps.store.outboxCount() });
      },
    });
  }

  get store(): SyncStore { return this.deps.store; }

  /** Runs `fn` after every earlier run finished: never two plans applying at once. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Has the admin approved a first full run (after its dry run)? Background sync waits for it. */
  firstRunDone(): boolean {
    return this.deps.store.getKv(FIRST_RUN_KEY) !== undefined;
  }

  /** READ + NORMALIZE: a complete directory read, cached for the accounts page; returns desired accounts by GUID. */
  async readAll(): Promise<Map<string, DesiredAccount>> {
    const seenAt = new Date().toISOString();
    const opts = this.deps.config().normalize;
    const desired = new Map<string, DesiredAccount>();
    for await (const page of this.deps.directory.listUsers()) {
      this.deps.store.upsertDirectoryUsers(page, seenAt);
      for (const u of page) desired.set(u.objectGuid.toLowerCase(), normalizeUser(u, opts));
    }
    this.deps.store.pruneDirectoryUsers(seenAt);
    return desired;
  }

  /** Refreshes the cached directory (the Users page lists it before any sync has run). */
  refreshDirectory(): Promise<number> {
    return this.serial(async () => (await this.readAll()).size);
  }

  private planFull(desired: Map<string, DesiredAccount>, approvedDeletes?: readonly string[]): Plan {
    const cfg = this.deps.config();
    // Deletes already put to the admin stay held until approved or rejected, even if the count dropped below the threshold.
    const alwaysHold = this.deps.store.listPendingDeletes().map((d) => d.objectGuid);
    return planSync(desired, this.deps.store.getLinks(), { mode: 'full', deleteThreshold: cfg.deleteThreshold, alwaysHold, ...(approvedDeletes ? { approvedDeletes } : {}) });
  }

  /** A kept ("don't delete") account whose user is back in the directory is an ordinary synced account again. */
  private releaseHolds(desired: ReadonlyMap<string, DesiredAccount>): void {
    const back = this.deps.store.heldLinks().filter((g) => desired.has(g));
    if (back.length) this.deps.store.setDeleteHold(back, false);
  }

  /** DRY RUN of a full reconcile: nothing applied, no cursor saved; the token lets the first run prove it is this plan. */
  preview(): Promise<{ plan: Plan; token: string }> {
    return this.serial(async () => {
      const plan = this.planFull(await this.readAll());
      return { plan, token: planToken(plan) };
    });
  }

  /** DRY RUN of "add online accounts" for chosen users. */
  previewCreate(guids: readonly string[]): Promise<Plan> {
    return this.serial(async () => this.planCreate(await this.readAll(), guids));
  }

  private planCreate(desired: Map<string, DesiredAccount>, guids: readonly string[]): Plan {
    const cfg = this.deps.config();
    return planSync(desired, this.deps.store.getLinks(), { mode: 'objects', createFor: guids, deleteThreshold: cfg.deleteThreshold, ...(cfg.skuId ? { skuId: cfg.skuId } : {}) });
  }

  /**
   * A full reconcile ("Sync now" or the periodic one). The first ever run needs the token of a preview whose plan
   * is unchanged; deletes over the threshold are held for the admin (state 'paused') and everything else proceeds.
   */
  runFull(opts: { previewToken?: string; approvedDeletes?: readonly string[]; kind?: string } = {}): Promise<RunReport | { refused: string }> {
    return this.serial(async () => {
      const desired = await this.readAll();
      this.releaseHolds(desired);
      const plan = this.planFull(desired, opts.approvedDeletes);
      if (!this.firstRunDone()) {
        if (!opts.previewToken) return { refused: 'Preview the first sync before running it.' };
        if (opts.previewToken !== planToken(plan)) return { refused: 'The directory changed since the preview. Preview again, then run.' };
      }
      const report = await this.applyPlan(opts.kind ?? 'full', plan);
      if (!this.firstRunDone()) this.deps.store.setKv(FIRST_RUN_KEY, new Date().toISOString());
      return report;
    });
  }

  /** Creates online accounts for chosen users (bulk): results per account, CSV file. */
  addOnlineAccounts(guids: readonly string[]): Promise<RunReport> {
    return this.serial(async () => this.applyPlan('create', this.planCreate(await this.readAll(), guids)));
  }

  /** Per-object push from the change feed; resolves once applied, so the caller may then save the cursor. */
  applyChanges(changes: readonly SourceChange[]): Promise<RunReport | null> {
    return this.serial(() => this.pushObjects(changes));
  }

  /** Re-reads the changed objects and applies what they need (inside `serial`). */
  private async pushObjects(changes: readonly SourceChange[]): Promise<RunReport | null> {
    const opts = this.deps.config().normalize;
    const desired = new Map<string, DesiredAccount>();
    const deleted: string[] = [];
    const guids = [...new Set(changes.map((c) => c.objectGuid.toLowerCase()))];
    for (const guid of guids) {
      const user: SourceUser | undefined = await this.deps.directory.getUser(guid);
      if (user) {
        this.deps.store.upsertDirectoryUsers([user]);
        desired.set(guid, normalizeUser(user, opts));
      } else {
        this.deps.store.removeDirectoryUser(guid);
        deleted.push(guid);
      }
    }
    this.releaseHolds(desired);
    const links = this.deps.store.getLinks(guids);
    const alwaysHold = this.deps.store.listPendingDeletes().map((d) => d.objectGuid);
    // Deletes never go out per feed batch: admins delete users one at a time, so each batch alone would stay
    // under the threshold. They are marked pending; the runtime runs one full reconcile once deletes settle,
    // which counts them all together against the accidental-delete guard.
    if (deleted.some((g) => links.has(g))) this.deps.store.setKv(DELETES_PENDING_KEY, new Date().toISOString());
    const plan = planSync(desired, links, { mode: 'objects', deleted: [], alwaysHold, deleteThreshold: this.deps.config().deleteThreshold });
    if (!plan.ops.length && !plan.heldDeletes.length) return null;
    return this.applyPlan('change', plan);
  }

  /** The admin approved the held deletes (by GUID): they run now, the rest of the plan too. */
  approveDeletes(guids: readonly string[]): Promise<RunReport | { refused: string }> {
    const held = new Set(this.deps.store.listPendingDeletes().map((d) => d.objectGuid));
    const approved = guids.filter((g) => held.has(g));
    return this.runFull({ approvedDeletes: approved, kind: 'approved-deletes' });
  }

  /** "Remove online account" from the dashboard (after its dry run): deletes it online, keeps the directory user. */
  removeOnlineAccount(objectGuid: string): Promise<RunReport | undefined> {
    return this.serial(async () => {
      const l = this.deps.store.getLink(objectGuid);
      if (!l) return undefined;
      const op: PlanOp = { kind: 'delete', key: `delete:${l.objectGuid}`, objectGuid: l.objectGuid, onlineId: l.onlineId, displayName: l.displayName, userPrincipalName: l.userPrincipalName };
      return this.applyPlan('remove', { ops: [op], heldDeletes: [], skipped: [] });
    });
  }

  /** The admin refused: those accounts are kept (and not proposed again) until removed by hand. */
  rejectDeletes(guids?: readonly string[]): void {
    this.deps.store.keepAccounts(guids ?? this.deps.store.listPendingDeletes().map((d) => d.objectGuid));
  }

  /** Online accounts a directory user might be linked to (the Link dialog's candidates). */
  findMatches(objectGuid: string): Promise<LinkCandidate[]> {
    return this.serial(() => findMatches(this.deps, objectGuid));
  }

  /** Links a user to an existing online account, then brings its details in step, all in one turn of the engine. */
  link(objectGuid: string, onlineId: string): Promise<ActionResult> {
    return this.serial(async () => {
      const { linked, ...result } = await linkAccount(this.deps, objectGuid, onlineId);
      if (linked) await this.pushObjects([{ kind: 'upsert', objectGuid: linked }]);
      return result;
    });
  }

  /**
   * Resets a password from the dashboard: in the directory first, then queued (sealed) for the online account and
   * pushed. Says whether it reached Microsoft 365, is on its way, or failed there (and why).
   */
  resetPassword(objectGuid: string, password: string, mustChange: boolean): Promise<ActionResult> {
    const guid = objectGuid.toLowerCase();
    return this.serial(async () => {
      const inDirectory = await resetDirectoryPassword(this.deps, guid, password, mustChange);
      if (!inDirectory.ok) return inDirectory;
      if (!(await this.queuePassword(guid, password, new Date(), mustChange))) return { ok: true, message: 'The password was changed in the directory. This user has no online account.' };
      this.deps.store.clearIssue(guid);
      await this.drain();
      const issue = this.deps.store.getIssue(guid);
      if (issue) return { ok: false, message: `The password was changed in the directory, but not online: ${issue}` };
      return this.deps.store.getLink(guid) && !this.deps.store.hasOutbox(guid, 'password')
        ? { ok: true, message: 'The password was changed in the directory and online.' }
        : { ok: true, message: 'The password was changed in the directory; it will reach Microsoft 365 shortly.' };
    });
  }

  /** Deactivates a user in the directory and blocks online sign-in through the change that causes. */
  deactivate(objectGuid: string): Promise<ActionResult> {
    const guid = objectGuid.toLowerCase();
    return this.serial(async () => {
      await deactivateInDirectory(this.deps, guid);
      await this.pushObjects([{ kind: 'upsert', objectGuid: guid }]);
      const issue = this.deps.store.getIssue(guid);
      if (!this.deps.store.getLink(guid)) return { ok: true, message: 'The user was deactivated. They have no online account.' };
      return issue ? { ok: false, message: `The user was deactivated in the directory, but not online: ${issue}` } : { ok: true, message: 'The user was deactivated; sign-in to Microsoft 365 is blocked.' };
    });
  }

  /** A captured or dashboard-set password: sealed into the outbox (superseding older ones), then pushed. */
  async queuePassword(objectGuid: string, password: string, at: Date, forceChange = false): Promise<boolean> {
    const guid = objectGuid.toLowerCase();
    if (!this.deps.store.getLink(guid) && !this.deps.store.hasOutbox(guid, 'create')) return false; // no account: keep nothing
    const sealed = await this.deps.vault.seal(guid, password);
    const payload: OutboxPayload = { kind: 'password', sealed, forceChange };
    this.deps.store.enqueue({ key: `password:${guid}:${at.getTime()}`, objectGuid: guid, kind: 'password', payload });
    return true;
  }

  /** Applies whatever is queued (passwords, retries, leftovers of a crashed run) and closes finished runs. */
  async drain(): Promise<DrainReport> {
    const report = await this.applier.drain();
    this.closeFinishedRuns();
    return report;
  }

  private async applyPlan(kind: string, plan: Plan): Promise<RunReport> {
    const { store } = this.deps;
    const runId = store.startRun(kind);
    store.recordPlan(runId, { skipped: plan.skipped, ops: plan.ops.map((op) => ({ op, payload: toPayload(op) })), heldDeletes: plan.heldDeletes });
    this.done = 0; this.failed = 0;
    const drained = await this.applier.drain();
    const resultsFile = this.finishRun(runId);
    return { runId, plan, drained, paused: plan.heldDeletes.length > 0, resultsFile };
  }

  private finishRun(runId: number): string | null {
    const rows = this.deps.store.listResults(runId);
    if (this.deps.store.pendingForRun(runId) > 0) return null; // retries still queued: closed by a later drain
    const file = rows.length ? writeResultsFile(this.deps.resultsDir, runId, rows) : null;
    this.deps.store.finishRun(runId, file);
    return file;
  }

  private closeFinishedRuns(): void {
    for (const id of this.deps.store.openRunIds()) this.finishRun(id);
  }
}

function toPayload(op: PlanOp): OutboxPayload {
  switch (op.kind) {
    case 'create': return { kind: 'create', account: op.account, ...(op.skuId ? { skuId: op.skuId } : {}) };
    case 'update': return { kind: 'update', account: op.account, upnChanged: op.upnChanged };
    case 'set-enabled': return { kind: 'set-enabled', enabled: op.enabled, name: op.displayName };
    case 'delete': return { kind: 'delete', onlineId: op.onlineId, name: op.displayName, upn: op.userPrincipalName };
  }
}

/** Default location of results files inside the data folder. */
export function resultsDirOf(dataDir: string): string {
  return path.join(dataDir, 'sync-results');
}
