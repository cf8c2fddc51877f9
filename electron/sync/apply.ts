// plan → APPLY: drains the durable outbox against the tenant. Every handler is idempotent: a row may be applied twice
// after a crash (the remote call happened, the local commit didn't), so each one first checks what is already there.
import { randomBytes } from 'node:crypto';
import { AppError, isRetryable } from '../core/errors';
import { accountFailure, type AccountAction } from '../core/wording';
import type { DesiredAccount } from './normalize';
import type { SealedPassword } from './password-vault';
import { PasswordVault } from './password-vault';
import type { OnlineAccount, OnlinePatch, TenantTarget } from './ports';
import type { OutboxRow, SyncStore } from './state-store';

/** Failures that mean Microsoft 365 can't be reached or can't be signed in to: never dropped, retried with backoff. */
const OUTAGE_CODES = new Set(['unreachable', 'service-error', 'timeout', 'unauthorized', 'auth-failed']);
const SIGN_IN_CODES = new Set(['unauthorized', 'auth-failed']);
const codeOf = (e: unknown): string | undefined => (e instanceof AppError ? e.code : undefined);

/** Payloads stored in the outbox (JSON). Passwords appear only sealed. */
export type OutboxPayload =
  | { kind: 'create'; account: DesiredAccount; skuId?: string }
  | { kind: 'license'; skuId: string; upn: string; name: string }
  | { kind: 'update'; account: DesiredAccount; upnChanged: boolean }
  | { kind: 'set-enabled'; enabled: boolean; name: string }
  | { kind: 'password'; sealed: SealedPassword; forceChange: boolean }
  | { kind: 'delete'; onlineId: string; name: string; upn: string };

/** What the applier needs; `sleep` is injectable so tests don't wait on Retry-After. */
export interface ApplyDeps {
  store: SyncStore;
  tenant: TenantTarget;
  vault: PasswordVault;
  maxAttempts?: number;
  concurrency?: number;
  /** Deferred rows due within this are waited for inside the drain (default 60 s). */
  maxInlineWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Clock for retry times (tests move it forward together with `sleep`). */
  now?: () => number;
  onApplied?: (row: OutboxRow, outcome: 'ok' | 'failed') => void;
}

/** Counts of one drain. */
export interface DrainReport { ok: number; failed: number; deferred: number }

const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A strong random first password (the real one arrives through password sync or a dashboard reset). */
export function temporaryPassword(): string {
  return `Tmp-${randomBytes(12).toString('base64url')}-9a!`;
}

/** Why a class: one drain at a time (a second caller waits for the running one), shared pause on throttling. */
export class OutboxApplier {
  private running: Promise<DrainReport> | undefined;
  private again = false;
  private pauseUntil = 0;

