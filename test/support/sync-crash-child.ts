// Child process for sync-crash.test.ts: a bulk create + password changes against a file-backed fake tenant, killed
// with SIGKILL right after its k-th remote change (before the engine could record it), then restarted without a kill.
// With OE_CRASH_SANDBOX (a JSON file: sandbox URL, CA, app credential, SKU) it talks to the sandbox tenant over HTTPS
// instead, and test/integration/sync-crash.test.ts kills it from outside.
import fs from 'node:fs';
import path from 'node:path';
import { MemorySecretStore } from '../../electron/stores/secret-store';
import { SyncEngine } from '../../electron/sync/engine';
import { OUTBOX_KEY_NAME, PasswordVault } from '../../electron/sync/password-vault';
import { InstanceLock, openStateDb } from '../../electron/sync/state-db';
import { SyncStore } from '../../electron/sync/state-store';
import { TenantAdapter } from '../../electron/sync/tenant-adapter';
import { TenantClient } from '../../electron/tenant/tenant-client';
import type { TenantTarget } from '../../electron/sync/ports';
import { FakeDirectory, FakeTenantTarget, makeUsers } from './sync-fakes';

/** What the integration test hands the child to reach the sandbox. */
export interface SandboxLink { url: string; caPem: string; authorityMetadata: string; tenantId: string; clientId: string; thumbprintSha256: string; certificatePem: string; privateKeyPem: string; skuId: string }

function sandboxTenant(file: string): { tenant: TenantTarget; skuId: string } {
  const l = JSON.parse(fs.readFileSync(file, 'utf8')) as SandboxLink;
  const secrets = new MemorySecretStore();
  secrets.values.set('k', l.privateKeyPem);
  const client = new TenantClient({
    endpoints: { authorityHost: l.url, graphBaseUrl: l.url, caPem: l.caPem, authorityMetadata: l.authorityMetadata }, tenantId: l.tenantId, clientId: l.clientId,
    retry: { maxTransientRetries: 8, maxThrottleRetries: 200, baseDelayMs: 20, maxDelayMs: 500 },
    credential: { kind: 'certificate', thumbprintSha256: l.thumbprintSha256, certificatePem: l.certificatePem, privateKeySecretName: 'k', secrets },
  });
  return { tenant: new TenantAdapter(client), skuId: l.skuId };
}

const [dir = '.', nArg = '10', crashArg = 'none', startArg = '0'] = process.argv.slice(2);
const n = Number(nArg);
const start = Number(startArg);
const crashAt = crashArg === 'none' ? Infinity : Number(crashArg);

async function main(): Promise<void> {
  const db = openStateDb(path.join(dir, 'sync.db'));
  const store = new SyncStore(db);
  const lock = new InstanceLock(db);
  if (!lock.tryAcquire().ok) throw new Error('lock held');
  const sandbox = process.env.OE_CRASH_SANDBOX ? sandboxTenant(process.env.OE_CRASH_SANDBOX) : undefined;
  const fake = new FakeTenantTarget(path.join(dir, 'tenant.json'));
  fake.afterMutation = (_m, count) => {
    process.stdout.write(`m${count}\n`); // lets the parent time an outside kill
    if (count >= crashAt) process.kill(process.pid, 'SIGKILL');
  };
  const tenant: TenantTarget = sandbox?.tenant ?? fake;
  const secrets = new MemorySecretStore();
  const keyFile = path.join(dir, 'keychain');
  if (fs.existsSync(keyFile)) secrets.values.set(OUTBOX_KEY_NAME, fs.readFileSync(keyFile, 'utf8'));
  const vault = new PasswordVault(secrets);
  await vault.seal('probe', 'probe');
  fs.writeFileSync(keyFile, secrets.values.get(OUTBOX_KEY_NAME)!);
  const directory = new FakeDirectory(makeUsers(n, start));
  const cfg = { normalize: { domain: 'contoso.com', verifiedDomains: ['contoso.com'], usageLocation: 'US', tenantId: 't' }, skuId: sandbox?.skuId ?? 'sku', deleteThreshold: 10 };
  const engine = new SyncEngine({ store, directory, tenant, vault, config: () => cfg, resultsDir: path.join(dir, 'results'), concurrency: 3 });

  await engine.drain(); // resume whatever a killed run left in the outbox
  if (!store.getKv('phase-a')) {
    await engine.addOnlineAccounts([...directory.users.keys()]); // the admin's bulk request (re-asked if it never got queued)
    store.setKv('phase-a', 'done');
  }
  if (!store.getKv('phase-b')) {
    for (const [i, g] of [...directory.users.keys()].entries()) await engine.queuePassword(g, `Pw-${i}-second!`, new Date(1000 + i));
    store.setKv('phase-b', 'queued');
  }
  await engine.drain();
  lock.release();
  process.stdout.write(JSON.stringify({ outbox: store.outboxCount() }));
}

main().catch((e: unknown) => {
  process.stderr.write(String(e instanceof Error ? e.stack : e));
  process.exit(2);
});
