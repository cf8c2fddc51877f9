import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeFirstSync, fakeSyncPorts, launchBrowser, navTabNames, openDashboard, withPage, screenshot, seriousA11yViolations, startDashboard, TEST_TENANT, type DashboardHost } from './fixtures/dashboard';

// Every page of the web dashboard opens, logs no console error, passes axe (no serious/critical issue)
// and is captured for review — once as a fresh server, and Office 365 once the server is integrated.
let browser: Browser;
let fresh: DashboardHost;
let integrated: DashboardHost;

beforeAll(async () => {
  [browser, fresh, integrated] = await Promise.all([launchBrowser(), startDashboard(), startDashboard({ integrated: true, syncPorts: fakeSyncPorts() })]);
  await completeFirstSync(integrated.host);
});

afterAll(async () => {
  await browser?.close();
  await fresh?.stop();
  await integrated?.stop();
});

describe('dashboard pages (not integrated)', () => {
  const pages = [
    { id: 'home', heading: 'Home' },
    { id: 'users', heading: 'Users' },
    { id: 'storage', heading: 'Storage' },
  ] as const;

  for (const p of pages) {
    it(`${p.id} opens cleanly, passes axe and is captured`, async () => {
      await withPage(browser, fresh, `#/${p.id}`, async ({ page }) => {
        await expect.poll(() => page.locator('main h1').textContent()).toBe(p.heading);
        await expect.poll(() => page.getByTestId('server-name').textContent()).toMatch(/^Server: .+/);
        await page.waitForLoadState('networkidle').catch(() => undefined);
        expect(await seriousA11yViolations(page)).toEqual([]);
        await screenshot(page, p.id === 'users' ? 'users-empty' : p.id);
      });
    });
  }

  it('hides Office 365 before integration and falls back to Home for its link', async () => {
    await withPage(browser, fresh, '#/office-365', async ({ page }) => {
      await expect.poll(() => page.locator('main h1').textContent()).toBe('Home');
      expect(await navTabNames(page)).toEqual(['Home', 'Users', 'Storage']);
    });
  });

  it('Users explains integration and its button opens the Microsoft 365 wizard dialog', async () => {
    await withPage(browser, fresh, '#/users', async ({ page }) => {
      const region = page.getByRole('region', { name: 'Integrate with Microsoft 365 to manage users' });
      await region.getByRole('button', { name: 'Integrate with Microsoft 365' }).click();
      const dialog = page.getByRole('dialog');
      await expect.poll(() => dialog.getByRole('heading').first().textContent()).toBe('Integrate with Microsoft 365');
      await page.keyboard.press('Escape');
      await expect.poll(() => dialog.count()).toBe(0);
    });
  });
});

describe('dashboard pages (integrated)', () => {
  it('shows Office 365 live when the core pushes app:info-changed after integration', async () => {
    const dash = await startDashboard();
    const { context, page, errors } = await openDashboard(browser, dash);
    try {
      expect(await navTabNames(page)).not.toContain('Office 365');
      dash.host.core.context.settings.update((s) => ({ ...s, tenant: TEST_TENANT }));
      expect((await dash.host.core.handlers['app:get-info']()).integrated).toBe(true);
      dash.host.core.context.signals.emit('integrationChanged'); // what a wizard does: the core pushes app:info-changed
      await expect.poll(() => navTabNames(page)).toEqual(['Home', 'Users', 'Storage', 'Office 365']);
      await expect.poll(() => page.getByTestId('task-integrate').textContent()).toContain('Done');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
      await dash.stop();
    }
  });

  it('office-365 appears in the navigation, opens cleanly, passes axe and is captured', async () => {
    await withPage(browser, integrated, '', async ({ page }) => {
      expect(await navTabNames(page)).toEqual(['Home', 'Users', 'Storage', 'Office 365']);
      await page.getByRole('tab', { name: 'Office 365' }).click();
      await expect.poll(() => page.locator('main h1').textContent()).toBe('Office 365');
      await expect.poll(() => page.url()).toMatch(/#\/office-365$/);
      await page.getByRole('button', { name: 'Open Microsoft 365 admin center' }).waitFor();
      expect(await seriousA11yViolations(page)).toEqual([]);
      await screenshot(page, 'office-365-first-load');
      await page.getByRole('button', { name: 'Disable integration' }).click();
      await expect.poll(() => page.getByRole('dialog').getByRole('heading').first().textContent()).toBe('Disable Microsoft 365 integration');
      await page.getByRole('dialog').getByRole('button', { name: /^(Close|Cancel)$/ }).click();
      await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    });
  });

  it('Home marks the integration task done', async () => {
    await withPage(browser, integrated, '#/home', async ({ page }) => {
      const task = page.getByTestId('task-integrate');
      await expect.poll(() => task.textContent()).toContain('Done');
      expect(await task.getByRole('button', { name: 'Open Office 365' }).count()).toBe(1);
    });
  });
});
