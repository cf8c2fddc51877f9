import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../electron/stores/secret-store';
import { DELETES_PENDING_KEY, SyncEngine, type RunReport } from '../../electron/sync/engine';
import { PasswordVault } from '../../electron/sync/password-vault';
import { AppError } from '../../electron/core/errors';
import { openStateDb } from '../../electron/sync/state-db';
import { SyncStore } from '../../electron/sync/state-store';
import { makeTempDir } from '../support/temp-dir';
import { FakeDirectory, FakeTenantTarget, makeUsers } from '../support/sync-fakes';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function setup(n = 5, threshold = 10) {
  const t = makeTempDir('oe-sync-');
  cleanups.push(t.cleanup);
  const store = new SyncStore(openStateDb(path.join(t.dir, 'sync.db')));
  const directory = new FakeDirectory(makeUsers(n));
  const tenant = new FakeTenantTarget();
  const secrets = new MemorySecretStore();
  const cfg = { normalize: { domain: 'contoso.com', verifiedDomains: ['contoso.com'], usageLocation: 'US', tenantId: 't1' }, skuId: 'sku-1', deleteThreshold: threshold };
  const engine = new SyncEngine({ store, directory, tenant, vault: new PasswordVault(secrets), config: () => cfg, resultsDir: path.join(t.dir, 'results'), sleep: async () => undefined });
  const guids = [...directory.users.keys()];
  return { store, directory, tenant, engine, guids, dir: t.dir, cfg, secrets };
}
const isReport = (r: RunReport | { refused: string }): r is RunReport => 'runId' in r;

