import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStateDb } from '../../electron/sync/state-db';
import { SyncStore } from '../../electron/sync/state-store';
import { launchBrowser, openDashboard, withPage, screenshot, seriousA11yViolations, startDashboard, type DashboardHost } from './fixtures/dashboard';

// The Users page against a real core whose sync state (SQLite, the same file the engine keeps) holds
// 10,000 directory users: paged from the server, windowed in the browser, searched, acted on.
const FIRST = ['Alex', 'Megan', 'Lee', 'Diego', 'Adele', 'Isaiah', 'Johanna', 'Lidia', 'Lynne', 'Miriam', 'Nestor', 'Patti', 'Pradeep', 'Grady', 'Henrietta', 'Irvin', 'Joni', 'Allan', 'Debra', 'Emily'];
const LAST = ['Wilber', 'Bowen', 'Gu', 'Siciliani', 'Vance', 'Langer', 'Lauer', 'Holloway', 'Robbins', 'Graham', 'Wilke', 'Fernandez', 'Gupta', 'Archie', 'Cartwright', 'Sherman', 'Sherwood', 'Deyoung', 'Berg', 'Braun'];
const TOTAL = 10_000;
const ISSUE = 'The user name uses contoso.local, which is not a verified domain in Microsoft 365.';

function guid(i: number): string {
  return `${i.toString(16).padStart(8, '0')}-1111-4222-8333-${(i * 7919).toString(16).padStart(12, '0')}`;
}

/** Fills the sync store the way a full directory read and earlier runs would have. */
function seedStore(dataDir: string, count: number, heldDeletes = 0): { linked: number } {
  const store = new SyncStore(openStateDb(path.join(dataDir, 'sync.db')));
  const users = Array.from({ length: count }, (_, i) => {
    const first = FIRST[i % FIRST.length] ?? 'Alex';
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length] ?? 'Wilber';
    const n = Math.floor(i / (FIRST.length * LAST.length));
    const sam = `${first}.${last}${n ? n + 1 : ''}`.toLowerCase();
    return { objectGuid: guid(i), sAMAccountName: sam, userPrincipalName: `${sam}@contoso.com`, displayName: `${first} ${last}${n ? ` ${n + 1}` : ''}`, enabled: i % 17 !== 5 };
  });
  store.upsertDirectoryUsers(users);
  let linked = 0;
  users.forEach((u, i) => {
    if (i % 3 !== 0) return;
    linked += 1;
    store.saveLink({ objectGuid: u.objectGuid, onlineId: `online-${i}`, userPrincipalName: u.userPrincipalName, displayName: u.displayName, hash: 'h', enabled: u.enabled });
    if (i % 9 === 0) store.markPasswordSynced(u.objectGuid);
  });
  users.forEach((u, i) => i % 29 === 7 && store.setIssue(u.objectGuid, 'create', ISSUE));
  store.setPendingDeletes(
    users.slice(0, heldDeletes * 3).filter((_, i) => i % 3 === 0).map((u, i) => ({ objectGuid: u.objectGuid, onlineId: `online-${i * 3}`, displayName: u.displayName, userPrincipalName: u.userPrincipalName })),
  );
  store.close();
  return { linked };
}

async function usersHost(options: { integrated: boolean; count: number; heldDeletes?: number }): Promise<DashboardHost & { linked: number }> {
  let linked = 0;
  const host = await startDashboard({ integrated: options.integrated, beforeStart: (dataDir) => ({ linked } = seedStore(dataDir, options.count, options.heldDeletes)) });
  return { ...host, linked };
}

let browser: Browser;
let big: DashboardHost & { linked: number };
let fresh: DashboardHost & { linked: number };
let small: DashboardHost & { linked: number };

