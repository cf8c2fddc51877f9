// The engine's lifetime inside the core: state file, single-instance lock, ports, change feed, password capture,
// periodic reconcile and retry timers, and the status pushed to every UI.
import path from 'node:path';
import type { SyncStatus } from '../../shared/contract';
import type { CoreContext } from '../core/core-context';
import { AppError } from '../core/errors';
import { redact } from '../core/redact';
import type { SettingsProblem } from '../stores/settings-store';
import { DELETES_PENDING_KEY, SyncEngine, resultsDirOf } from './engine';
import { engineConfig } from './engine-config';
import { OUTBOX_KEY_NAME, PasswordVault } from './password-vault';
import type { DirectorySource, PasswordSource, TenantDomains, TenantTarget } from './ports';
import { InstanceLock, openStateDb } from './state-db';
import { FIRST_RUN_KEY, SyncStore } from './state-store';

/** The outside world the runtime needs; built from settings by `default-ports.ts`, by fakes in tests. */
export interface SyncPorts {
  directory: DirectorySource;
  tenant: TenantTarget;
  passwords?: PasswordSource;
  /** The tenant's domains as read when the ports were built (the UPN mapping's input). */
  domains: TenantDomains;
  dispose?(): Promise<void>;
}
/** Builds the ports for the current settings (throws with a plain-words message when it cannot). */
export type PortsFactory = (ctx: CoreContext) => Promise<SyncPorts>;

const CURSOR = 'directory-feed';

/** What the admin reads when the sync has state but the settings lost the tenant: the file, the field, what to do. */
function damagedSettingsMessage(file: string, problems: readonly SettingsProblem[]): string {
  const where = problems.find((p) => p.section === 'tenant' || p.section === 'file');
  const what = where ? `${where.field} is not valid (${where.issue})` : 'it no longer names the Microsoft 365 organisation';
  return `The settings file ${file} is damaged: ${what}. Sync is stopped and its state (links, queued passwords) is kept. Restore the file from a backup, or run Integrate with Microsoft 365 again — existing online accounts are reconnected.`;
}

/** Why a class: start/stop on integration changes must tear down exactly what was started, in order. */
export class SyncRuntime {
  readonly store: SyncStore;
  private lock: InstanceLock;
  private engine: SyncEngine | undefined;
  private ports: SyncPorts | undefined;
  private timers: NodeJS.Timeout[] = [];
  private feed: { stop(): Promise<void> } | undefined;
  private running = 0;
  private lastError: string | null = null;
  private notReady: string | null = 'Not connected to Microsoft 365 yet.';
  /** The sync has state for a tenant, but the settings no longer say which (a damaged or replaced settings file). */
  private settingsDamaged = false;
  private backgroundStarted = false;
  private deleteTimer: NodeJS.Timeout | undefined;
  private kicked: Promise<void> | undefined;
  private kickAgain = false;

  constructor(private readonly ctx: CoreContext, private readonly makePorts: PortsFactory, private readonly opts: { timers?: boolean; concurrency?: number; deleteSettleMs?: number } = {}) {
    const db = openStateDb(path.join(ctx.dataDir, 'sync.db'));
    this.store = new SyncStore(db);
    this.lock = new InstanceLock(db);
  }

  /** The engine, once the runtime is running; otherwise why not, in plain words. */
  ready(): SyncEngine {
    if (this.notReady || !this.engine) throw new AppError('sync-not-ready', this.notReady ?? 'The sync engine is not running.');
    return this.engine;
  }