describe('sync engine (fakes of its own ports)', () => {
  it('creates chosen users once, with mapped UPN, anchor, usage location and license', async () => {
    const s = setup(3);
    const r = await s.engine.addOnlineAccounts(s.guids.slice(0, 2));
    expect(s.tenant.actions.sort()).toEqual(['create user0@contoso.com', 'create user1@contoso.com', 'license user0@contoso.com', 'license user1@contoso.com']);
    const u0 = s.tenant.live().find((u) => u.userPrincipalName === 'user0@contoso.com')!;
    expect(u0).toMatchObject({ usageLocation: 'US', licenses: ['sku-1'], accountEnabled: true, displayName: 'User 0' });
    expect(Buffer.from(u0.immutableId!, 'base64')).toHaveLength(16);
    expect(r.drained).toMatchObject({ failed: 0 });
    expect(s.store.getRun(r.runId)).toMatchObject({ ok: 4, failed: 0 });
    expect(fs.readFileSync(r.resultsFile!, 'utf8')).toContain('user1@contoso.com,create,ok');
    // Asking again creates nothing and says why.
    const again = await s.engine.addOnlineAccounts(s.guids.slice(0, 2));
    expect(s.tenant.actions).toHaveLength(4);
    expect(s.store.listResults(again.runId).map((x) => x.reason)).toEqual(['already has an online account', 'already has an online account']);
  });

  it('records a failed account with its reason in plain words and keeps going', async () => {
    const s = setup(3);
    await s.tenant.createUser({ userPrincipalName: 'user1@contoso.com', mailNickname: 'x', immutableId: 'other', accountEnabled: true, password: 'Passw0rd!x', forceChangePassword: false, displayName: 'Someone else', givenName: null, surname: null, jobTitle: null, department: null, businessPhones: [], mobilePhone: null, officeLocation: null });
    const r = await s.engine.addOnlineAccounts(s.guids);
    const results = s.store.listResults(r.runId).filter((x) => x.action === 'create');
    expect(results.map((x) => x.outcome)).toEqual(['ok', 'failed', 'ok']);
    expect(results[1]!.reason).toContain('the name user1@contoso.com is already used by another online account');
    expect(s.store.listAccounts({ offset: 0, limit: 10, filter: 'issues' }).rows.map((x) => x.sAMAccountName)).toEqual(['user1']);
    expect(fs.readFileSync(r.resultsFile!, 'utf8')).toContain('failed,"the name user1@contoso.com is already used');
  });

  it('requires a matching preview before the first full run and applies exactly that plan', async () => {
    const s = setup(3);
    await s.engine.addOnlineAccounts(s.guids);
    s.directory.users.get(s.guids[0]!)!.title = 'Manager';
    expect(await s.engine.runFull()).toEqual({ refused: 'Preview the first sync before running it.' });
    const { plan, token } = await s.engine.preview();
    expect(plan.ops.map((o) => o.kind)).toEqual(['update']);
    expect(s.tenant.actions.filter((a) => a.startsWith('update'))).toEqual([]); // dry run applied nothing
    s.directory.users.get(s.guids[1]!)!.title = 'Changed after preview';
    expect(await s.engine.runFull({ previewToken: token })).toMatchObject({ refused: expect.stringContaining('changed since the preview') });
    const again = await s.engine.preview();
    const run = await s.engine.runFull({ previewToken: again.token });
    expect(isReport(run) && run.drained.ok).toBe(2);
    expect(s.tenant.live().find((u) => u.userPrincipalName === 'user0@contoso.com')!.attributes.jobTitle).toBe('Manager');
    // Later runs need no token, and an unchanged directory means no calls.
    const before = s.tenant.actions.length;
    expect(isReport(await s.engine.runFull())).toBe(true);
    expect(s.tenant.actions.length).toBe(before);
  });

  it('follows disable, re-enable and delete from the change feed', async () => {
    const s = setup(3);
    await s.engine.addOnlineAccounts(s.guids);
    const g = s.guids[1]!;
    s.directory.users.get(g)!.enabled = false;
    await s.engine.applyChanges([{ kind: 'upsert', objectGuid: g }]);
    expect(s.tenant.live().find((u) => u.userPrincipalName === 'user1@contoso.com')!.accountEnabled).toBe(false);
    s.directory.users.get(g)!.enabled = true;
    await s.engine.applyChanges([{ kind: 'upsert', objectGuid: g }]);
    expect(s.tenant.actions.slice(-2)).toEqual(['disable user1@contoso.com', 'enable user1@contoso.com']);
    s.directory.users.delete(g);
    await s.engine.applyChanges([{ kind: 'delete', objectGuid: g }]);
    // A delete from the feed is not applied on its own: it waits for the reconcile that counts all recent deletes.
    expect(s.tenant.users.find((u) => u.userPrincipalName === 'user1@contoso.com')!.deleted).toBeFalsy();
    expect(s.store.getKv(DELETES_PENDING_KEY)).toBeTruthy();
    const t = await s.engine.preview(); // (this engine never ran its first full sync)
    await s.engine.runFull({ kind: 'reconcile', previewToken: t.token });
    expect(s.tenant.users.find((u) => u.userPrincipalName === 'user1@contoso.com')!.deleted).toBe(true);
    expect(s.store.getLink(g)).toBeUndefined();
  });

  it('pauses over the delete threshold with the names, then applies or keeps on the admin decision', async () => {
    const s = setup(6, 2);
    await s.engine.addOnlineAccounts(s.guids);
    const t = await s.engine.preview();
    await s.engine.runFull({ previewToken: t.token });
    s.guids.slice(0, 4).forEach((g) => s.directory.users.delete(g));
    const r = await s.engine.runFull();
    expect(isReport(r) && r.paused).toBe(true);
    expect(s.store.listPendingDeletes().map((d) => d.displayName)).toEqual(['User 0', 'User 1', 'User 2', 'User 3']);
    expect(s.tenant.actions.filter((a) => a.startsWith('delete'))).toEqual([]);
    await s.engine.approveDeletes(s.guids.slice(0, 3));
    expect(s.tenant.actions.filter((a) => a.startsWith('delete')).sort()).toEqual(['delete user0@contoso.com', 'delete user1@contoso.com', 'delete user2@contoso.com']);
    // The unapproved one stays held although 1 ≤ threshold: only the admin's decision releases it.
    expect(s.store.listPendingDeletes().map((d) => d.displayName)).toEqual(['User 3']);
    expect(s.tenant.live().map((u) => u.userPrincipalName)).toContain('user3@contoso.com');
    s.engine.rejectDeletes([s.guids[3]!]);
    expect(s.store.listPendingDeletes()).toEqual([]);
    await s.engine.runFull();
    expect(s.tenant.live().map((u) => u.userPrincipalName)).toContain('user3@contoso.com');
    // Restored in AD, the kept account is an ordinary synced account again: a later delete is proposed as usual.
    s.directory.users.set(s.guids[3]!, makeUsers(4)[3]!);
    await s.engine.runFull();
    expect(s.store.getLink(s.guids[3]!)?.deleteHold).toBe(false);
    s.directory.users.delete(s.guids[3]!);
    await s.engine.applyChanges([{ kind: 'delete', objectGuid: s.guids[3]! }]);
    expect(s.tenant.actions.at(-1)).not.toBe('delete user3@contoso.com');
    await s.engine.runFull({ kind: 'reconcile' });
    expect(s.tenant.actions.at(-1)).toBe('delete user3@contoso.com');
  });

  it('pushes captured passwords encrypted at rest, and says why when the tenant refuses one', async () => {
    const s = setup(2);
    await s.engine.addOnlineAccounts(s.guids);
    const g = s.guids[0]!;
    expect(await s.engine.queuePassword(g, 'Old-Passw0rd!', new Date(1))).toBe(true);
    expect(await s.engine.queuePassword(g, 'New-Passw0rd!', new Date(2))).toBe(true);
    // Read the queue as anyone with a copy of sync.db would: a second connection, no key.
    const reader = new Database(path.join(s.dir, 'sync.db'), { readonly: true });
    const raw = (reader.prepare('SELECT payload FROM outbox').all() as Array<{ payload: string }>).map((r) => r.payload).join();
    reader.close();
    expect(raw).not.toContain('Passw0rd');
    expect(s.store.outboxCount()).toBe(1); // superseded
    await s.engine.drain();
    expect(s.tenant.live().find((u) => u.userPrincipalName === 'user0@contoso.com')!.password).toBe('New-Passw0rd!');
    expect(s.store.outboxCount()).toBe(0);
    await s.engine.queuePassword(g, 'short', new Date(3));
    await s.engine.drain();
    const row = s.store.listAccounts({ offset: 0, limit: 5, filter: 'issues' }).rows[0]!;
    expect(row.issue).toContain('does not meet the online password rules');
    expect(s.store.outboxCount()).toBe(0); // a refused secret is not kept
    expect(await s.engine.queuePassword('99999999-0000-0000-0000-000000000000', 'X-Passw0rd!', new Date())).toBe(false);
  });

  it('waits out throttling and retries transient failures without losing the change', async () => {
    const s = setup(2);
    const waits: number[] = [];
    const store = s.store;
    const engine = new SyncEngine({ store, directory: s.directory, tenant: s.tenant, vault: new PasswordVault(s.secrets), config: () => s.cfg, resultsDir: path.join(s.dir, 'r2'), sleep: async (ms) => { waits.push(ms); await new Promise((r) => setTimeout(r, Math.min(ms, 5))); } });
    s.tenant.failNext('createUser', new AppError('throttled', 'Too many requests', { retryAfterMs: 30 }));
    s.tenant.failNext('createUser', new AppError('throttled', 'Too many requests', { retryAfterMs: 30 }));
    const r = await engine.addOnlineAccounts(s.guids);
    expect(waits.length).toBeGreaterThanOrEqual(1);
    expect(s.tenant.live()).toHaveLength(2);
    expect(store.getRun(r.runId)).toMatchObject({ failed: 0 });
  });

  it('keeps retrying through a long tenant outage, but gives up on an unknown error after the attempt limit', async () => {
    const s = setup(2);
    let clock = Date.now();
    const engine = new SyncEngine({ store: s.store, directory: s.directory, tenant: s.tenant, vault: new PasswordVault(s.secrets), config: () => s.cfg, resultsDir: path.join(s.dir, 'r3'),
      now: () => clock, sleep: async (ms) => { clock += ms; } });
    // 12 outage failures: more than the attempt limit (8), with backoff reaching minutes.
    for (let i = 0; i < 12; i++) s.tenant.failNext('createUser', new AppError('service-error', 'Service unavailable'));
    const r = await engine.addOnlineAccounts([s.guids[0]!]);
    // Long waits are left to the runtime's retry timer: play it.
    for (let i = 0; i < 20 && s.store.outboxCount() > 0; i++) {
      clock += 600_000;
      await engine.drain();
    }
    expect(s.tenant.live().map((u) => u.userPrincipalName)).toEqual(['user0@contoso.com']);
    expect(s.store.getRun(r.runId)).toMatchObject({ ok: 2, failed: 0 });
    expect(clock - Date.now()).toBeGreaterThan(60_000); // it really waited (virtual) minutes, not a hot loop
    // An error the engine does not understand: retried, then reported (not retried forever).
    for (let i = 0; i < 20; i++) s.tenant.failNext('createUser', new Error('socket hang up') as never);
    const r2 = await engine.addOnlineAccounts([s.guids[1]!]);
    for (let i = 0; i < 20 && s.store.outboxCount() > 0; i++) {
      clock += 600_000;
      await engine.drain();
    }
    expect(s.store.getRun(r2.runId)).toMatchObject({ failed: 1 });
    expect(s.store.listResults(r2.runId)[0]!.reason).toBe('an unexpected error occurred while talking to Microsoft 365; try again later.');
  });

  it('sends a reconcile\'s attribute and sign-in changes together in $batch, with per-account outcomes', async () => {
    const s = setup(6);
    await s.engine.addOnlineAccounts(s.guids);
    const t = await s.engine.preview();
    await s.engine.runFull({ previewToken: t.token });
    s.tenant.batching = true;
    s.guids.slice(0, 4).forEach((g) => { s.directory.users.get(g)!.department = 'Finance'; });
    s.directory.users.get(s.guids[4]!)!.enabled = false;
    // One account was deleted by hand in the admin center: its item fails, the others succeed.
    const gone = s.tenant.live().find((u) => u.userPrincipalName === 'user3@contoso.com')!;
    gone.deleted = true;
    const r = await s.engine.runFull();
    expect(s.tenant.batches).toEqual([5]);
    expect(s.tenant.live().filter((u) => u.attributes.department === 'Finance').map((u) => u.userPrincipalName).sort()).toEqual(['user0@contoso.com', 'user1@contoso.com', 'user2@contoso.com']);
    expect(s.tenant.live().find((u) => u.userPrincipalName === 'user4@contoso.com')!.accountEnabled).toBe(false);
    const failed = s.store.listResults((r as RunReport).runId).filter((x) => x.outcome === 'failed');
    expect(failed.map((x) => [x.upn, x.reason])).toEqual([['user3@contoso.com', 'the online account no longer exists (it may have been deleted in the Microsoft 365 admin center).']]);
    // Applied changes are remembered: nothing is re-sent except the failed one.
    const before = s.tenant.actions.length;
    await s.engine.runFull();
    expect(s.tenant.actions.length).toBe(before);
    expect(s.tenant.batches).toEqual([5]);
  });

  it('never drops a password change because sign-in to the tenant fails for a while, and says so meanwhile', async () => {
    const s = setup(1);
    let clock = Date.now();
    const engine = new SyncEngine({ store: s.store, directory: s.directory, tenant: s.tenant, vault: new PasswordVault(s.secrets), config: () => s.cfg, resultsDir: path.join(s.dir, 'r4'),
      now: () => clock, sleep: async (ms) => { clock += ms; } });
    await engine.addOnlineAccounts(s.guids);
    for (let i = 0; i < 10; i++) s.tenant.failNext('setPassword', new AppError('unauthorized', 'AADSTS700024'));
    await engine.queuePassword(s.guids[0]!, 'Kept-Through-Outage-1', new Date());
    await engine.drain();
    expect(s.store.getIssue(s.guids[0]!)).toContain('could not sign in to Microsoft 365');
    expect(s.store.getIssue(s.guids[0]!)).not.toContain('AADSTS');
    for (let i = 0; i < 20 && s.store.outboxCount() > 0; i++) {
      clock += 600_000;
      await engine.drain();
    }
    expect(s.tenant.live()[0]!.password).toBe('Kept-Through-Outage-1');
    expect(s.store.getIssue(s.guids[0]!)).toBeUndefined();
  });
});

describe('password vault', () => {
  it('uses one key when the first seals run concurrently, so every queued password can be opened later', async () => {
    const secrets = new MemorySecretStore();
    const vault = new PasswordVault(secrets);
    const sealed = await Promise.all(['a', 'b', 'c'].map((g, i) => vault.seal(g, `Pass-${i}-Aa!`)));
    const later = new PasswordVault(secrets); // e.g. after a restart: the key comes from the keychain
    expect(await Promise.all(sealed.map((s, i) => later.open(['a', 'b', 'c'][i]!, s)))).toEqual(['Pass-0-Aa!', 'Pass-1-Aa!', 'Pass-2-Aa!']);
  });
});