beforeAll(async () => {
  [browser, big, fresh, small] = await Promise.all([
    launchBrowser(),
    usersHost({ integrated: true, count: TOTAL }),
    usersHost({ integrated: false, count: 40 }),
    usersHost({ integrated: true, count: 40, heldDeletes: 2 }),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await big?.stop();
  await fresh?.stop();
  await small?.stop();
});

const rows = (page: Page) => page.getByTestId('account-row');
const count = (page: Page) => page.getByTestId('account-count').textContent();

describe('Users page with 10,000 directory users', () => {
  it('pages from the server and renders only the visible rows; axe clean; captured', async () => {
    await withPage(browser, big, '#/users', async ({ page }) => {
      await expect.poll(() => count(page), { timeout: 30_000 }).toBe('10,000 accounts');
      const rendered = await rows(page).count();
      expect(rendered).toBeGreaterThan(5);
      expect(rendered).toBeLessThan(80);
      expect(await page.getByRole('table', { name: 'Users' }).getAttribute('aria-rowcount')).toBe(String(TOTAL + 1));
      // States in words: linked, not linked, deactivated, error with its reason.
      const text = await page.getByRole('table', { name: 'Users' }).textContent();
      for (const word of ['Linked', 'Not linked']) expect(text).toContain(word);
      await rows(page).nth(2).getByRole('checkbox').click();
      await expect.poll(() => count(page)).toBe('10,000 accounts · 1 selected');
      await page.waitForLoadState('networkidle').catch(() => undefined);
      expect(await seriousA11yViolations(page)).toEqual([]);
      await screenshot(page, 'users');

      // Jump to the end: the last rows load on demand and the DOM stays small.
      const scroller = page.getByTestId('account-scroller');
      const started = Date.now();
      await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
      await expect.poll(() => rows(page).last().getAttribute('aria-rowindex'), { timeout: 15_000 }).toBe(String(TOTAL + 1));
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(await rows(page).count()).toBeLessThan(80);
      await screenshot(page, 'users-10k');
    });
  });

  it('searches on the server, filters problems, and switches to the Online accounts tab', async () => {
    await withPage(browser, big, '#/users', async ({ page }) => {
      await expect.poll(() => count(page), { timeout: 30_000 }).toBe('10,000 accounts');
      await page.getByRole('searchbox', { name: 'Search users' }).fill('miriam graham');
      await expect.poll(() => count(page)).toMatch(/^\d+ accounts?$/);
      await expect.poll(async () => (await rows(page).allTextContents()).every((t) => t.includes('Miriam Graham'))).toBe(true);
      const found = Number((await count(page))?.split(' ')[0]);
      expect(found).toBe(TOTAL / (FIRST.length * LAST.length));
      await page.getByRole('searchbox', { name: 'Search users' }).fill('');
      await page.getByRole('combobox', { name: 'Show' }).selectOption('issues');
      await expect.poll(() => count(page)).toBe(`${Math.ceil((TOTAL - 7) / 29).toLocaleString('en-US')} accounts`);
      expect(await rows(page).first().textContent()).toContain(ISSUE);

      await page.getByRole('tab', { name: 'Online accounts' }).click();
      await expect.poll(() => count(page)).toBe(`${big.linked.toLocaleString('en-US')} accounts`);
      expect(await page.getByRole('table', { name: 'Online accounts' }).getByRole('columnheader').allTextContents()).toEqual(
        expect.arrayContaining(['Online user name', 'Password synced', 'Pending']),
      );
    });
  });

  it('names every account an action failed for, with the core’s reason', async () => {
    await withPage(browser, big, '#/users', async ({ page }) => {
      await expect.poll(() => count(page), { timeout: 30_000 }).toBe('10,000 accounts');
      await page.getByRole('tab', { name: 'Online accounts' }).click();
      await expect.poll(() => count(page)).toBe(`${big.linked.toLocaleString('en-US')} accounts`);
      const boxes = rows(page).getByRole('checkbox');
      const names = [await boxes.nth(0).getAttribute('aria-label'), await boxes.nth(1).getAttribute('aria-label')].map((n) => n?.replace(/^Select /, '') ?? '');
      await boxes.nth(0).click();
      await boxes.nth(1).click();
      await expect.poll(() => count(page)).toMatch(/· 2 selected$/);
      await page.getByRole('button', { name: 'Deactivate (2)' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: 'Deactivate' }).click();
      const result = page.getByTestId('action-result');
      await result.waitFor({ timeout: 30_000 });
      await screenshot(page, 'users-action-failed');
      expect(await result.textContent()).toContain('No accounts were deactivated.');
      const failed = await result.locator('li').allTextContents();
      expect(failed).toHaveLength(2);
      failed.forEach((line, i) => expect(line).toMatch(new RegExp(`^${names[i]} \\(.+\\): .{10,}`)));
    });
  });
});

describe('Users page dialogs', () => {
  it('asks before removing held accounts, names them, and checks the new password twice', async () => {
    await withPage(browser, small, '#/users', async ({ page }) => {
      const held = page.getByTestId('pending-deletes');
      await held.waitFor({ timeout: 30_000 });
      expect(await held.textContent()).toContain('2 online accounts are waiting to be removed');
      await held.getByRole('button', { name: 'Review' }).click();
      const dialog = page.getByRole('dialog');
      await expect.poll(() => dialog.textContent()).toContain('Alex Wilber (alex.wilber@contoso.com), Diego Wilber (diego.wilber@contoso.com)');
      await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
      await screenshot(page, 'users-held-deletes');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await expect.poll(() => dialog.count()).toBe(0);

      await rows(page).first().getByRole('checkbox').click();
      await page.getByRole('button', { name: 'Reset password' }).click();
      const confirm = dialog.getByRole('button', { name: 'Reset password' });
      await dialog.getByLabel('New password').fill('Summer-2026!');
      await dialog.getByLabel('Confirm the password').fill('Summer-2027!');
      await expect.poll(() => dialog.textContent()).toContain('The passwords don’t match.');
      expect(await confirm.isDisabled()).toBe(true);
      await dialog.getByLabel('Confirm the password').fill('Summer-2026!');
      expect(await confirm.isDisabled()).toBe(false);
      expect(await seriousA11yViolations(page)).toEqual([]);
      await confirm.click();
      const result = page.getByTestId('action-result');
      await result.waitFor({ timeout: 30_000 });
      expect(await result.locator('li').allTextContents()).toEqual([expect.stringMatching(/^Adele Bowen \(adele\.bowen@contoso\.com\): .+/)]);
    });
  });
});

describe('Users page live sync status', () => {
  it('follows sync:status-changed and sync:progress pushed by the core', async () => {
    await withPage(browser, big, '#/users', async ({ page }) => {
      const bar = page.getByTestId('users-sync-status');
      await bar.waitFor({ timeout: 30_000 });
      const base = await big.host.core.handlers['sync:get-status']();
      big.host.core.events.emit('sync:status-changed', { ...base, state: 'running', message: 'Syncing 120 changes with Microsoft 365…', pending: 120 });
      big.host.core.events.emit('sync:progress', { runId: 7, done: 30, failed: 2, pending: 88 });
      await expect.poll(() => bar.textContent()).toContain('Syncing 120 changes with Microsoft 365…');
      await expect.poll(() => bar.textContent()).toContain('30 done · 2 failed · 88 to go');
      expect(await bar.getByRole('progressbar').count()).toBe(1);
      expect(await bar.getByRole('button', { name: 'Sync now' }).isDisabled()).toBe(true);
      big.host.core.events.emit('sync:status-changed', { ...base, state: 'idle', message: 'Everything is in step with Microsoft 365.', pending: 0 });
      await expect.poll(() => bar.getByRole('progressbar').count()).toBe(0);
      expect(await bar.textContent()).toContain('Everything is in step with Microsoft 365.');
    });
  });
});

describe('Users page before integration', () => {
  it('shows only the explanation when the server has no directory users', async () => {
    const empty = await startDashboard();
    const { context, page, errors } = await openDashboard(browser, empty, '#/users');
    try {
      await page.getByRole('region', { name: 'Integrate with Microsoft 365 to manage users' }).waitFor();
      await page.waitForLoadState('networkidle').catch(() => undefined);
      expect(await page.getByTestId('directory-users').isVisible()).toBe(false);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await empty.stop();
    }
  });

  it('keeps the integration explanation and still lists the directory users', async () => {
    await withPage(browser, fresh, '#/users', async ({ page }) => {
      await page.getByRole('region', { name: 'Integrate with Microsoft 365 to manage users' }).waitFor();
      await expect.poll(() => count(page), { timeout: 30_000 }).toBe('40 accounts');
      expect(await page.getByRole('tab', { name: 'Online accounts' }).count()).toBe(0);
      expect(await page.getByRole('toolbar', { name: 'Account actions' }).count()).toBe(0);
      expect(await rows(page).getByRole('checkbox').count()).toBe(0);
      expect(await seriousA11yViolations(page)).toEqual([]);
      await screenshot(page, 'users-not-integrated');
    });
  });
});
