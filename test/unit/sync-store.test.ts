import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../electron/stores/secret-store';
import { OUTBOX_KEY_NAME, PasswordVault } from '../../electron/sync/password-vault';
import { csvCell, resultsCsv } from '../../electron/sync/results';
import { InstanceLock, migrate, openStateDb } from '../../electron/sync/state-db';
import { SyncStore } from '../../electron/sync/state-store';
import { makeTempDir } from '../support/temp-dir';
import { makeUsers } from '../support/sync-fakes';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function tmp(): string {
  const t = makeTempDir('oe-sync-');
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('sync state file', () => {
  it('migrates a new file to the latest version once, and again is a no-op', () => {
    const db = openStateDb(path.join(tmp(), 'sync.db'));
    const v = (db.prepare('SELECT version FROM schema_version').get() as { version: number }).version;
    expect(v).toBeGreaterThanOrEqual(1);
    expect(migrate(db)).toBe(v);
    expect((db.prepare('SELECT COUNT(*) AS n FROM schema_version').get() as { n: number }).n).toBe(1);
    db.close();
  });

  it('keeps one outbox row per idempotency key and lets a newer password supersede an older one', () => {
    const store = new SyncStore(openStateDb(path.join(tmp(), 'sync.db')));
    expect(store.enqueue({ key: 'create:a', objectGuid: 'a', kind: 'create', payload: {} })).toBe(true);
    expect(store.enqueue({ key: 'create:a', objectGuid: 'a', kind: 'create', payload: {} })).toBe(false);
    store.enqueue({ key: 'password:a:1', objectGuid: 'a', kind: 'password', payload: { n: 1 } });
    store.enqueue({ key: 'password:a:2', objectGuid: 'a', kind: 'password', payload: { n: 2 } });
    store.enqueue({ key: 'delete:b', objectGuid: 'b', kind: 'delete', payload: {} });
    store.enqueue({ key: 'update:b', objectGuid: 'b', kind: 'update', payload: {} });
    expect(store.dueOutbox(10).map((r) => r.key)).toEqual(['create:a', 'update:b', 'password:a:2', 'delete:b']);
    const [first] = store.dueOutbox(1);
    store.deferOutbox(first!.id, Date.now() + 60_000);
    expect(store.dueOutbox(10).map((r) => r.key)).not.toContain('create:a');
    expect(store.outboxCount()).toBe(4);
  });

  it('removes every piece of sync state when integration is disabled, keeping the audit history', () => {
    const store = new SyncStore(openStateDb(path.join(tmp(), 'sync.db')));
    expect(store.forgetIntegration()).toBe(false); // never integrated: nothing to forget
    store.bindTarget('tenant-1', 'ldaps://dc1');
    store.enqueue({ key: 'password:a:1', objectGuid: 'a', kind: 'password', payload: { sealed: 'x' } });
    store.setCursor('directory-feed', 'cookie');
    expect(store.forgetIntegration()).toBe(true);
    expect(store.outboxCount()).toBe(0);
    expect(store.getCursor('directory-feed')).toBeUndefined();
    expect(store.getKv('bound-tenant')).toBeUndefined();
    expect(store.listAudit().map((a) => a.action)).toContain('disable');
    expect(store.forgetIntegration()).toBe(false);
  });

  it('forgets links, queued work and cursors when re-bound to another tenant, only the cursor for another directory', () => {
    const store = new SyncStore(openStateDb(path.join(tmp(), 'sync.db')));
    expect(store.bindTarget('t1', 'ldaps://a')).toEqual({ tenantChanged: false, directoryChanged: false });
    store.saveLink({ objectGuid: 'g', onlineId: 'o', userPrincipalName: 'u@c.com', displayName: 'U', hash: 'h', enabled: true });
    store.enqueue({ key: 'k', objectGuid: 'g', kind: 'update', payload: {} });
    store.setCursor('directory-feed', 'cookie');
    store.setKv('first-full-run-at', 'x');
    expect(store.bindTarget('t1', 'ldaps://a')).toEqual({ tenantChanged: false, directoryChanged: false });
    expect(store.getLink('g')).toBeDefined();
    expect(store.bindTarget('t1', 'ldaps://b')).toEqual({ tenantChanged: false, directoryChanged: true });
    expect([store.getLink('g') !== undefined, store.getCursor('directory-feed'), store.outboxCount()]).toEqual([true, undefined, 1]);
    expect(store.bindTarget('t2', 'ldaps://b')).toEqual({ tenantChanged: true, directoryChanged: false });
    expect([store.getLink('g'), store.outboxCount(), store.getKv('first-full-run-at')]).toEqual([undefined, 0, undefined]);
  });

  it('pages and searches 10,000 directory users quickly', () => {
    const store = new SyncStore(openStateDb(path.join(tmp(), 'sync.db')));
    const users = makeUsers(10_000);
    store.upsertDirectoryUsers(users);
    store.saveLink({ objectGuid: users[5]!.objectGuid, onlineId: 'o5', userPrincipalName: 'user5@contoso.com', displayName: 'User 5', hash: 'h', enabled: true });
    const t0 = performance.now();
    const page = store.listAccounts({ offset: 100, limit: 50 });
    const found = store.listAccounts({ offset: 0, limit: 50, search: 'user 999' });
    const online = store.listAccounts({ offset: 0, limit: 50, filter: 'online' });
    const elapsed = performance.now() - t0;
    expect(page.total).toBe(10_000);
    expect(page.rows).toHaveLength(50);
    expect(found.rows.map((r) => r.displayName).sort()).toEqual(['User 999', 'User 9990', 'User 9991', 'User 9992', 'User 9993', 'User 9994', 'User 9995', 'User 9996', 'User 9997', 'User 9998', 'User 9999']);
    expect(online.rows.map((r) => r.onlineUpn)).toEqual(['user5@contoso.com']);
    expect(elapsed).toBeLessThan(500);
    // LIKE wildcards in the search are literal.
    expect(store.listAccounts({ offset: 0, limit: 5, search: '%' }).total).toBe(0);
  });
});

describe('single-instance lock', () => {
  it('refuses a second holder while the first is alive and takes over a stale or dead one', () => {
    const file = path.join(tmp(), 'sync.db');
    const a = new InstanceLock(openStateDb(file));
    const b = new InstanceLock(openStateDb(file));
    expect(a.tryAcquire().ok).toBe(true);
    const refused = b.tryAcquire();
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.holder.pid).toBe(process.pid);
    a.release();
    expect(b.tryAcquire().ok).toBe(true);
    expect(a.held()).toBe(false);
    b.release();

    // A holder killed with -9: its pid no longer exists, so the lock is taken over at once.
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const deadPid = Number(child.stdout.toString());
    const dead = new InstanceLock(openStateDb(file), { pid: deadPid });
    expect(dead.tryAcquire().ok).toBe(true);
    dead.release();
    const c = new InstanceLock(openStateDb(file), { pid: deadPid });
    c.tryAcquire();
    expect(new InstanceLock(openStateDb(file)).tryAcquire().ok).toBe(true);
    // Alive but silent for longer than staleMs: taken over too.
    const d = new InstanceLock(openStateDb(file));
    const e = new InstanceLock(openStateDb(file), { staleMs: 0 });
    d.tryAcquire();
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5); // d's heartbeat is now older than staleMs (0)
    expect(e.tryAcquire().ok).toBe(true);
    [c, d, e].forEach((l) => l.release());
  });
});