  /** (Re)starts from the current settings: nothing at all while integration is not completed. */
  async start(): Promise<void> {
    await this.stop();
    const current = this.ctx.settings.get();
    // Only the Disable wizard's explicit marker forgets the sync state; a missing or damaged tenant section never does.
    if (current.integrationDisabledAt && this.store.forgetIntegration()) {
      // Integration was disabled: the queue key goes with the queue it protected.
      await this.ctx.secrets.delete(OUTBOX_KEY_NAME);
      this.ctx.log.info('Integration disabled: sync stopped and its state removed');
    }
    if (!current.tenant?.integratedAt) {
      this.notReady = this.store.isBound() ? damagedSettingsMessage(this.ctx.settings.path, this.ctx.settings.problems()) : 'Not connected to Microsoft 365 yet.';
      this.settingsDamaged = this.store.isBound();
      return this.publish();
    }
    this.settingsDamaged = false;
    const got = this.lock.tryAcquire();
    if (!got.ok) {
      this.notReady = `Another copy of OpenEssentials (process ${got.holder.pid} on ${got.holder.host}) is syncing; this one waits.`;
      this.every(30_000, () => { if (this.lock.tryAcquire().ok) void this.start(); });
      return this.publish();
    }
    const settings = this.ctx.settings.get();
    this.store.bindTarget(settings.tenant!.tenantId, settings.directory?.url ?? '');
    try {
      this.ports = await this.makePorts(this.ctx);
    } catch (e) {
      this.notReady = `Cannot reach the directory or Microsoft 365: ${redact(e instanceof Error ? e.message : String(e))}`;
      this.lastError = this.notReady;
      this.every(60_000, () => void this.start());
      return this.publish();
    }
    this.notReady = null;
    const ports = this.ports;
    this.engine = new SyncEngine({
      store: this.store, directory: ports.directory, tenant: ports.tenant, vault: new PasswordVault(this.ctx.secrets),
      config: () => engineConfig(this.ctx.settings.get(), ports.domains), resultsDir: resultsDirOf(this.ctx.dataDir), ...(this.opts.concurrency ? { concurrency: this.opts.concurrency } : {}),
      onProgress: (p) => this.ctx.events.emit('sync:progress', p),
    });
    await this.track(() => this.engine!.drain()); // finish what a crashed or stopped run left behind
    await this.track(() => this.engine!.refreshDirectory());
    if (this.engine.firstRunDone()) await this.startBackground();
    this.publish();
  }

  /** Feed, password capture and timers: only after the admin ran the first (previewed) sync. */
  async startBackground(): Promise<void> {
    if (this.backgroundStarted || !this.engine || !this.ports) return;
    this.backgroundStarted = true;
    const { engine, ports, store } = this;
    if (ports.directory.watch) {
      this.feed = await ports.directory.watch(store.getCursor(CURSOR), async (changes, cursor) => {
        await this.track(() => engine.applyChanges(changes), true); // throws on failure: the feed keeps its old cookie
        store.setCursor(CURSOR, cursor); // only after the batch was applied
        if (store.getKv(DELETES_PENDING_KEY)) this.scheduleDeleteReconcile();
      });
    }
    if (store.getKv(DELETES_PENDING_KEY)) this.scheduleDeleteReconcile(); // left over from before a restart
    // The capture hands passwords over one at a time and waits for each callback: return as soon as the password is
    // durably queued (encrypted) and let one coalesced drain push them, so a first pass over 10,000 accounts or a
    // throttled tenant never holds up the next captured change.
    await ports.passwords?.start(async (e) => {
      if (await engine.queuePassword(e.objectGuid, e.password, e.at)) this.kickDrain();
    });
    if (this.opts.timers !== false) {
      this.every(this.ctx.settings.get().sync.fullReconcileMinutes * 60_000, () => void this.track(() => engine.runFull({ kind: 'reconcile' })));
      this.every(30_000, () => { if (store.outboxCount() > 0) void this.track(() => engine.drain()); });
    }
  }

  /** Starts a drain, or makes the running one take another pass: many callers, one drain at a time, none awaited. */
  private kickDrain(): void {
    if (this.kicked) {
      this.kickAgain = true;
      return;
    }
    this.kicked = (async () => {
      do {
        this.kickAgain = false;
        const engine = this.engine;
        if (engine) await this.track(() => engine.drain());
      } while (this.kickAgain);
    })().finally(() => { this.kicked = undefined; });
  }

