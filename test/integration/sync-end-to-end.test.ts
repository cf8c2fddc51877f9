// The sync engine end to end: a real Samba DC (LDAPS, DirSync feed, syncpasswords capture) and the sandbox tenant
// (Graph over HTTPS). Assertions are on what the sandbox recorded and on its password check, like a controller test.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryClient, type DirectoryConfig } from '../../electron/directory/directory-client';
import { SambaPasswordCapture } from '../../electron/directory/samba-password-capture';
import { openNodeSettings } from '../../electron/stores/settings-store';
import type { TenantClient } from '../../electron/tenant/tenant-client';
import { DirectoryAdapter } from '../../electron/sync/directory-adapter';
import { immutableIdOf } from '../../electron/sync/normalize';
import { createSyncFeature } from '../../electron/sync/sync-feature';
import { TenantAdapter } from '../../electron/sync/tenant-adapter';
import { loopbackIp, startTestDc, type TestDc } from '../samba/dc-harness';
import type { SandboxTenant } from '../sandbox-tenant/sandbox';
import { makeTempDir } from '../support/temp-dir';
import { testContext } from '../support/test-context';
import { appClient, startSandbox } from './tenant-helpers';

const N = 5;
let dc: TestDc;
let sb: SandboxTenant;
let client: TenantClient;
let admin: DirectoryClient;
let ou: string;
let feature: ReturnType<typeof createSyncFeature>;
let tmp: { dir: string; cleanup(): void };
const guids: string[] = [];
const upnOf = (i: number) => `sync.user${i}@contoso.com`;

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  [dc, sb] = await Promise.all([startTestDc({ ip: loopbackIp(8), passwordCapture: true }), startSandbox()]);
  ({ client } = await appClient(sb));
  const cfg: DirectoryConfig = { url: dc.url, bindUpn: dc.adminUpn, password: dc.adminPassword, tls: { caPem: dc.caPem, serverName: dc.dnsHostName } };
  admin = new DirectoryClient(cfg);
  ou = await admin.ensureOu(dc.domainDn, 'SyncE2E');
  for (let i = 0; i < N; i++) {
    const u = await admin.createUser({ parentDn: ou, sAMAccountName: `sync.user${i}`, userPrincipalName: `sync.user${i}@${dc.realm.toLowerCase()}`, givenName: 'Sync', sn: `User${i}`, displayName: `Sync User ${i}`, title: 'Clerk', password: `First-Pass-${i}!x` });
    guids.push(u.objectGuid);
  }
  const skus = await client.listSkus();
  const sku = skus.find((s) => s.skuPartNumber === 'O365_BUSINESS_PREMIUM')!;
  tmp = makeTempDir('oe-sync-e2e-');
  openNodeSettings(tmp.dir).update((s) => ({ ...s, tenant: { endpoints: { authorityHost: sb.url, graphBaseUrl: sb.url }, tenantId: sb.tenantId, defaultDomain: 'contoso.com', defaultUsageLocation: 'GB', defaultSkuId: String(sku.skuId), integratedAt: new Date().toISOString() } }));
  const ctx = testContext(tmp.dir);
  const tenant = new TenantAdapter(client);
  const domains = await tenant.domains();
  const directory = new DirectoryAdapter(new DirectoryClient(cfg), { scopeDns: [ou], feed: { wake: 'notify' } });
  const passwords = new SambaPasswordCapture({ smbConf: dc.smbConf, gnupgHome: dc.gnupgHome!, stateDir: path.join(tmp.dir, 'pwcapture') });
  feature = createSyncFeature(ctx, { timers: false, ports: async () => ({ directory, tenant, domains, passwords: { start: (cb) => passwords.start(cb), stop: () => passwords.stop() } }) });
  await feature.start!();
}, 240_000);

afterAll(async () => {
  await feature?.dispose?.();
  await admin?.close();
  await Promise.all([dc?.stop(), sb?.stop()]);
  tmp?.cleanup();
});

describe('sync engine against Samba AD and the sandbox tenant', () => {
  it('creates the chosen users online once, on the verified domain, anchored and licensed', async () => {
    const h = feature.handlers;
    const dry = await h['sync:add-online-accounts']({ guids, dryRun: true });
    expect(dry.preview?.items.map((i) => i.userPrincipalName).sort()).toEqual(guids.map((_, i) => upnOf(i)).sort());
    expect((await sb.control.actions()).filter((a) => a.method === 'POST' && a.path.endsWith('/users'))).toHaveLength(0);
    const run = await h['sync:add-online-accounts']({ guids, dryRun: false });
    expect(run.outcome).toMatchObject({ started: true, failed: 0 });
    const creates = (await sb.control.actions()).filter((a) => a.method === 'POST' && /\/users$/.test(a.path) && a.status === 201);
    expect(creates).toHaveLength(N);
    for (const [i, g] of guids.entries()) {
      const u = await sb.control.getUser(upnOf(i));
      expect(u).toMatchObject({ onPremisesImmutableId: immutableIdOf(g), usageLocation: 'GB', jobTitle: 'Clerk', displayName: `Sync User ${i}` });
      expect((u as { assignedLicenses?: unknown[] }).assignedLicenses).toHaveLength(1);
    }
    // The first full sync: preview, then run with its token; nothing new to do.
    const preview = await h['sync:preview']();
    expect(preview.counts).toMatchObject({ creates: 0, updates: 0, deletes: 0 });
    expect(await h['sync:run-now']({ previewToken: preview.token })).toMatchObject({ started: true, failed: 0 });
    expect(await h['sync:get-status']()).toMatchObject({ firstRunDone: true });
  });

  it('pushes a password changed in AD (captured) so the online account signs in with it', async () => {
    await admin.resetPassword(guids[0]!, 'Changed-In-AD-7!');
    await until('the new password online', async () => sb.control.checkPassword(upnOf(0), 'Changed-In-AD-7!'));
  });

  it('pushes a dashboard reset to AD first, then online', async () => {
    const r = await feature.handlers['sync:reset-password']({ objectGuid: guids[1]!, password: 'Dashboard-Reset-8!', mustChange: false });
    expect(r.ok).toBe(true);
    expect(await sb.control.checkPassword(upnOf(1), 'Dashboard-Reset-8!')).toBe(true);
  });

  it('follows attribute changes, disable and delete from the DirSync feed', async () => {
    await admin.updateUser(guids[2]!, { title: 'Manager', department: 'Sales' });
    await until('the new title online', async () => ((await sb.control.getUser(upnOf(2))) as { jobTitle?: string } | null)?.jobTitle === 'Manager');
    await admin.setEnabled(guids[3]!, false);
    await until('sign-in blocked online', async () => ((await sb.control.getUser(upnOf(3))) as { accountEnabled?: boolean } | null)?.accountEnabled === false);
    await admin.deleteObject(guids[4]!);
    await until('the account in deleted items', async () => (await sb.control.deletedUsers()).some((u) => (u as { userPrincipalName?: string }).userPrincipalName?.toLowerCase().includes('sync.user4')));
    const page = await feature.handlers['sync:list-accounts']({ offset: 0, limit: 50, filter: 'online' });
    expect(page.total).toBe(N - 1);
  });
});
