import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SyncStatus } from '../../shared/contract';
import { parseArgs, parseResult } from '../../shared/contract/validate';
import { immutableIdOf } from '../../electron/sync/normalize';
import { createSyncFeature } from '../../electron/sync/sync-feature';
import { makeTempDir } from '../support/temp-dir';
import { testContext } from '../support/test-context';
import { FakeDirectory, FakeTenantTarget, makeUsers } from '../support/sync-fakes';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

function world(dataDir?: string) {
  const t = dataDir ? { dir: dataDir, cleanup: () => undefined } : makeTempDir('oe-sync-feature-');
  cleanups.push(t.cleanup);
  const ctx = testContext(t.dir);
  const { settings, events, log } = ctx;
  const directory = new FakeDirectory(makeUsers(4));
  const tenant = new FakeTenantTarget();
  let portCalls = 0;
  // A capture source that, like samba-tool, hands over one password at a time and waits for each callback.
  const capture = { deliver: undefined as undefined | ((e: { objectGuid: string; password: string; at: Date }) => void | Promise<void>) };
  const passwords = { start: async (cb: NonNullable<typeof capture.deliver>) => { capture.deliver = cb; }, stop: async () => { capture.deliver = undefined; } };
  const feature = createSyncFeature(ctx, { timers: false, ports: async () => { portCalls++; return { directory, tenant, domains: { verified: ['contoso.com'], initial: 'contoso.onmicrosoft.com' }, passwords }; } });
  cleanups.push(() => feature.dispose?.());
  const emitted: Array<[string, unknown]> = [];
  events.subscribe((c, p) => emitted.push([c, p]));
  // What every UI is told: the one status publication.
  const health: SyncStatus[] = [];
  events.subscribe((c, p) => { if (c === 'sync:status-changed') health.push(p as SyncStatus); });
  const integrate = () => {
    settings.update((s) => ({ ...s, tenant: { endpoints: { authorityHost: 'https://login.example', graphBaseUrl: 'https://graph.example' }, tenantId: 't1', defaultDomain: 'contoso.com', defaultUsageLocation: 'GB', integratedAt: new Date().toISOString() } }));
    ctx.signals.emit('integrationChanged');
  };
  // Calls a handler the way a transport does: validated arguments in, validated result out.
  const call = async <C extends keyof typeof feature.handlers>(channel: C, ...args: unknown[]) => {
    const h = feature.handlers[channel] as (...a: unknown[]) => Promise<unknown>;
    return parseResult(channel, await h(...(parseArgs(channel, args) as unknown[])));
  };
  return { ctx, feature, directory, tenant, emitted, health, integrate, call, log, portCalls: () => portCalls, dir: t.dir, capture };
}

/** Waits until the runtime has finished (re)starting after the integration signal: its ports built, nothing running. */
async function started(w: ReturnType<typeof world>, ports = 1): Promise<void> {
  await vi.waitFor(async () => {
    const st = (await w.call('sync:get-status')) as SyncStatus;
    if (w.portCalls() < ports || st.state === 'running' || st.message === 'Not connected to Microsoft 365 yet.') throw new Error(`still starting: ${st.message}`);
  });
}

/** A started feature on a completed integration, ports built. */
async function integratedWorld(): Promise<ReturnType<typeof world>> {
  const w = world();
  await w.feature.start?.();
  w.integrate();
  await started(w);
  return w;
}

