// The sync engine end to end through the real Users page: chromium → web dashboard → the real core (sync feature
// built from saved settings by default-ports.ts) → a real Samba AD DC (LDAPS, DirSync, syncpasswords capture) and the
// sandbox Microsoft 365 tenant. Assertions are on what the sandbox recorded, its password check and its deleted items.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Control } from 'ldapts';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryClient } from '../../electron/directory/directory-client';
import { startHost, type Host } from '../../electron/headless/host';
import { MemorySecretStore } from '../../electron/stores/secret-store';
import { openNodeSettings } from '../../electron/stores/settings-store';
import { SECRET_NAMES } from '../../electron/stores/secret-names';
import { appClient, testCertificate } from '../integration/tenant-helpers';
import { loopbackIp, startTestDc, type TestDc } from '../samba/dc-harness';
import { startSandboxTenant, type SandboxTenant } from '../sandbox-tenant/sandbox';
import { ensureRendererBuilt } from './fixtures/build-renderer';
import { launchBrowser, screenshot, seriousA11yViolations } from './fixtures/dashboard';

const N = 10;
const DOMAIN = 'contoso.com';
const THRESHOLD = 3;
const name = (i: number) => `Flow User ${i}`;
const sam = (i: number) => `flow.user${i}`;
const onlineUpn = (i: number) => `${sam(i)}@${DOMAIN}`;
/**
 * Users 0..9 get online accounts; 0 changes password, 1 is disabled, 2..5 (4 > threshold 3) are deleted one by one
 * (as ADUC does for a multi-selection), 6..9 live in OU=Team and are deleted with the OU (one LDAP tree delete).
 */
const PW_USER = 0;
const DISABLED_USER = 1;
const DELETED = [2, 3, 4, 5];
const TEAM = [6, 7, 8, 9];
/** LDAP_SERVER_TREE_DELETE_OID: deletes an object with everything under it in one operation. */
const TREE_DELETE = '1.2.840.113556.1.4.805';

let dc: TestDc;
let sb: SandboxTenant;
let browser: Browser;
let admin: DirectoryClient;
let host: Host;
let dataDir: string;
let context: BrowserContext;
let page: Page;
let teamOu: string;
/** The result bar's text after "Create online accounts". */
let addReport = '';
const guids: string[] = [];
const errors: string[] = [];

type GraphUser = { id?: string; userPrincipalName?: string; accountEnabled?: boolean };
const rows = () => page.getByTestId('account-row');
const count = () => page.getByTestId('account-count').textContent();
const rowOf = (i: number) => rows().filter({ hasText: name(i) });
const deletedOnline = async () => (await sb.control.deletedUsers()).map((u) => String((u as GraphUser).userPrincipalName).toLowerCase());

/** The engine's last runs and what each did, from the core (shown when an assertion about the guard fails). */
async function recentRuns(): Promise<string> {
  const last = (await host.core.handlers['sync:get-status']()).lastRunId ?? 0;
  const out: string[] = [];
  for (let id = last; id > Math.max(0, last - 8); id--) {
    const { run, rows: results } = await host.core.handlers['sync:get-results'](id);
    out.push(`run ${id} (${run?.kind}): ${results.map((r) => `${r.action} ${r.upn} ${r.outcome}`).join('; ') || 'no results'}`);
  }
  return out.join(' | ');
}

/** Waits until the held-deletes banner names `n` accounts or any of `upns` is deleted online, whichever comes first. */
async function heldOrDeleted(n: number, upns: string[]): Promise<void> {
  const held = page.getByTestId('pending-deletes');
  await expect
    .poll(async () => {
      if ((await held.count()) > 0 && (await held.textContent())?.includes(`${n} online accounts are waiting to be removed`)) return 'held';
      return (await deletedOnline()).some((u) => upns.includes(u)) ? 'deleted' : 'waiting';
    }, { timeout: 60_000, interval: 250 })
    .not.toBe('waiting');
}

async function openUsersPage(): Promise<void> {
  await page.goto(host.web!.url);
  await page.evaluate(() => (window.location.hash = '#/users'));
  await page.locator('main h1').first().waitFor();
  await expect.poll(() => page.locator('main h1').first().textContent(), { timeout: 30_000 }).toBe('Users');
}