  /** Runs engine work with the status showing 'running' and failures recorded in plain words. */
  async track<T>(fn: () => Promise<T>, rethrow = false): Promise<T | undefined> {
    if (!this.lock.held()) {
      // Another process took the lock over (ours looked dead, e.g. the machine slept): stand down, retry later.
      this.notReady = 'Another copy of OpenEssentials took over syncing; this one waits.';
      void this.stop().then(() => this.every(30_000, () => { if (this.lock.tryAcquire().ok) void this.start(); }));
      this.publish();
      if (rethrow) throw new Error(this.notReady);
      return undefined;
    }
    this.running++;
    this.publish();
    try {
      const r = await fn();
      this.lastError = null;
      return r;
    } catch (e) {
      this.lastError = redact(e instanceof Error ? e.message : String(e));
      this.ctx.log.warn('Sync run failed', { error: this.lastError });
      if (rethrow) throw e;
      return undefined;
    } finally {
      this.running--;
      this.publish();
    }
  }

  /** Why the runtime cannot act right now (null when ready). */
  get blocked(): string | null {
    return this.notReady;
  }

  status(): SyncStatus {
    const pendingDeletes = this.store.listPendingDeletes().map(({ objectGuid, displayName, userPrincipalName }) => ({ objectGuid, displayName, userPrincipalName }));
    const lastRunId = this.store.lastRunId() ?? null;
    const lastRun = lastRunId ? this.store.getRun(lastRunId) : undefined;
    const pending = this.store.outboxCount();
    const configured = Boolean(this.ctx.settings.get().tenant?.integratedAt);
    const firstRunDone = this.store.getKv(FIRST_RUN_KEY) !== undefined;
    let state: SyncStatus['state'] = 'idle';
    let message = pending ? `${pending} change(s) waiting to reach Microsoft 365.` : 'Everything is in step with Microsoft 365.';
    if (this.settingsDamaged) { state = 'error'; message = this.notReady ?? ''; }
    else if (!configured) { state = 'not-configured'; message = 'Not connected to Microsoft 365 yet.'; }
    else if (this.notReady) { state = this.lastError ? 'error' : 'paused'; message = this.notReady; }
    else if (this.running > 0) { state = 'running'; message = 'Syncing with Microsoft 365…'; }
    else if (pendingDeletes.length) { state = 'paused'; message = `${pendingDeletes.length} online account(s) would be deleted. Review the list and approve or keep them.`; }
    else if (!firstRunDone) { state = 'paused'; message = 'Preview the first sync, then run it.'; }
    else if (this.lastError) { state = 'error'; message = 'The last sync failed; it will be retried.'; }
    return { state, message, lastRunAt: lastRun?.finishedAt ?? lastRun?.startedAt ?? null, lastError: this.lastError, pending, firstRunDone, pendingDeletes, lastRunId };
  }

  /** The one place the status goes out: every UI (header, Home, Users, tray) follows `sync:status-changed`. */
  publish(): void {
    this.ctx.events.emit('sync:status-changed', this.status());
  }

  /**
   * Deletes seen by the feed wait until no new one has arrived for `deleteSettleMs`, then one full reconcile
   * plans them together, so the accidental-delete guard sees "12 users deleted", not twelve times "1 user".
   */
  private scheduleDeleteReconcile(): void {
    clearTimeout(this.deleteTimer);
    this.deleteTimer = setTimeout(() => {
      const { engine, store } = this;
      if (!engine) return;
      const marked = store.getKv(DELETES_PENDING_KEY);
      void this.track(async () => {
        const report = await engine.runFull({ kind: 'reconcile' });
        if (store.getKv(DELETES_PENDING_KEY) === marked) store.setKv(DELETES_PENDING_KEY, '');
        return report;
      });
    }, this.opts.deleteSettleMs ?? 5_000);
  }

  private every(ms: number, fn: () => void): void {
    const t = setInterval(fn, ms);
    t.unref();
    this.timers.push(t);
  }

  async stop(): Promise<void> {
    clearTimeout(this.deleteTimer);
    this.timers.forEach(clearInterval);
    this.timers = [];
    await this.feed?.stop();
    this.feed = undefined;
    await this.ports?.passwords?.stop();
    await this.kicked; // a drain the capture started must not outlive the ports it uses
    await this.ports?.dispose?.();
    this.ports = undefined;
    this.engine = undefined;
    this.backgroundStarted = false;
    this.lock.release();
  }

  async dispose(): Promise<void> {
    await this.stop();
    this.store.close();
  }
}