describe('sync feature (contract handlers on fakes)', () => {
  it('does nothing until integration is completed, then starts on the integrationChanged signal', async () => {
    const w = world();
    await w.feature.start?.();
    expect(await w.call('sync:get-status')).toMatchObject({ state: 'not-configured' });
    expect(w.portCalls()).toBe(0);
    await expect(w.call('sync:preview')).rejects.toThrow('Not connected to Microsoft 365 yet.');
    w.integrate();
    await started(w);
    expect(w.portCalls()).toBe(1);
    expect(await w.call('sync:get-status')).toMatchObject({ state: 'paused', firstRunDone: false, message: 'Preview the first sync, then run it.' });
    expect(w.health.at(-1)).toMatchObject({ state: 'paused' });
    expect(w.emitted.some(([c]) => c === 'sync:status-changed')).toBe(true);
  });

  it('previews, then creates online accounts with progress events and a results file', async () => {
    const w = await integratedWorld();
    const guids = [...w.directory.users.keys()];
    const dry = (await w.call('sync:add-online-accounts', { guids: guids.slice(0, 3), dryRun: true })) as { preview: { counts: { creates: number }; items: Array<{ name: string; detail: string }> } };
    expect(dry.preview.counts.creates).toBe(3);
    expect(dry.preview.items[0]!.detail).toContain('the name becomes user0@contoso.com');
    expect(w.tenant.actions).toEqual([]);
    const real = (await w.call('sync:add-online-accounts', { guids: guids.slice(0, 3), dryRun: false })) as { outcome: { started: boolean; ok: number; runId: number } };
    expect(real.outcome).toMatchObject({ started: true, ok: 3 });
    expect(w.emitted.filter(([c]) => c === 'sync:progress').length).toBe(3);
    const results = (await w.call('sync:get-results', real.outcome.runId)) as { run: { resultsFile: string }; rows: unknown[] };
    expect(results.rows).toHaveLength(3);
    expect(path.dirname(results.run.resultsFile)).toBe(path.join(w.dir, 'sync-results'));
    const page = (await w.call('sync:list-accounts', { offset: 0, limit: 2, filter: 'online' })) as { total: number; rows: Array<{ onlineUpn: string }> };
    expect(page.total).toBe(3);
    expect(page.rows.map((r) => r.onlineUpn)).toEqual(['user0@contoso.com', 'user1@contoso.com']);
  });

  it('resets a password in the directory first, then online, and never lets it out', async () => {
    const w = await integratedWorld();
    const [g] = [...w.directory.users.keys()];
    await w.call('sync:add-online-accounts', { guids: [g], dryRun: false });
    const r = await w.call('sync:reset-password', { objectGuid: g, password: 'Brand-New-Pass1!', mustChange: false });
    expect(r).toEqual({ ok: true, message: 'The password was changed in the directory and online.' });
    expect(w.directory.passwords.get(g!)).toBe('Brand-New-Pass1!');
    expect(w.tenant.live()[0]!.password).toBe('Brand-New-Pass1!');
    const weak = await w.call('sync:reset-password', { objectGuid: g, password: 'short', mustChange: false });
    expect(weak).toMatchObject({ ok: false });
    expect((weak as { message: string }).message).toContain('does not meet the online password rules');
    const everything = JSON.stringify(w.emitted) + w.log.lines.join('\n') + JSON.stringify(w.feature) ;
    expect(everything).not.toContain('Brand-New-Pass1!');
    const audit = JSON.stringify((await import('../../electron/sync/state-db')).openStateDb(path.join(w.dir, 'sync.db')).prepare('SELECT * FROM audit').all());
    expect(audit).not.toContain('Brand-New');
  });

  it('takes captured passwords as fast as they come while the tenant is slow, then pushes every one', async () => {
    const w = await integratedWorld();
    const guids = [...w.directory.users.keys()];
    await w.call('sync:add-online-accounts', { guids, dryRun: false });
    const preview = (await w.call('sync:preview')) as { token: string };
    await w.call('sync:run-now', { previewToken: preview.token });
    expect(w.capture.deliver).toBeDefined();
    let open!: () => void;
    const gate = new Promise<void>((r) => { open = r; });
    const setPassword = w.tenant.setPassword.bind(w.tenant);
    w.tenant.setPassword = async (...a) => { await gate; return setPassword(...a); };
    const t0 = Date.now();
    for (const [i, g] of guids.entries()) await w.capture.deliver!({ objectGuid: g, password: `Captured-Pass-${i}!`, at: new Date() });
    expect(Date.now() - t0).toBeLessThan(1000); // every callback returned with the tenant still blocked
    expect(await w.call('sync:get-status')).toMatchObject({ pending: guids.length });
    open();
    await expect.poll(() => w.tenant.live().map((u) => u.password)).toEqual(guids.map((_g, i) => `Captured-Pass-${i}!`));
    await expect.poll(async () => ((await w.call('sync:get-status')) as { pending: number }).pending).toBe(0);
  });

  it('links a directory user to an existing online account found by UPN, recording the anchor', async () => {
    const w = await integratedWorld();
    const [g] = [...w.directory.users.keys()];
    const existing = await w.tenant.createUser({ userPrincipalName: 'user0@contoso.com', mailNickname: 'user0', immutableId: '', accountEnabled: true, password: 'Passw0rd!!', forceChangePassword: false, displayName: 'U0 cloud', givenName: null, surname: null, jobTitle: null, department: null, businessPhones: [], mobilePhone: null, officeLocation: null });
    const matches = (await w.call('sync:find-matches', g)) as Array<{ onlineId: string; matchedBy: string; anchoredElsewhere: boolean }>;
    expect(matches).toEqual([{ onlineId: existing.id, userPrincipalName: 'user0@contoso.com', displayName: 'U0 cloud', matchedBy: 'upn', anchoredElsewhere: false }]);
    const r = await w.call('sync:link-account', { objectGuid: g, onlineId: existing.id });
    expect(r).toMatchObject({ ok: true });
    const u = w.tenant.live().find((x) => x.id === existing.id)!;
    expect(u.immutableId).toBe(immutableIdOf(g!));
    expect(u.displayName).toBe('User 0'); // details now follow the directory
    expect(w.tenant.live()).toHaveLength(1);
  });

  it('deactivates in the directory and online, and removes an online account only after its dry run', async () => {
    const w = await integratedWorld();
    const [g] = [...w.directory.users.keys()];
    await w.call('sync:add-online-accounts', { guids: [g], dryRun: false });
    expect(await w.call('sync:deactivate-account', { objectGuid: g })).toMatchObject({ ok: true });
    expect(w.directory.users.get(g!)!.enabled).toBe(false);
    expect(w.tenant.live()[0]!.accountEnabled).toBe(false);
    expect(await w.call('sync:remove-account', { objectGuid: g, dryRun: false })).toMatchObject({ ok: false, message: expect.stringContaining('preview') });
    expect(w.tenant.live()).toHaveLength(1);
    const dry = await w.call('sync:remove-account', { objectGuid: g, dryRun: true });
    expect(dry).toMatchObject({ ok: true, message: expect.stringContaining('restorable for 30 days') });
    expect(w.tenant.live()).toHaveLength(1);
    expect(await w.call('sync:remove-account', { objectGuid: g, dryRun: false })).toMatchObject({ ok: true });
    expect(w.tenant.live()).toHaveLength(0);
  });

  it('lets only one instance sync the same state file', async () => {
    const a = world();
    await a.feature.start?.();
    a.integrate();
    await started(a);
    const b = world(a.dir);
    await b.feature.start?.();
    await expect.poll(async () => ((await b.call('sync:get-status')) as SyncStatus).message).toContain('Another copy of OpenEssentials');
    expect(await b.call('sync:get-status')).toMatchObject({ state: 'paused', message: expect.stringContaining('Another copy of OpenEssentials') });
    expect(b.portCalls()).toBe(0);
    // Read-only channels still work from the shared file.
    expect(await b.call('sync:list-accounts', { offset: 0, limit: 10 })).toMatchObject({ total: 4 });
  });

  it('gates the first run on a preview, then pauses over the delete threshold until the admin decides', async () => {
    const w = world();
    w.ctx.settings.update((s) => ({ ...s, sync: { ...s.sync, deleteThreshold: 1 } }));
    await w.feature.start?.();
    w.integrate();
    await started(w);
    const guids = [...w.directory.users.keys()];
    await w.call('sync:add-online-accounts', { guids, dryRun: false });
    expect(await w.call('sync:run-now', {})).toMatchObject({ started: false, refused: 'Preview the first sync before running it.' });
    const p = (await w.call('sync:preview')) as { token: string };
    expect(await w.call('sync:run-now', { previewToken: p.token })).toMatchObject({ started: true });
    expect(await w.call('sync:get-status')).toMatchObject({ state: 'idle', firstRunDone: true });
    w.directory.users.delete(guids[0]!);
    w.directory.users.delete(guids[1]!);
    const preview = (await w.call('sync:preview')) as { counts: { heldDeletes: number }; items: Array<{ action: string; name: string }> };
    expect(preview.items.filter((i) => i.action === 'hold-delete').map((i) => i.name)).toEqual(['User 0', 'User 1']);
    expect(await w.call('sync:run-now', {})).toMatchObject({ started: true, paused: true });
    const status = (await w.call('sync:get-status')) as { state: string; pendingDeletes: Array<{ displayName: string }> };
    expect(status.state).toBe('paused');
    expect(status.pendingDeletes.map((d) => d.displayName)).toEqual(['User 0', 'User 1']);
    expect(w.health.at(-1)).toMatchObject({ state: 'paused', message: expect.stringContaining('2 online account(s) would be deleted') });
    expect(w.tenant.live()).toHaveLength(4);
    await w.call('sync:approve-deletes', [guids[0]]);
    await w.call('sync:reject-deletes', [guids[1]]);
    expect(w.tenant.live().map((u) => u.userPrincipalName).sort()).toEqual(['user1@contoso.com', 'user2@contoso.com', 'user3@contoso.com']);
    expect(await w.call('sync:get-status')).toMatchObject({ state: 'idle', pendingDeletes: [] });
    expect(w.health.some((h) => h.state === 'running')).toBe(true);
  });
});
