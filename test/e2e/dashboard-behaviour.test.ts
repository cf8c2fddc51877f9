import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../shared/contract';
import { launchBrowser, openDashboard, withPage, screenshot, seriousA11yViolations, startDashboard, type DashboardHost } from './fixtures/dashboard';

/** A status as the sync runtime would publish it (the UI's half of the live-status contract, tested on its own). */
const pushed = (s: Pick<SyncStatus, 'state' | 'message' | 'lastError' | 'pending'>): SyncStatus => ({ lastRunAt: null, firstRunDone: true, pendingDeletes: [], lastRunId: null, ...s });

// Live status, OS themes, keyboard navigation, error display and external links in the web dashboard.
let browser: Browser;
let dash: DashboardHost;

beforeAll(async () => {
  [browser, dash] = await Promise.all([launchBrowser(), startDashboard()]);
});

afterAll(async () => {
  await browser?.close();
  await dash?.stop();
});

describe('status area', () => {
  it('updates live when the core pushes sync:status-changed', async () => {
    const { context, page, errors } = await openDashboard(browser, dash);
    try {
      const status = page.getByTestId('sync-status');
      await expect.poll(() => status.getAttribute('data-state')).toBe('not-configured');
      expect(await status.getAttribute('role')).toBe('status');
      dash.host.core.events.emit('sync:status-changed', pushed({ state: 'running', lastError: null, pending: 7, message: 'Syncing 7 changes to Microsoft 365.' }));
      await expect.poll(() => status.textContent()).toContain('Sync: Syncing');
      expect(await status.textContent()).toContain('7 pending');
      dash.host.core.events.emit('sync:status-changed', pushed({ state: 'error', lastError: 'The tenant refused the certificate.', pending: 7, message: 'Sync stopped.' }));
      await expect.poll(() => status.textContent()).toContain('Sync: Needs attention');
      await expect.poll(() => page.getByText('Last error: The tenant refused the certificate.').count()).toBe(1);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      dash.host.core.events.emit('sync:status-changed', await dash.host.core.handlers['sync:get-status']());
    }
  });
});

describe('themes', () => {
  const background = (page: import('playwright-core').Page) =>
    page.evaluate(() => getComputedStyle(document.querySelector('main')!.parentElement!).backgroundColor);
  const luminance = (rgb: string) => {
    const [r = 0, g = 0, b = 0] = (rgb.match(/\d+/g) ?? []).map(Number);
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  };

  it('follows the OS dark scheme, live, and passes axe in dark', async () => {
    await withPage(browser, dash, '', async ({ page }) => {
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
      expect(luminance(await background(page))).toBeGreaterThan(0.8);
      await page.emulateMedia({ colorScheme: 'dark' });
      await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
      await expect.poll(async () => luminance(await background(page))).toBeLessThan(0.25);
      expect(await seriousA11yViolations(page)).toEqual([]);
      await screenshot(page, 'home-dark');
    });
  });

  it('switches to the high-contrast theme under forced colors and still renders every control', async () => {
    await withPage(browser, dash, '', async ({ page }) => {
      await page.emulateMedia({ forcedColors: 'active' });
      await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('high-contrast');
      expect(await page.getByRole('button', { name: 'Integrate with Microsoft 365' }).isVisible()).toBe(true);
      expect(await page.getByRole('tab', { name: 'Users' }).isVisible()).toBe(true);
      await screenshot(page, 'home-high-contrast');
      await page.emulateMedia({ forcedColors: 'none' });
      await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    });
  });
});

describe('keyboard', () => {
  it('Tab reaches the skip link and the navigation; arrows and Enter switch page', async () => {
    await withPage(browser, dash, '', async ({ page }) => {
      const focused = () => page.evaluate(() => ({ text: document.activeElement?.textContent ?? '', role: document.activeElement?.getAttribute('role') ?? '' }));
      await page.keyboard.press('Tab');
      expect((await focused()).text).toBe('Skip to main content');
      expect(await page.getByText('Skip to main content').isVisible()).toBe(true);
      let steps = 0;
      while ((await focused()).role !== 'tab' && steps++ < 10) await page.keyboard.press('Tab');
      expect(await focused()).toMatchObject({ role: 'tab' });
      expect((await focused()).text).toContain('Home');
      // Fluent marks keyboard focus so its focus ring is drawn.
      expect(await page.evaluate(() => document.activeElement?.hasAttribute('data-fui-focus-visible'))).toBe(true);
      await page.keyboard.press('ArrowRight');
      expect((await focused()).text).toContain('Users');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('main h1').textContent()).toBe('Users');
      expect(page.url()).toMatch(/#\/users$/);
      expect(await page.title()).toContain('Users');
    });
  });

  it('the skip link moves focus to main, and the landmarks are present', async () => {
    const { context, page } = await openDashboard(browser, dash);
    try {
      expect(await page.getByRole('banner').count()).toBe(1);
      expect(await page.getByRole('navigation', { name: 'Dashboard' }).count()).toBe(1);
      expect(await page.getByRole('main').count()).toBe(1);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
      expect(page.url()).not.toContain('#main');
    } finally {
      await context.close();
    }
  });
});

describe('errors and links', () => {
  it('shows an API failure in a MessageBar with its code, and Try again recovers', async () => {
    const context = await browser.newContext();
    let fail = true;
    // The live event stream would deliver the status on its own (the sync feature publishes it at start);
    // hold it back so the failing request is the only source of the status.
    await context.route('**/api/events', (route) => route.abort());
    await context.route('**/api/invoke/sync:get-status', (route) =>
      fail
        ? route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ok: false, error: { code: 'sync-store-locked', message: 'The sync database is locked by another process.' } }) })
        : route.continue(),
    );
    const page = await context.newPage();
    try {
      await page.goto(dash.url);
      const bar = page.getByTestId('api-error');
      await bar.waitFor();
      expect(await bar.textContent()).toContain('The sync database is locked by another process.');
      expect(await bar.textContent()).toContain('sync-store-locked');
      expect(await page.getByTestId('sync-status').textContent()).toContain('Status unavailable');
      fail = false;
      await bar.getByRole('button', { name: 'Try again' }).click();
      await expect.poll(() => page.getByTestId('api-error').count()).toBe(0);
      await expect.poll(() => page.getByTestId('sync-status').textContent()).toContain('Sync: Not connected');
    } finally {
      await context.close();
    }
  });

  it('opens an allowlisted help link in a new tab when the core answers "allowed, not opened"', async () => {
    const { context, page, errors } = await openDashboard(browser, dash);
    await context.route('https://learn.microsoft.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>help</title>' }));
    try {
      const [popup] = await Promise.all([context.waitForEvent('page'), page.getByRole('button', { name: 'Open help' }).click()]);
      await popup.waitForLoadState();
      expect(popup.url()).toBe('https://learn.microsoft.com/microsoft-365/admin/');
      expect(await popup.evaluate(() => window.opener)).toBeNull();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows a refused link as an error instead of opening it', async () => {
    const context = await browser.newContext();
    await context.route('**/api/invoke/app:open-external', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ok: true, result: { allowed: false, opened: false, reason: 'This link is not on the list.' } }) }),
    );
    const page = await context.newPage();
    try {
      await page.goto(dash.url);
      await page.getByRole('button', { name: 'Open help' }).click();
      const bar = page.getByTestId('api-error');
      await bar.waitFor();
      expect(await bar.textContent()).toContain('This link is not on the list.');
      expect(context.pages()).toHaveLength(1);
    } finally {
      await context.close();
    }
  });
});
