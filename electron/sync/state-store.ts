// Typed queries over the sync state file. Every write the engine's crash-safety argument relies on is one statement
// or one transaction here.
import type { Statement } from 'better-sqlite3';
import type { AccountFilter, AccountRow } from '../../shared/contract';
import type { Db } from './state-db';
import type { LinkState, PlanOp } from './plan';
import type { SourceUser } from './ports';

/** Outbox kinds, in the order a drain applies them (creates before the password that follows them). */
export const OUTBOX_ORDER = ['create', 'license', 'update', 'set-enabled', 'password', 'delete'] as const;
/** One durable pending operation. */
export type OutboxKind = (typeof OUTBOX_ORDER)[number];
/** A row as read back for applying. */
export interface OutboxRow { id: number; key: string; objectGuid: string; kind: OutboxKind; payload: string; runId: number | null; attempts: number }
/** One per-account outcome of a run (also the CSV line). */
export interface ResultRow { objectGuid: string; name: string; upn: string; action: string; outcome: 'ok' | 'failed' | 'skipped'; reason: string; at: string }

const now = (): string => new Date().toISOString();
const PRIORITY = `CASE kind WHEN 'create' THEN 0 WHEN 'license' THEN 1 WHEN 'update' THEN 2 WHEN 'set-enabled' THEN 3 WHEN 'password' THEN 4 ELSE 5 END`;

/** Set once the admin ran the first (previewed) full sync; background sync waits for it. */
export const FIRST_RUN_KEY = 'first-full-run-at';

/** What a run's plan leaves in the state before anything is applied: its skipped accounts, its queued operations, its held deletes. */
export interface PlannedRun {
  skipped: ReadonlyArray<{ objectGuid: string; reason: string }>;
  ops: ReadonlyArray<{ op: PlanOp; payload: unknown }>;
  heldDeletes: ReadonlyArray<{ objectGuid: string; onlineId: string; displayName: string; userPrincipalName: string }>;
}

/** Why a class: prepared statements once, every transaction named here, and no SQL outside this file. */
export class SyncStore {
  // Prepared once and reused: the hot paths (queue a password, take due rows, count the queue) run per account.
  private readonly statements = new Map<string, Statement<unknown[]>>();

  constructor(private readonly db: Db) {}

  /** The single-instance lock lives in the same file (state-db.ts). */
  get database(): Db {
    return this.db;
  }

  private sql(text: string): Statement<unknown[]> {
    let st = this.statements.get(text);
    if (!st) {
      if (this.statements.size >= 256) this.statements.clear(); // dynamic IN (...) lists: keep the cache bounded
      st = this.db.prepare<unknown[]>(text);
      this.statements.set(text, st);
    }
    return st;
  }

  /** Closes the state file (the runtime's dispose, tests). */
  close(): void {
    this.db.close();
  }

