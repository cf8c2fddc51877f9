// A crash in the middle of a settings write, or one damaged field, must never make the service forget the sync:
// links, queued passwords and the key that protects them survive a restart on whatever the disk holds.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openNodeSettings } from '../../electron/stores/settings-store';
import { OUTBOX_KEY_NAME } from '../../electron/sync/password-vault';
import { openStateDb } from '../../electron/sync/state-db';
import { SyncStore } from '../../electron/sync/state-store';
import { createSyncFeature } from '../../electron/sync/sync-feature';
import { MemorySecretStore } from '../../electron/stores/secret-store';
import { makeTempDir } from '../support/temp-dir';
import { testContext } from '../support/test-context';

const CHILD = path.join(import.meta.dirname, '../support/settings-crash-child.ts');
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const GUIDS = ['0b5c6a52-1f9e-4d7a-9c1e-000000000001', '0b5c6a52-1f9e-4d7a-9c1e-000000000002', '0b5c6a52-1f9e-4d7a-9c1e-000000000003'];

/** An integrated server: settings, three linked accounts, two queued passwords, the queue's key in the keychain. */
function seed(dir: string): MemorySecretStore {
  openNodeSettings(dir).update((s) => ({
    ...s,
    directory: { url: 'ldaps://dc1.corp.example.test:636', bindUpn: 'svc@corp.example.test', scopeDns: [] },
    tenant: {
      endpoints: { authorityHost: 'https://login.example.test', graphBaseUrl: 'https://graph.example.test' }, tenantId: 't-1', clientId: 'c-1',
      certificateThumbprintSha256: 'ab'.repeat(32), defaultDomain: 'contoso.com', adminUpn: 'admin@contoso.onmicrosoft.com', integratedAt: '2026-11-30T10:00:00.000Z',
    },
  }));
  const store = new SyncStore(openStateDb(path.join(dir, 'sync.db')));
  store.bindTarget('t-1', 'ldaps://dc1.corp.example.test:636');
  GUIDS.forEach((g, i) => store.saveLink({ objectGuid: g, onlineId: `online-${i}`, userPrincipalName: `user${i}@contoso.com`, displayName: `User ${i}`, hash: 'h', enabled: true }));
  for (const g of GUIDS.slice(0, 2)) store.enqueue({ key: `password:${g}:1`, objectGuid: g, kind: 'password', payload: { kind: 'password', sealed: { iv: 'x', data: 'y', tag: 'z' }, forceChange: false } });
  store.setKv('first-full-run-at', '2026-11-30T10:05:00.000Z');
  store.close();
  const secrets = new MemorySecretStore();
  secrets.values.set(OUTBOX_KEY_NAME, 'a'.repeat(44));
  return secrets;
}

/** Starts the sync feature on `dir` as the service does after a restart (tenant unreachable), then reads what is left. */
async function restart(dir: string, secrets: MemorySecretStore) {
  const ctx = testContext(dir, { secrets });
  const feature = createSyncFeature(ctx, { timers: false, ports: async () => { throw new Error('Microsoft 365 could not be reached (test).'); } });
  await feature.start?.();
  const status = await feature.handlers['sync:get-status']();
  await feature.dispose?.();
  const store = new SyncStore(openStateDb(path.join(dir, 'sync.db')));
  const left = { links: store.getLinks().size, passwords: store.outboxCount(), key: secrets.values.has(OUTBOX_KEY_NAME) };
  store.close();
  return { status, left, log: ctx.log.lines };
}

function runChild(dir: string, killAt: number): Promise<{ signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, String(killAt)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('exit', (_code, signal) => resolve({ signal, stdout, stderr }));
  });
}

describe('settings crash safety', () => {
  it('keeps links, queued passwords and their key after a kill at any point of a settings write', async () => {
    const kills: number[] = [];
    for (let killAt = 1; ; killAt++) {
      const tmp = makeTempDir('oe-settings-crash-');
      cleanups.push(tmp.cleanup);
      const secrets = seed(tmp.dir);
      const child = await runChild(tmp.dir, killAt);
      if (child.signal !== 'SIGKILL') {
        expect(child.stdout, child.stderr).toMatch(/^done \d+/);
        break; // the child finished before its n-th write: every write step has been a kill point
      }
      kills.push(killAt);
      const { status, left } = await restart(tmp.dir, secrets);
      expect(left, `killed at file operation ${killAt}`).toEqual({ links: 3, passwords: 2, key: true });
      expect(status.state, `killed at file operation ${killAt}`).not.toBe('not-configured');
    }
    expect(kills.length).toBeGreaterThan(10); // four updates, several file operations each
  }, 120_000);

  it('a damaged tenant field: sync stops, says which field and keeps its state; other sections keep working', async () => {
    const tmp = makeTempDir('oe-settings-damaged-');
    cleanups.push(tmp.cleanup);
    const secrets = seed(tmp.dir);
    const file = path.join(tmp.dir, 'config.json');
    const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    raw.tenant.integratedAt = 42;
    fs.writeFileSync(file, JSON.stringify(raw));
    const { status, left, log } = await restart(tmp.dir, secrets);
    expect(left).toEqual({ links: 3, passwords: 2, key: true });
    expect(status.state).toBe('error');
    expect(status.message).toContain('tenant.integratedAt');
    expect(status.message).toContain('kept');
    expect(log.join('\n')).toContain('tenant.integratedAt');
    // Another part of the dashboard saves a setting: the damaged section is written back as it was, not as null.
    openNodeSettings(tmp.dir).update((s) => ({ ...s, sync: { ...s.sync, deleteThreshold: 30 } }));
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).tenant).toEqual(raw.tenant);
  });

  it('a damaged field elsewhere costs only its own section, with a warning naming it', async () => {
    const tmp = makeTempDir('oe-settings-damaged-');
    cleanups.push(tmp.cleanup);
    const secrets = seed(tmp.dir);
    const file = path.join(tmp.dir, 'config.json');
    const raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    raw.sync = { deleteThreshold: -5, fullReconcileMinutes: 60 };
    fs.writeFileSync(file, JSON.stringify(raw));
    const ctx = testContext(tmp.dir, { secrets });
    const s = ctx.settings.get();
    expect(s.sync.deleteThreshold).toBe(10);
    expect(s.tenant?.tenantId).toBe('t-1');
    expect(ctx.log.lines.join('\n')).toContain('sync.deleteThreshold');
    const { left } = await restart(tmp.dir, secrets);
    expect(left).toEqual({ links: 3, passwords: 2, key: true });
  });

  it('only the Disable wizard\'s marker forgets the sync state', async () => {
    const tmp = makeTempDir('oe-settings-disabled-');
    cleanups.push(tmp.cleanup);
    const secrets = seed(tmp.dir);
    openNodeSettings(tmp.dir).update((s) => ({ ...s, tenant: null, integrationDisabledAt: '2026-12-01T09:00:00.000Z' }));
    const { status, left } = await restart(tmp.dir, secrets);
    expect(left).toEqual({ links: 0, passwords: 0, key: false });
    expect(status.state).toBe('not-configured');
  });
});
