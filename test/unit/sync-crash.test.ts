import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { immutableIdOf } from '../../electron/sync/normalize';
import { makeTempDir } from '../support/temp-dir';
import { makeUsers, type FakeOnlineUser } from '../support/sync-fakes';

const CHILD = path.join(import.meta.dirname, '../support/sync-crash-child.ts');

const N = 8;
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** Runs the child; `killAtMutation` makes the parent send SIGKILL when the child reports that remote change (racing it). */
function runChild(dir: string, crashAt: number | 'none', killAtMutation?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, String(N), String(crashAt)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.stdout.on('data', (d: Buffer) => { if (killAtMutation !== undefined && d.toString().includes(`m${killAtMutation}\n`)) child.kill('SIGKILL'); });
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
}

function assertConsistent(dir: string): void {
  const users = JSON.parse(fs.readFileSync(path.join(dir, 'tenant.json'), 'utf8')) as FakeOnlineUser[];
  const live = users.filter((u) => !u.deleted);
  const expected = makeUsers(N);
  // No duplicate and no missing account: exactly one online user per directory user, anchored to it.
  expect(live.map((u) => u.userPrincipalName).sort()).toEqual(expected.map((u) => `${u.sAMAccountName}@contoso.com`).sort());
  for (const [i, d] of expected.entries()) {
    const u = live.find((x) => x.userPrincipalName === `${d.sAMAccountName}@contoso.com`)!;
    expect(u.immutableId).toBe(immutableIdOf(d.objectGuid));
    expect(u.licenses).toEqual(['sku']);
    // No lost password change.
    expect(u.password).toBe(`Pw-${i}-second!`);
  }
}

describe('crash safety: kill -9 during a bulk create and password push, then restart', () => {
  // Remote mutations: N creates, N licenses, N passwords. Kill right after the k-th one reached the tenant.
  for (const k of [1, 4, N, N + 1, 2 * N, 2 * N + 3, 3 * N - 1]) {
    it(`killed after remote change #${k}: restart completes with no duplicate, no missing account, no lost password`, async () => {
      const t = makeTempDir('oe-sync-crash-');
      cleanups.push(t.cleanup);
      const first = await runChild(t.dir, k);
      expect(first.signal).toBe('SIGKILL');
      const second = await runChild(t.dir, 'none');
      expect(second.stderr).toBe('');
      expect(second.code).toBe(0);
      assertConsistent(t.dir);
    }, 60_000);
  }

  it('killed from outside while busy (racing the child), twice, then restarted', async () => {
    const t = makeTempDir('oe-sync-crash-');
    cleanups.push(t.cleanup);
    const a = await runChild(t.dir, 'none', 3);
    const b = await runChild(t.dir, 'none', 5);
    expect([a.signal, b.signal]).toEqual(['SIGKILL', 'SIGKILL']);
    const last = await runChild(t.dir, 'none');
    expect(last.stderr).toBe('');
    expect(last.code).toBe(0);
    assertConsistent(t.dir);
  }, 60_000);
});