  constructor(private readonly deps: ApplyDeps) {}

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /** Applies every due row; if called while draining, one more pass runs after the current one. */
  drain(): Promise<DrainReport> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = (async () => {
      const total: DrainReport = { ok: 0, failed: 0, deferred: 0 };
      do {
          this.again = false;
          for (;;) {
            const wait = this.pauseUntil - this.now();
            if (wait > 0) await (this.deps.sleep ?? defaultSleep)(wait);
            const rows = this.deps.store.dueOutbox(200, this.now());
            if (!rows.length) {
              // Only deferred rows left: wait inline for short retries (throttling), leave long ones to a later drain.
              const next = this.deps.store.nextDue();
              const delay = next === undefined ? Infinity : next - this.now();
              if (delay > (this.deps.maxInlineWaitMs ?? 60_000)) break;
              await (this.deps.sleep ?? defaultSleep)(Math.max(0, delay));
              continue;
            }
            const r = await this.applyChunk(rows);
            total.ok += r.ok; total.failed += r.failed; total.deferred += r.deferred;
          }
      } while (this.again);
      return total;
    })();
    // Cleared after the body settles (it may finish synchronously, before `running` would have been set).
    this.running = run;
    const clear = (): void => { if (this.running === run) this.running = undefined; };
    run.then(clear, clear);
    return run;
  }

  private async applyChunk(rows: OutboxRow[]): Promise<DrainReport> {
    // Same object → in order (create before its license/password); different objects → in parallel.
    const byGuid = new Map<string, OutboxRow[]>();
    for (const r of rows) byGuid.set(r.objectGuid, [...(byGuid.get(r.objectGuid) ?? []), r]);
    const queues = [...byGuid.values()];
    const report: DrainReport = { ok: 0, failed: 0, deferred: 0 };
    await this.applyBatched(queues, report);
    const pending = queues.filter((q) => q.length > 0);
    const worker = async (): Promise<void> => {
      for (let q = pending.shift(); q; q = pending.shift()) {
        for (const row of q) {
          const outcome = await this.applyRow(row);
          report[outcome]++;
          if (outcome === 'deferred') break; // keep this object's later rows behind it
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, this.deps.concurrency ?? 4) }, worker));
    return report;
  }

  /**
   * Idempotent PATCHes (attribute updates, enable/disable) at the head of their object's queue go out together in
   * `$batch` requests when the tenant port supports it: same writes, far fewer round trips on a big reconcile.
   */
  private async applyBatched(queues: OutboxRow[][], report: DrainReport): Promise<void> {
    const { store, tenant } = this.deps;
    if (!tenant.patchMany) return;
    const picked: Array<{ q: OutboxRow[]; row: OutboxRow; id: string; patch: OnlinePatch; commit: () => void }> = [];
    for (const q of queues) {
      const row = q[0]!;
      const link = store.getLink(row.objectGuid);
      if (!link || (row.kind !== 'update' && row.kind !== 'set-enabled')) continue;
      const p = JSON.parse(row.payload) as OutboxPayload;
      if (p.kind === 'update') {
        const a = p.account;
        picked.push({ q, row, id: link.onlineId, patch: { ...a.attributes, ...(p.upnChanged ? { userPrincipalName: a.userPrincipalName } : {}), ...(a.usageLocation ? { usageLocation: a.usageLocation } : {}) },
          commit: () => store.saveLink({ ...link, userPrincipalName: a.userPrincipalName, displayName: a.attributes.displayName, hash: a.hash }) });
      } else if (p.kind === 'set-enabled') {
        picked.push({ q, row, id: link.onlineId, patch: { accountEnabled: p.enabled }, commit: () => store.saveLink({ ...link, enabled: p.enabled }) });
      }
    }
    if (picked.length < 2) return;
    picked.forEach((x) => store.markAttempt(x.row.id));
    const results = tenant.patchMany(picked.map(({ id, patch }) => ({ id, patch })));
    await Promise.all(picked.map(async (x, i) => {
      x.q.shift();
      const outcome = await this.applyRow(x.row, async () => {
        const err = (await results)[i];
        if (err) throw err;
        x.commit();
        return undefined;
      }, true);
      report[outcome]++;
      if (outcome === 'deferred') x.q.length = 0; // keep this object's later rows behind it
    }));
  }

  private async applyRow(row: OutboxRow, exec?: () => Promise<string | undefined>, alreadyMarked = false): Promise<'ok' | 'failed' | 'deferred'> {
    const { store } = this.deps;
    const payload = JSON.parse(row.payload) as OutboxPayload;
    const ctx = describeRow(store, row, payload);
    try {
      if (!alreadyMarked) store.markAttempt(row.id);
      const skipped = await (exec ? exec() : this.execute(row, payload));
      store.commitApplied(row, { name: ctx.name, upn: ctx.upn, skipped });
      this.deps.onApplied?.(row, 'ok');
      return 'ok';
    } catch (e) {
      const code = codeOf(e);
      if (code === 'throttled') {
        const wait = (e as AppError).retryAfterMs ?? 1_000;
        this.pauseUntil = Math.max(this.pauseUntil, this.now() + wait);
        store.deferOutbox(row.id, this.now() + wait);
        return 'deferred';
      }
      // An outage (tenant unreachable, sign-in failing) never drops a change; other retryable errors get `maxAttempts` tries.
      const outage = code !== undefined && OUTAGE_CODES.has(code);
      if (outage || (isRetryable(e) && row.attempts + 1 < (this.deps.maxAttempts ?? 8))) {
        store.deferOutbox(row.id, this.now() + Math.min(600_000, 1_000 * 2 ** row.attempts));
        // Shown on the account while it waits (e.g. "could not sign in"), cleared when the change goes through.
        if (row.attempts >= 2 || (code !== undefined && SIGN_IN_CODES.has(code))) store.setIssue(row.objectGuid, row.kind, accountFailure(e, { action: ctx.action, upn: ctx.upn }));
        return 'deferred';
      }
      store.commitFailed(row, { name: ctx.name, upn: ctx.upn, reason: accountFailure(e, { action: ctx.action, upn: ctx.upn }) });
      this.deps.onApplied?.(row, 'failed');
      return 'failed';
    }
  }

  /** Performs one row; returns a reason when there was nothing to do (recorded as 'skipped'). */
  private async execute(row: OutboxRow, p: OutboxPayload): Promise<string | undefined> {
    const { store, tenant } = this.deps;
    const link = store.getLink(row.objectGuid);
    switch (p.kind) {
      case 'create': {
        if (link) return 'already has an online account';
        // A retried create may already have happened: the immutable id (set at creation) recognises our own account.
        let acct: OnlineAccount | undefined;
        if (row.attempts > 0) {
          acct = await tenant.findByImmutableId(p.account.immutableId);
          const byUpn = acct ? undefined : await tenant.findByUpn(p.account.userPrincipalName);
          if (byUpn?.immutableId === p.account.immutableId) acct = byUpn;
        }
        acct ??= await tenant.createUser({
          ...p.account.attributes, userPrincipalName: p.account.userPrincipalName, mailNickname: p.account.mailNickname, immutableId: p.account.immutableId,
          ...(p.account.usageLocation ? { usageLocation: p.account.usageLocation } : {}), accountEnabled: p.account.enabled,
          password: temporaryPassword(), forceChangePassword: false,
        });
        const license: OutboxPayload | undefined = p.skuId ? { kind: 'license', skuId: p.skuId, upn: p.account.userPrincipalName, name: p.account.attributes.displayName } : undefined;
        store.commitCreated(row, { objectGuid: row.objectGuid, onlineId: acct.id, userPrincipalName: p.account.userPrincipalName, displayName: p.account.attributes.displayName, hash: p.account.hash, enabled: p.account.enabled },
          license && p.skuId ? { key: `license:${row.objectGuid}:${p.skuId}`, payload: license } : undefined);
        return undefined;
      }
      case 'license':
        if (!link) return 'has no online account';
        await tenant.assignLicense(link.onlineId, p.skuId);
        return undefined;
      case 'update': {
        if (!link) return 'has no online account';
        const a = p.account;
        await tenant.updateUser(link.onlineId, { ...a.attributes, ...(p.upnChanged ? { userPrincipalName: a.userPrincipalName } : {}), ...(a.usageLocation ? { usageLocation: a.usageLocation } : {}) });
        store.saveLink({ ...link, userPrincipalName: a.userPrincipalName, displayName: a.attributes.displayName, hash: a.hash });
        return undefined;
      }
      case 'set-enabled':
        if (!link) return 'has no online account';
        await tenant.setEnabled(link.onlineId, p.enabled);
        store.saveLink({ ...link, enabled: p.enabled });
        return undefined;
      case 'password': {
        if (!link) {
          if (store.hasOutbox(row.objectGuid, 'create')) throw new AppError('waiting', 'waiting for the account to be created');
          return 'has no online account; the password was not kept';
        }
        const password = await this.deps.vault.open(row.objectGuid, p.sealed);
        await tenant.setPassword(link.onlineId, password, p.forceChange);
        store.markPasswordSynced(row.objectGuid);
        return undefined;
      }
      case 'delete':
        try {
          await tenant.deleteUser(p.onlineId);
        } catch (e) {
          if (codeOf(e) !== 'not-found') throw e; // already deleted (e.g. a retried delete)
        }
        store.commitDeleted(row.objectGuid);
        return undefined;
    }
  }
}

function describeRow(store: SyncStore, row: OutboxRow, p: OutboxPayload): { name: string; upn: string; action: AccountAction } {
  const link = store.getLink(row.objectGuid);
  const action: AccountAction = p.kind;
  switch (p.kind) {
    case 'create':
    case 'update':
      return { name: p.account.attributes.displayName, upn: p.account.userPrincipalName, action };
    case 'license':
      return { name: p.name, upn: p.upn, action };
    case 'delete':
      return { name: p.name, upn: p.upn, action };
    default:
      return { name: link?.displayName ?? store.getDirectoryUser(row.objectGuid)?.displayName ?? row.objectGuid, upn: link?.userPrincipalName ?? '', action };
  }
}