beforeAll(async () => {
  ensureRendererBuilt();
  [dc, sb, browser] = await Promise.all([startTestDc({ ip: loopbackIp(5), passwordCapture: true }), startSandboxTenant({ seed: { tenantId: undefined } }), launchBrowser()]);
  admin = new DirectoryClient({ url: dc.url, bindUpn: dc.adminUpn, password: dc.adminPassword, tls: { caPem: dc.caPem, serverName: dc.dnsHostName } });
  const ou = await admin.ensureOu(dc.domainDn, 'SyncFlows');
  teamOu = await admin.ensureOu(ou, 'Team');
  for (let i = 0; i < N; i++) {
    const u = await admin.createUser({
      parentDn: TEAM.includes(i) ? teamOu : ou, sAMAccountName: sam(i), userPrincipalName: `${sam(i)}@${dc.realm.toLowerCase()}`, givenName: 'Flow', sn: `User${i}`,
      displayName: name(i), title: 'Clerk', password: `First-Pass-${i}!x`,
    });
    guids.push(u.objectGuid.toLowerCase());
  }

  // "Integrated" as the Integrate wizard leaves it: app + certificate in settings, key and bind password in secrets.
  const { client, reg } = await appClient(sb);
  const sku = (await client.listSkus()).find((s) => s.skuPartNumber === 'O365_BUSINESS_PREMIUM');
  if (!sku?.skuId) throw new Error('sandbox has no Business Standard SKU');
  const cert = testCertificate();
  const secrets = new MemorySecretStore();
  await secrets.set(SECRET_NAMES.appCertificateKey, cert.privateKeyPem);
  await secrets.set(SECRET_NAMES.directoryBindPassword, dc.adminPassword);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oe-e2e-sync-'));
  openNodeSettings(dataDir).update((s) => ({
    ...s,
    directory: {
      url: dc.url, bindUpn: dc.adminUpn, caPem: dc.caPem, serverName: dc.dnsHostName, scopeDns: [ou],
      passwordCapture: { smbConf: dc.smbConf, gnupgHome: dc.gnupgHome! },
    },
    tenant: {
      endpoints: { authorityHost: sb.url, graphBaseUrl: sb.url, caPem: sb.caPem },
      tenantId: sb.tenantId, clientId: reg.appId, certificateThumbprintSha256: cert.thumbprintSha256, certificatePem: cert.certificatePem,
      defaultDomain: DOMAIN, defaultUsageLocation: 'GB', defaultSkuId: String(sku.skuId), integratedAt: new Date().toISOString(),
    },
    sync: { ...s.sync, deleteThreshold: THRESHOLD },
  }));
  host = await startHost({ dataDir, mode: 'web', web: { port: 0 }, secrets });
  await sb.control.clearActions();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
}, 300_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await host?.stop();
  await admin?.close();
  await Promise.all([dc?.stop(), sb?.stop()]);
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('sync flows through the Users page (Samba AD + sandbox tenant)', () => {
  /** adds online accounts for the chosen users: preview, confirm, linked; one POST /users each on the chosen domain. */
  async function addOnlineAccounts(): Promise<void> {
    await openUsersPage();
    const status = page.getByTestId('users-sync-status');
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toContain('Preview the first sync, then run it.');
    await expect.poll(count, { timeout: 60_000 }).toBe(`${N} accounts`);
    for (let i = 0; i < N; i++) expect(await rowOf(i).textContent()).toContain('Not linked');

    for (let i = 0; i < N; i++) await rowOf(i).getByRole('checkbox').click();
    await expect.poll(count).toBe(`${N} accounts · ${N} selected`);
    await page.getByRole('button', { name: `Add online accounts (${N})` }).click();
    const dialog = page.getByRole('dialog');
    const changes = dialog.getByRole('list', { name: 'Changes' });
    await changes.waitFor({ timeout: 60_000 });
    const listed = await changes.locator('li').allTextContents();
    expect(listed).toHaveLength(N);
    for (let i = 0; i < N; i++) expect(listed.some((l) => l.startsWith(`${name(i)} (${onlineUpn(i)})`)), `${name(i)} in the preview`).toBe(true);
    expect(await dialog.textContent()).toContain(`Online accounts to create${N}`);
    expect((await sb.control.actions()).filter((a) => a.method === 'POST' && /\/users$/.test(a.path))).toHaveLength(0);
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
    await screenshot(page, 'users-add-online-accounts-preview');

    // What the core pushes to every UI while the accounts are created: the run's state and its progress.
    const states: string[] = [];
    const progress: Array<{ done: number; failed: number; pending: number }> = [];
    const unsubscribe = host.core.events.subscribe((channel, payload) => {
      if (channel === 'sync:status-changed') states.push((payload as { state: string }).state);
      if (channel === 'sync:progress') progress.push(payload as { done: number; failed: number; pending: number });
    });
    await dialog.getByRole('button', { name: 'Create online accounts' }).click();
    const result = page.getByTestId('action-result');
    await result.waitFor({ timeout: 120_000 });
    unsubscribe();
    expect(states).toContain('running');
    expect(progress.length).toBeGreaterThanOrEqual(N);
    expect(progress.at(-1)).toMatchObject({ failed: 0, pending: 0 });
    addReport = (await result.textContent()) ?? '';
    expect(addReport).toMatch(/^\d+ accounts given online accounts\./);
    await expect.poll(() => dialog.count()).toBe(0);
    for (let i = 0; i < N; i++) await expect.poll(() => rowOf(i).textContent(), { timeout: 30_000 }).toContain('Linked');
    for (let i = 0; i < N; i++) expect(await rowOf(i).textContent()).toContain(onlineUpn(i));

    const posts = (await sb.control.actions()).filter((a) => a.method === 'POST' && /\/users$/.test(a.path));
    expect(posts.map((a) => a.status)).toEqual(Array.from({ length: N }, () => 201));
    const upns = posts.map((a) => String((a.body as { userPrincipalName?: string } | undefined)?.userPrincipalName).toLowerCase()).sort();
    expect(upns).toEqual(Array.from({ length: N }, (_, i) => onlineUpn(i)).sort());
    for (let i = 0; i < N; i++) expect(await sb.control.getUser(onlineUpn(i))).toMatchObject({ userPrincipalName: onlineUpn(i), accountEnabled: true });
    await screenshot(page, 'users-after-create');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  }

  /** reports the number of accounts created, not the number of Graph operations (create + license). */
  async function reportsAccountsNotOperations(): Promise<void> {
    expect(addReport).toMatch(/^\d+ accounts given online accounts\./);
    expect(addReport).toBe(`${N} accounts given online accounts.`);
  }

  /** runs the previewed first sync from the Users page (background sync starts), with nothing new to do. */
  async function runFirstSync(): Promise<void> {
    const status = page.getByTestId('users-sync-status');
    const dialog = page.getByRole('dialog');
    const result = page.getByTestId('action-result');
    // Background sync (change feed, password capture) starts after the admin runs the previewed first sync.
    await status.getByRole('button', { name: 'Sync now' }).click();
    await dialog.getByRole('button', { name: 'Sync now' }).waitFor({ timeout: 60_000 });
    expect(await dialog.textContent()).toContain('Nothing has changed yet.');
    expect(await dialog.textContent()).toContain('Everything is already in step; nothing would change.');
    await dialog.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(() => result.textContent(), { timeout: 120_000 }).toMatch(/synced\.$/);
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toContain('Everything is in step with Microsoft 365.');
    expect(await host.core.handlers['sync:get-status']()).toMatchObject({ firstRunDone: true, lastError: null });
    // Still exactly one create per user after the first full sync.
    expect((await sb.control.actions()).filter((a) => a.method === 'POST' && /\/users$/.test(a.path))).toHaveLength(N);
    expect(errors).toEqual([]);
  }

  /** pushes a password changed in AD (captured by Samba) so the online account signs in with it. */
  async function passwordFromAd(): Promise<void> {
    const pw = 'Changed-In-AD-7!x';
    expect(await sb.control.checkPassword(onlineUpn(PW_USER), pw)).toBe(false);
    const started = Date.now();
    await admin.resetPassword(guids[PW_USER]!, pw);
    await expect.poll(() => sb.control.checkPassword(onlineUpn(PW_USER), pw), { timeout: 30_000, interval: 250 }).toBe(true);
    console.info(`password reached the sandbox in ${Date.now() - started} ms`);
  }

  /** follows a user disabled in AD: sign-in blocked online, the row shows it deactivated. */
  async function disabledInAd(): Promise<void> {
    await admin.setEnabled(guids[DISABLED_USER]!, false);
    await expect
      .poll(async () => ((await sb.control.getUser(onlineUpn(DISABLED_USER))) as GraphUser | null)?.accountEnabled, { timeout: 30_000, interval: 250 })
      .toBe(false);
    await page.reload();
    await page.locator('main h1').first().waitFor();
    await expect.poll(count, { timeout: 60_000 }).toBe(`${N} accounts`);
    await expect.poll(() => rowOf(DISABLED_USER).textContent(), { timeout: 30_000 }).toContain('Deactivated');
    expect(await rowOf(PW_USER).textContent()).toContain('Linked');
    expect(errors).toEqual([]);
  }

  /** Review → the dialog names exactly `who` → approve → they end up in the sandbox's deleted items. */
  async function approveHeld(who: number[], others: number[]): Promise<void> {
    const held = page.getByTestId('pending-deletes');
    await held.getByRole('button', { name: 'Review' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Remove accounts' }).waitFor();
    const text = await dialog.textContent();
    for (const i of who) expect(text).toContain(`${name(i)} (${onlineUpn(i)})`);
    for (const i of others) expect(text).not.toContain(`${name(i)} (`);
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
    await screenshot(page, 'users-delete-guard');
    await dialog.getByRole('button', { name: 'Remove accounts' }).click();
    await expect.poll(() => page.getByTestId('action-result').textContent(), { timeout: 120_000 }).toMatch(/removed\./);
    await expect.poll(async () => (await deletedOnline()).filter((u) => who.map(onlineUpn).includes(u)).sort(), { timeout: 60_000, interval: 250 }).toEqual(who.map(onlineUpn).sort());
    for (const i of who) expect(await sb.control.getUser(onlineUpn(i))).toBeNull();
    await expect.poll(() => held.count(), { timeout: 30_000 }).toBe(0);
  }

  /** Nothing of `who` deleted online yet: still in the sandbox, not in deleted items, no DELETE recorded. */
  async function nothingDeletedYet(who: number[]): Promise<void> {
    const upns = who.map(onlineUpn);
    const runs = await recentRuns();
    expect((await deletedOnline()).filter((u) => upns.includes(u)), `nothing deleted online before approval; engine runs: ${runs}`).toEqual([]);
    const ids: string[] = [];
    for (const i of who) {
      const u = (await sb.control.getUser(onlineUpn(i))) as GraphUser | null;
      expect(u, `${onlineUpn(i)} still online`).toMatchObject({ userPrincipalName: onlineUpn(i) });
      if (u?.id) ids.push(u.id);
    }
    expect(ids).toHaveLength(who.length);
    const deletes = (await sb.control.actions()).filter((a) => a.method === 'DELETE' && ids.some((id) => a.path.includes(id)));
    expect(deletes, `no DELETE sent for them; engine runs: ${runs}`).toEqual([]);
  }

  /** holds 4 users deleted one by one in AD (threshold 3) until approved in the UI, then deletes them online. */
  async function deletesOneByOne(): Promise<void> {
    for (const i of DELETED) await admin.deleteObject(guids[i]!);
    await heldOrDeleted(DELETED.length, DELETED.map(onlineUpn));
    await nothingDeletedYet(DELETED);
    expect(await page.getByTestId('pending-deletes').textContent()).toContain(`${DELETED.length} online accounts are waiting to be removed`);
    await approveHeld(DELETED, [PW_USER, DISABLED_USER, ...TEAM]);
    expect(errors).toEqual([]);
  }

  /** holds 4 users deleted together with their OU (one tree delete, threshold 3) until approved in the UI, then deletes them online. */
  async function deletesWithTheirOu(): Promise<void> {
    // Let the engine finish with the previous users first (each is deleted online or waiting for approval).
    await expect
      .poll(async () => {
        const st = await host.core.handlers['sync:get-status']();
        const gone = await deletedOnline();
        const settled = DELETED.every((i) => gone.includes(onlineUpn(i)) || st.pendingDeletes.some((p) => p.userPrincipalName.toLowerCase() === onlineUpn(i)));
        return settled && st.state !== 'running';
      }, { timeout: 60_000, interval: 250 })
      .toBe(true);
    const ldap = await admin.connect();
    await ldap.del(teamOu, [new Control(TREE_DELETE, { critical: true })]);
    await heldOrDeleted(TEAM.length, TEAM.map(onlineUpn));
    await nothingDeletedYet(TEAM);
    expect(await page.getByTestId('pending-deletes').textContent()).toContain(`${TEAM.length} online accounts are waiting to be removed`);
    await approveHeld(TEAM, [PW_USER, DISABLED_USER, ...DELETED]);
    await expect.poll(count, { timeout: 30_000 }).toBe(`${N - DELETED.length - TEAM.length} accounts`);
    expect(errors).toEqual([]);
  }

  /** has no console errors and no serious or critical axe violations on the Users page. */
  async function pageClean(): Promise<void> {
    // The last dialog has closed (Fluent keeps #root aria-hidden until its exit animation ends).
    await expect.poll(() => page.getByRole('dialog').count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => page.locator('#root').getAttribute('aria-hidden'), { timeout: 30_000 }).toBeNull();
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
    await page.waitForLoadState('networkidle').catch(() => undefined);
    expect(await page.getByTestId('users-sync-status').textContent()).toContain('Everything is in step with Microsoft 365.');
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  }

  // One scenario, in the order an office lives it: each step starts from what the previous one left, so they are
  // steps of one test rather than tests that depend on each other's order.
  it('a day of sync through the Users page: add accounts, first sync, a password and a disable from AD, deletes held until approved', async () => {
    await addOnlineAccounts();
    await reportsAccountsNotOperations();
    await runFirstSync();
    await passwordFromAd();
    await disabledInAd();
    await deletesOneByOne();
    await deletesWithTheirOu();
    await pageClean();
  }, 900_000);
});
