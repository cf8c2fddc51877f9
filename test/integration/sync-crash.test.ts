// Crash safety against the sandbox tenant over real HTTPS: a child process runs a bulk create + password changes and
// is killed with SIGKILL from outside when the sandbox has recorded its k-th write (so a request may be in flight,
// applied by the tenant, its reply never read). A restart must leave exactly one anchored, licensed account per user
// with the latest password.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { immutableIdOf } from '../../electron/sync/normalize';
import { openStateDb } from '../../electron/sync/state-db';
import type { SandboxTenant } from '../sandbox-tenant/sandbox';
import { makeTempDir } from '../support/temp-dir';
import { makeUsers } from '../support/sync-fakes';
import type { SandboxLink } from '../support/sync-crash-child';
import { appClient, startSandbox, testCertificate } from './tenant-helpers';

const CHILD = path.join(import.meta.dirname, '../support/sync-crash-child.ts');
const N = 4; // 5 scenarios × 4 users stay within the sandbox's 25 licence seats
let sb: SandboxTenant;
let linkFile: string;
let tmp: { dir: string; cleanup(): void };

beforeAll(async () => {
  sb = await startSandbox();
  const { client, reg } = await appClient(sb);
  const sku = (await client.listSkus()).find((s) => s.skuPartNumber === 'O365_BUSINESS_PREMIUM')!;
  const cert = testCertificate();
  tmp = makeTempDir('oe-sync-crash-sb-');
  linkFile = path.join(tmp.dir, 'sandbox.json');
  const link: SandboxLink = { url: sb.url, caPem: sb.caPem, authorityMetadata: sb.authorityMetadata, tenantId: sb.tenantId, clientId: reg.appId, thumbprintSha256: cert.thumbprintSha256, certificatePem: cert.certificatePem, privateKeyPem: cert.privateKeyPem, skuId: String(sku.skuId) };
  fs.writeFileSync(linkFile, JSON.stringify(link), { mode: 0o600 });
  // Every Graph write is carried out, then its reply is held back: a kill lands while the child waits for it.
  await sb.control.setFaults({ rules: ['POST', 'PATCH'].map((method) => ({ path: '^/v1\\.0/', method, rate: 1, kind: 'slow' as const, phase: 'after' as const, delayMs: 60 })) });
}, 120_000);
afterAll(async () => {
  await sb?.stop();
  tmp?.cleanup();
});

const writes = async (): Promise<number> => (await sb.control.actions()).filter((a) => a.method !== 'GET' && a.status < 400 && !a.path.includes('/token')).length;

/** Runs the child; with `killAtWrites`, SIGKILLs it once the sandbox has recorded that many more writes. */
async function runChild(dir: string, start: number, killAtWrites?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const base = await writes();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, String(N), 'none', String(start)], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OE_CRASH_SANDBOX: linkFile } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    let done = false;
    const poll = async (): Promise<void> => {
      while (!done && killAtWrites !== undefined) {
        if ((await writes()) - base >= killAtWrites) { child.kill('SIGKILL'); return; }
        await new Promise((r) => setTimeout(r, 3));
      }
    };
    void poll();
    child.on('exit', (code, signal) => { done = true; resolve({ code, signal, stderr }); });
  });
}

describe('crash safety against the sandbox tenant (kill -9 from outside, then restart)', () => {
  // Writes per user: create, license, password → 3N. Points inside the creates, licenses and passwords.
  const points = [1, 4, N + 2, 2 * N + 1, 3 * N - 2];
  for (const [j, k] of points.entries()) {
    it(`killed after ~${k} tenant writes: no duplicate, no missing account, no lost password`, async () => {
      const start = 100 * (j + 1);
      const dir = fs.mkdtempSync(path.join(tmp.dir, 'run-'));
      const first = await runChild(dir, start, k);
      const db = openStateDb(path.join(dir, 'sync.db'));
      const unfinished = (db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;
      const phase = (db.prepare("SELECT value FROM kv WHERE key = 'phase-b'").get() as { value: string } | undefined)?.value;
      db.close();
      const second = await runChild(dir, start);
      expect(second.stderr).toBe('');
      expect(second.code).toBe(0);
      expect(first.signal).toBe('SIGKILL');
      expect(unfinished > 0 || phase === undefined).toBe(true); // the kill landed with work still to do
      const db2 = openStateDb(path.join(dir, 'sync.db'));
      const failures = db2.prepare("SELECT action, detail FROM audit WHERE outcome = 'failed'").all();
      db2.close();
      expect(failures).toEqual([]);
      const users = (await sb.control.listUsers()) as unknown as Array<{ userPrincipalName: string; onPremisesImmutableId?: string; assignedLicenses?: unknown[] }>;
      for (const [i, d] of makeUsers(N, start).entries()) {
        const upn = `${d.sAMAccountName}@contoso.com`;
        const mine = users.filter((u) => u.userPrincipalName.toLowerCase() === upn);
        expect(mine).toHaveLength(1);
        expect(mine[0]!.onPremisesImmutableId).toBe(immutableIdOf(d.objectGuid));
        expect(mine[0]!.assignedLicenses).toHaveLength(1);
        expect(await sb.control.checkPassword(upn, `Pw-${i}-second!`)).toBe(true);
      }
      expect(users.filter((u) => u.onPremisesImmutableId && makeUsers(N, start).some((d) => immutableIdOf(d.objectGuid) === u.onPremisesImmutableId))).toHaveLength(N);
    }, 90_000);
  }
});