describe('password vault', () => {
  it('seals with AES-256-GCM under a keychain key, bound to the object, and never stores cleartext', async () => {
    const secrets = new MemorySecretStore();
    const vault = new PasswordVault(secrets);
    const sealed = await vault.seal('guid-a', 'Sup3r-Secret!');
    expect(JSON.stringify(sealed)).not.toContain('Sup3r');
    expect(Buffer.from(secrets.values.get(OUTBOX_KEY_NAME)!, 'base64')).toHaveLength(32);
    expect(await vault.open('guid-a', sealed)).toBe('Sup3r-Secret!');
    await expect(vault.open('guid-b', sealed)).rejects.toThrow();
    await expect(new PasswordVault(new MemorySecretStore()).open('guid-a', sealed)).rejects.toThrow();
    expect(await new PasswordVault(secrets).open('guid-a', sealed)).toBe('Sup3r-Secret!');
  });
});

describe('results file', () => {
  it('quotes commas and neutralises formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('=cmd()')).toBe("'=cmd()");
    const csv = resultsCsv([{ objectGuid: 'g', name: 'Smith, J', upn: 'j@c.com', action: 'create', outcome: 'failed', reason: 'the name j@c.com is already used', at: 't' }]);
    expect(csv.split('\r\n')[1]).toBe('"Smith, J",j@c.com,create,failed,the name j@c.com is already used,t,g');
  });
});