  getKv(key: string): string | undefined {
    return (this.sql('SELECT value FROM kv WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }
  setKv(key: string, value: string): void {
    this.sql('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }
  getCursor(name: string): string | undefined {
    return (this.sql('SELECT value FROM cursors WHERE name = ?').get(name) as { value: string } | undefined)?.value;
  }
  setCursor(name: string, value: string): void {
    this.sql('INSERT INTO cursors (name, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at').run(name, value, now());
  }
  clearCursor(name: string): void {
    this.sql('DELETE FROM cursors WHERE name = ?').run(name);
  }

  /**
   * Why: links, queued work and the "first run done" flag belong to one tenant, the feed cursor to one directory.
   * When either changes (re-integration elsewhere), they are forgotten so nothing is pushed to the wrong place.
   */
  bindTarget(tenantId: string, directoryUrl: string): { tenantChanged: boolean; directoryChanged: boolean } {
    return this.db.transaction(() => {
      const t = this.getKv('bound-tenant');
      const d = this.getKv('bound-directory');
      const tenantChanged = t !== undefined && t !== tenantId;
      const directoryChanged = d !== undefined && d !== directoryUrl;
      if (tenantChanged) {
        for (const table of ['links', 'outbox', 'pending_deletes', 'issues']) this.sql(`DELETE FROM ${table}`).run();
        this.sql('DELETE FROM kv WHERE key = ?').run(FIRST_RUN_KEY);
      }
      if (tenantChanged || directoryChanged) this.sql('DELETE FROM cursors').run();
      if (directoryChanged) this.sql('DELETE FROM directory_users').run();
      this.setKv('bound-tenant', tenantId);
      this.setKv('bound-directory', directoryUrl);
      if (tenantChanged || directoryChanged) this.audit({ action: 'rebind', outcome: 'ok', detail: `${tenantChanged ? 'tenant' : ''}${tenantChanged && directoryChanged ? ' and ' : ''}${directoryChanged ? 'directory' : ''} changed: sync state reset` });
      return { tenantChanged, directoryChanged };
    }).immediate();
  }

  /** True while the state belongs to a tenant (after the first start of an integration, until it is disabled). */
  isBound(): boolean {
    return this.getKv('bound-tenant') !== undefined;
  }

  /**
   * Why: "Disable integration" must leave no sync state behind — links, queued work (with its encrypted
   * passwords), cursors and pending deletes. Results and the audit log stay: they are history, with no secrets.
   * Returns false when there was nothing bound (never integrated).
   */
  forgetIntegration(): boolean {
    return this.db.transaction(() => {
      if (this.getKv('bound-tenant') === undefined) return false;
      for (const table of ['links', 'outbox', 'pending_deletes', 'issues', 'cursors']) this.sql(`DELETE FROM ${table}`).run();
      this.sql('DELETE FROM kv WHERE key IN (?, ?, ?)').run('bound-tenant', 'bound-directory', FIRST_RUN_KEY);
      this.audit({ action: 'disable', outcome: 'ok', detail: 'integration disabled: sync state removed' });
      return true;
    }).immediate();
  }

  /** Caches directory users (for the accounts page and the planner); `seenAt` marks this full read. */
  upsertDirectoryUsers(users: readonly SourceUser[], seenAt = now()): void {
    const st = this.sql(`INSERT INTO directory_users (object_guid, sam, upn, display_name, mail, enabled, data, search, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(object_guid) DO UPDATE SET sam = excluded.sam, upn = excluded.upn, display_name = excluded.display_name, mail = excluded.mail,
      enabled = excluded.enabled, data = excluded.data, search = excluded.search, seen_at = excluded.seen_at`);
    this.db.transaction(() => {
      for (const u of users) {
        const name = u.displayName || [u.givenName, u.sn].filter(Boolean).join(' ') || u.sAMAccountName;
        const search = [name, u.sAMAccountName, u.userPrincipalName, u.mail].filter(Boolean).join(' ').toLowerCase();
        st.run(u.objectGuid.toLowerCase(), u.sAMAccountName, u.userPrincipalName ?? null, name, u.mail ?? null, u.enabled ? 1 : 0, JSON.stringify(u), search, seenAt);
      }
    })();
  }
  /** After a complete full read: users not seen are gone from the directory (or out of scope). */
  pruneDirectoryUsers(seenAt: string): number {
    return this.sql('DELETE FROM directory_users WHERE seen_at <> ?').run(seenAt).changes;
  }
  removeDirectoryUser(guid: string): void {
    this.sql('DELETE FROM directory_users WHERE object_guid = ?').run(guid);
  }
  getDirectoryUser(guid: string): SourceUser | undefined {
    const r = this.sql('SELECT data FROM directory_users WHERE object_guid = ?').get(guid) as { data: string } | undefined;
    return r ? (JSON.parse(r.data) as SourceUser) : undefined;
  }
  *iterateDirectoryUsers(): Generator<SourceUser> {
    for (const r of this.db.prepare('SELECT data FROM directory_users').iterate() as IterableIterator<{ data: string }>) yield JSON.parse(r.data) as SourceUser;
  }

  getLinks(guids?: readonly string[]): Map<string, LinkState> {
    const rows = (guids
      ? guids.map((g) => this.sql('SELECT * FROM links WHERE object_guid = ?').get(g)).filter(Boolean)
      : this.sql('SELECT * FROM links').all()) as Array<Record<string, unknown>>;
    const out = new Map<string, LinkState>();
    for (const r of rows) {
      out.set(String(r.object_guid), {
        objectGuid: String(r.object_guid), onlineId: String(r.online_id), userPrincipalName: String(r.upn), displayName: String(r.display_name),
        hash: (r.hash as string | null) ?? null, enabled: r.enabled === 1, deleteHold: r.delete_hold === 1,
      });
    }
    return out;
  }
  getLink(guid: string): LinkState | undefined {
    return this.getLinks([guid]).get(guid);
  }
  /** Records (or refreshes) the link between a directory object and its online account. */
  saveLink(l: Omit<LinkState, 'deleteHold'> & { deleteHold?: boolean }): void {
    this.sql(`INSERT INTO links (object_guid, online_id, upn, display_name, hash, enabled, delete_hold, linked_at, last_pushed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(object_guid) DO UPDATE SET online_id = excluded.online_id, upn = excluded.upn, display_name = excluded.display_name, hash = excluded.hash,
      enabled = excluded.enabled, delete_hold = excluded.delete_hold, last_pushed_at = excluded.last_pushed_at`)
      .run(l.objectGuid, l.onlineId, l.userPrincipalName, l.displayName, l.hash, l.enabled ? 1 : 0, l.deleteHold ? 1 : 0, now(), now());
  }
  removeLink(guid: string): void {
    this.sql('DELETE FROM links WHERE object_guid = ?').run(guid);
  }
  setDeleteHold(guids: readonly string[], hold: boolean): void {
    const st = this.sql('UPDATE links SET delete_hold = ? WHERE object_guid = ?');
    this.db.transaction(() => guids.forEach((g) => st.run(hold ? 1 : 0, g)))();
  }
  /** GUIDs of accounts the admin chose to keep although their user left the directory. */
  heldLinks(): string[] {
    return (this.sql('SELECT object_guid FROM links WHERE delete_hold = 1').all() as Array<{ object_guid: string }>).map((r) => r.object_guid);
  }
  markPasswordSynced(guid: string): void {
    this.sql('UPDATE links SET password_synced_at = ? WHERE object_guid = ?').run(now(), guid);
  }

  setIssue(guid: string, action: string, reason: string): void {
    this.sql('INSERT INTO issues (object_guid, action, reason, at) VALUES (?, ?, ?, ?) ON CONFLICT(object_guid) DO UPDATE SET action = excluded.action, reason = excluded.reason, at = excluded.at').run(guid, action, reason, now());
  }
  clearIssue(guid: string): void {
    this.sql('DELETE FROM issues WHERE object_guid = ?').run(guid);
  }
  getIssue(guid: string): string | undefined {
    return (this.sql('SELECT reason FROM issues WHERE object_guid = ?').get(guid) as { reason: string } | undefined)?.reason;
  }

  /**
   * Queues an operation. Same key → ignored (idempotent re-plan). A newer update/set-enabled/password for the same
   * object supersedes older pending ones of its kind, so only the latest state is pushed (and stale secrets are dropped).
   */
  enqueue(op: { key: string; objectGuid: string; kind: OutboxKind; payload: unknown; runId?: number | null }): boolean {
    return this.db.transaction(() => {
      if (op.kind === 'update' || op.kind === 'set-enabled' || op.kind === 'password') {
        this.sql('DELETE FROM outbox WHERE object_guid = ? AND kind = ? AND key <> ?').run(op.objectGuid, op.kind, op.key);
      }
      return this.sql('INSERT OR IGNORE INTO outbox (key, object_guid, kind, payload, run_id, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(op.key, op.objectGuid, op.kind, JSON.stringify(op.payload), op.runId ?? null, now()).changes === 1;
    }).immediate();
  }
  /** Due rows in apply order. */
  dueOutbox(limit: number, at = Date.now()): OutboxRow[] {
    const rows = this.sql(`SELECT id, key, object_guid, kind, payload, run_id, attempts FROM outbox WHERE not_before <= ? ORDER BY ${PRIORITY}, id LIMIT ?`).all(at, limit) as Array<Record<string, unknown>>;
    return rows.map((r) => ({ id: Number(r.id), key: String(r.key), objectGuid: String(r.object_guid), kind: r.kind as OutboxKind, payload: String(r.payload), runId: (r.run_id as number | null) ?? null, attempts: Number(r.attempts) }));
  }
  /** Recorded BEFORE the remote call: attempts > 0 on restart means "may have happened; look before acting". */
  markAttempt(id: number): void {
    this.sql('UPDATE outbox SET attempts = attempts + 1 WHERE id = ?').run(id);
  }
  deferOutbox(id: number, notBefore: number): void {
    this.sql('UPDATE outbox SET not_before = ? WHERE id = ?').run(notBefore, id);
  }
  removeOutbox(id: number): void {
    this.sql('DELETE FROM outbox WHERE id = ?').run(id);
  }
  hasOutbox(guid: string, kind: OutboxKind): boolean {
    return this.sql('SELECT 1 FROM outbox WHERE object_guid = ? AND kind = ?').get(guid, kind) !== undefined;
  }
  outboxCount(): number {
    return (this.sql('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;
  }
  nextDue(): number | undefined {
    return (this.sql('SELECT MIN(not_before) AS t FROM outbox').get() as { t: number | null }).t ?? undefined;
  }

  setPendingDeletes(list: ReadonlyArray<{ objectGuid: string; onlineId: string; displayName: string; userPrincipalName: string }>): void {
    const st = this.sql('INSERT OR REPLACE INTO pending_deletes (object_guid, online_id, display_name, upn, detected_at) VALUES (?, ?, ?, ?, ?)');
    this.db.transaction(() => list.forEach((d) => st.run(d.objectGuid, d.onlineId, d.displayName, d.userPrincipalName, now())))();
  }
  listPendingDeletes(): Array<{ objectGuid: string; onlineId: string; displayName: string; userPrincipalName: string }> {
    return (this.sql('SELECT object_guid, online_id, display_name, upn FROM pending_deletes ORDER BY display_name').all() as Array<Record<string, string>>)
      .map((r) => ({ objectGuid: r.object_guid!, onlineId: r.online_id!, displayName: r.display_name!, userPrincipalName: r.upn! }));
  }
  clearPendingDeletes(guids?: readonly string[]): void {
    if (!guids) this.sql('DELETE FROM pending_deletes').run();
    else guids.forEach((g) => this.sql('DELETE FROM pending_deletes WHERE object_guid = ?').run(g));
  }

  startRun(kind: string): number {
    return Number(this.sql('INSERT INTO runs (kind, started_at) VALUES (?, ?)').run(kind, now()).lastInsertRowid);
  }
  addResult(runId: number, r: Omit<ResultRow, 'at'>): void {
    this.sql('INSERT INTO results (run_id, object_guid, name, upn, action, outcome, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(runId, r.objectGuid, r.name, r.upn, r.action, r.outcome, r.reason, now());
    const col = r.outcome === 'ok' ? 'ok' : r.outcome === 'failed' ? 'failed' : 'skipped';
    this.sql(`UPDATE runs SET ${col} = ${col} + 1 WHERE id = ?`).run(runId);
  }
  finishRun(runId: number, resultsFile: string | null): void {
    this.sql('UPDATE runs SET finished_at = ?, results_file = ? WHERE id = ?').run(now(), resultsFile, runId);
  }
  getRun(runId: number): { id: number; kind: string; startedAt: string; finishedAt: string | null; ok: number; failed: number; skipped: number; resultsFile: string | null } | undefined {
    const r = this.sql('SELECT * FROM runs WHERE id = ?').get(runId) as Record<string, unknown> | undefined;
    return r ? { id: Number(r.id), kind: String(r.kind), startedAt: String(r.started_at), finishedAt: (r.finished_at as string | null) ?? null, ok: Number(r.ok), failed: Number(r.failed), skipped: Number(r.skipped), resultsFile: (r.results_file as string | null) ?? null } : undefined;
  }
  lastRunId(): number | undefined {
    return (this.sql('SELECT MAX(id) AS id FROM runs').get() as { id: number | null }).id ?? undefined;
  }
  listResults(runId: number): ResultRow[] {
    return (this.sql('SELECT object_guid, name, upn, action, outcome, reason, at FROM results WHERE run_id = ? ORDER BY rowid').all(runId) as Array<Record<string, string>>)
      .map((r) => ({ objectGuid: r.object_guid!, name: r.name!, upn: r.upn!, action: r.action!, outcome: r.outcome as ResultRow['outcome'], reason: r.reason!, at: r.at! }));
  }

  /** The audit log: who/what/outcome; `detail` is plain words and never holds a secret. */
  audit(e: { runId?: number | null; objectGuid?: string | null; action: string; outcome: string; detail: string }): void {
    this.sql('INSERT INTO audit (at, run_id, object_guid, action, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)').run(now(), e.runId ?? null, e.objectGuid ?? null, e.action, e.outcome, e.detail);
  }
  listAudit(limit = 100): Array<{ at: string; objectGuid: string | null; action: string; outcome: string; detail: string }> {
    return (this.sql('SELECT at, object_guid, action, outcome, detail FROM audit ORDER BY id DESC LIMIT ?').all(limit) as Array<Record<string, string | null>>)
      .map((r) => ({ at: r.at!, objectGuid: r.object_guid ?? null, action: r.action!, outcome: r.outcome!, detail: r.detail! }));
  }

  /** A row went through (or had nothing to do): off the queue, its issue cleared, its result and audit recorded. */
  commitApplied(row: OutboxRow, r: { name: string; upn: string; skipped: string | undefined }): void {
    this.db.transaction(() => {
      this.removeOutbox(row.id);
      if (!r.skipped) this.clearIssue(row.objectGuid);
      if (row.runId !== null) this.addResult(row.runId, { objectGuid: row.objectGuid, name: r.name, upn: r.upn, action: row.kind, outcome: r.skipped ? 'skipped' : 'ok', reason: r.skipped ?? '' });
      this.audit({ runId: row.runId, objectGuid: row.objectGuid, action: row.kind, outcome: r.skipped ? 'skipped' : 'ok', detail: r.skipped ?? `${row.kind} ${r.upn}` });
    })();
  }

  /** A row failed for good: off the queue, the reason on the account, in the run's results and the audit. */
  commitFailed(row: OutboxRow, r: { name: string; upn: string; reason: string }): void {
    this.db.transaction(() => {
      this.removeOutbox(row.id);
      this.setIssue(row.objectGuid, row.kind, r.reason);
      if (row.runId !== null) this.addResult(row.runId, { objectGuid: row.objectGuid, name: r.name, upn: r.upn, action: row.kind, outcome: 'failed', reason: r.reason });
      this.audit({ runId: row.runId, objectGuid: row.objectGuid, action: row.kind, outcome: 'failed', detail: r.reason });
    })();
  }

  /** A create went through: the link, and the license that follows it, in one step (a crash can't lose the license). */
  commitCreated(row: OutboxRow, link: Omit<LinkState, 'deleteHold'>, license?: { key: string; payload: unknown }): void {
    this.db.transaction(() => {
      this.saveLink(link);
      if (license) this.enqueue({ key: license.key, objectGuid: row.objectGuid, kind: 'license', payload: license.payload, runId: row.runId });
    })();
  }

  /** A delete went through: the link and any pending approval go. */
  commitDeleted(guid: string): void {
    this.db.transaction(() => {
      this.removeLink(guid);
      this.clearPendingDeletes([guid]);
    })();
  }

  /** Records a plan for run `runId`: skipped accounts as results, operations queued, held deletes put to the admin. */
  recordPlan(runId: number, plan: PlannedRun): void {
    this.db.transaction(() => {
      for (const s of plan.skipped) {
        const u = this.getDirectoryUser(s.objectGuid);
        this.addResult(runId, { objectGuid: s.objectGuid, name: u?.displayName ?? u?.sAMAccountName ?? s.objectGuid, upn: u?.userPrincipalName ?? '', action: 'create', outcome: 'skipped', reason: s.reason });
      }
      for (const { op, payload } of plan.ops) this.enqueue({ key: op.key, objectGuid: op.objectGuid, kind: op.kind, payload, runId });
      if (plan.heldDeletes.length) {
        this.setPendingDeletes(plan.heldDeletes);
        this.audit({ runId, action: 'hold-deletes', outcome: 'paused', detail: `${plan.heldDeletes.length} deletes wait for approval` });
      }
    })();
  }

  /** The admin refused deletes: those accounts are kept (and not proposed again) until removed by hand. */
  keepAccounts(guids: readonly string[]): void {
    this.db.transaction(() => {
      this.setDeleteHold(guids, true);
      this.clearPendingDeletes(guids);
      this.audit({ action: 'reject-deletes', outcome: 'ok', detail: `${guids.length} online account(s) kept` });
    })();
  }

  /** Operations of run `runId` still queued (retries): the run is closed only when none is left. */
  pendingForRun(runId: number): number {
    return (this.sql('SELECT COUNT(*) AS n FROM outbox WHERE run_id = ?').get(runId) as { n: number }).n;
  }

  /** Runs not closed yet. */
  openRunIds(): number[] {
    return (this.sql('SELECT id FROM runs WHERE finished_at IS NULL').all() as Array<{ id: number }>).map((r) => r.id);
  }

  /** One page of the accounts list; search is a substring over name, account name, UPN and mail. */
  listAccounts(q: { offset: number; limit: number; search?: string; filter?: AccountFilter }): { total: number; rows: AccountRow[] } {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.search?.trim()) { where.push("d.search LIKE ? ESCAPE '\\'"); params.push(`%${q.search.trim().toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`); }
    if (q.filter === 'online') where.push('l.object_guid IS NOT NULL');
    if (q.filter === 'not-online') where.push('l.object_guid IS NULL');
    if (q.filter === 'issues') where.push('i.object_guid IS NOT NULL');
    const from = 'FROM directory_users d LEFT JOIN links l ON l.object_guid = d.object_guid LEFT JOIN issues i ON i.object_guid = d.object_guid';
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.sql(`SELECT COUNT(*) AS n ${from} ${w}`).get(...params) as { n: number }).n;
    const rows = this.sql(`SELECT d.object_guid, d.display_name, d.sam, d.upn AS dupn, d.enabled, l.online_id, l.upn AS oupn, l.password_synced_at, l.delete_hold, i.reason,
      (SELECT COUNT(*) FROM outbox o WHERE o.object_guid = d.object_guid) AS pending ${from} ${w} ORDER BY d.display_name COLLATE NOCASE, d.object_guid LIMIT ? OFFSET ?`)
      .all(...params, q.limit, q.offset) as Array<Record<string, unknown>>;
    return {
      total,
      rows: rows.map((r) => ({
        objectGuid: String(r.object_guid), displayName: String(r.display_name), sAMAccountName: String(r.sam), directoryUpn: (r.dupn as string | null) ?? null,
        enabled: r.enabled === 1, onlineId: (r.online_id as string | null) ?? null, onlineUpn: (r.oupn as string | null) ?? null,
        passwordSyncedAt: (r.password_synced_at as string | null) ?? null, pending: Number(r.pending), issue: (r.reason as string | null) ?? null, deleteHold: r.delete_hold === 1,
      })),
    };
  }
}
