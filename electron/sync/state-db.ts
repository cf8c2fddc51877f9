// The sync state lives in one SQLite file (better-sqlite3): links, last pushed hash, cursor, outbox, audit, results.
// Migrations are numbered and recorded in `schema_version`, so an older file is upgraded in place.
import Database from 'better-sqlite3';
import os from 'node:os';
import { randomUUID } from 'node:crypto';

/** The handle type every store helper takes. */
export type Db = Database.Database;

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE cursors (name TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);
   CREATE TABLE directory_users (
     object_guid TEXT PRIMARY KEY, sam TEXT NOT NULL, upn TEXT, display_name TEXT NOT NULL, mail TEXT,
     enabled INTEGER NOT NULL, data TEXT NOT NULL, search TEXT NOT NULL, seen_at TEXT NOT NULL);
   CREATE INDEX ix_directory_users_name ON directory_users (display_name COLLATE NOCASE, object_guid);
   CREATE TABLE links (
     object_guid TEXT PRIMARY KEY, online_id TEXT NOT NULL UNIQUE, upn TEXT NOT NULL, display_name TEXT NOT NULL,
     hash TEXT, enabled INTEGER NOT NULL, delete_hold INTEGER NOT NULL DEFAULT 0, linked_at TEXT NOT NULL,
     last_pushed_at TEXT, password_synced_at TEXT);
   CREATE TABLE issues (object_guid TEXT PRIMARY KEY, action TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL);
   CREATE TABLE outbox (
     id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, object_guid TEXT NOT NULL, kind TEXT NOT NULL,
     payload TEXT NOT NULL, run_id INTEGER, attempts INTEGER NOT NULL DEFAULT 0, not_before INTEGER NOT NULL DEFAULT 0,
     created_at TEXT NOT NULL);
   CREATE INDEX ix_outbox_guid ON outbox (object_guid, kind);
   CREATE TABLE pending_deletes (
     object_guid TEXT PRIMARY KEY, online_id TEXT NOT NULL, display_name TEXT NOT NULL, upn TEXT NOT NULL, detected_at TEXT NOT NULL);
   CREATE TABLE runs (
     id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT,
     ok INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0, skipped INTEGER NOT NULL DEFAULT 0, results_file TEXT);
   CREATE TABLE results (
     run_id INTEGER NOT NULL, object_guid TEXT NOT NULL, name TEXT NOT NULL, upn TEXT NOT NULL, action TEXT NOT NULL,
     outcome TEXT NOT NULL, reason TEXT NOT NULL, at TEXT NOT NULL);
   CREATE INDEX ix_results_run ON results (run_id);
   CREATE TABLE audit (
     id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, run_id INTEGER, object_guid TEXT, action TEXT NOT NULL,
     outcome TEXT NOT NULL, detail TEXT NOT NULL);
   CREATE TABLE instance_lock (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, host TEXT NOT NULL,
     token TEXT NOT NULL, heartbeat INTEGER NOT NULL);`,
];

/** Why: one code path for the app and the headless service; WAL so readers (the dashboard) never block the engine. */
export function openStateDb(file: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

/** Applies pending migrations in one transaction each; returns the resulting version. */
export function migrate(db: Db): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const row = db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
  let version = row?.version ?? 0;
  if (!row) db.prepare('INSERT INTO schema_version (version) VALUES (0)').run();
  while (version < MIGRATIONS.length) {
    const sql = MIGRATIONS[version]!;
    db.transaction(() => {
      db.exec(sql);
      db.prepare('UPDATE schema_version SET version = ?').run(version + 1);
    }).immediate();
    version++;
  }
  return version;
}

/** Is `pid` a live process on this machine? (signal 0 probes without touching it). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Who holds the sync lock, for the "another copy is syncing" message. */
export interface LockHolder { pid: number; host: string; heartbeat: number }

/**
 * Why a lock row: the headless service and the desktop app share this file and must never sync at once. The holder
 * refreshes a heartbeat; a holder whose process is gone (kill -9) or whose heartbeat is older than `staleMs` is taken over.
 */
export class InstanceLock {
  private readonly token = randomUUID();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly db: Db, private readonly opts: { staleMs?: number; heartbeatMs?: number; pid?: number } = {}) {}

  /** Takes the lock if free or stale; returns the current holder when someone else has it. */
  tryAcquire(): { ok: true } | { ok: false; holder: LockHolder } {
    const pid = this.opts.pid ?? process.pid;
    const staleMs = this.opts.staleMs ?? 30_000;
    const host = os.hostname();
    const result = this.db.transaction((): { ok: true } | { ok: false; holder: LockHolder } => {
      const cur = this.db.prepare('SELECT pid, host, token, heartbeat FROM instance_lock WHERE id = 1').get() as (LockHolder & { token: string }) | undefined;
      const now = Date.now();
      const free = !cur || cur.token === this.token || now - cur.heartbeat > staleMs || (cur.host === host && !alive(cur.pid));
      if (!free) return { ok: false, holder: { pid: cur.pid, host: cur.host, heartbeat: cur.heartbeat } };
      this.db.prepare('INSERT INTO instance_lock (id, pid, host, token, heartbeat) VALUES (1, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET pid = excluded.pid, host = excluded.host, token = excluded.token, heartbeat = excluded.heartbeat').run(pid, host, this.token, now);
      return { ok: true };
    }).immediate();
    if (result.ok && !this.timer) {
      this.timer = setInterval(() => this.beat(), this.opts.heartbeatMs ?? 5_000);
      this.timer.unref();
    }
    return result;
  }

  /** True while this instance still owns the row (a takeover by another process is noticed here). */
  held(): boolean {
    const cur = this.db.prepare('SELECT token FROM instance_lock WHERE id = 1').get() as { token: string } | undefined;
    return cur?.token === this.token;
  }

  private beat(): void {
    try {
      this.db.prepare('UPDATE instance_lock SET heartbeat = ? WHERE id = 1 AND token = ?').run(Date.now(), this.token);
    } catch {
      // the db may be closing; the next acquire sorts it out
    }
  }

  release(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    try {
      this.db.prepare('DELETE FROM instance_lock WHERE id = 1 AND token = ?').run(this.token);
    } catch {
      // closed already
    }
  }
}
