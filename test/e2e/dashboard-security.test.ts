import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, startDashboard, type DashboardHost } from './fixtures/dashboard';

// The dashboard is only reachable through the printed one-time link, and the session it grants can't be
// read by page scripts.
let browser: Browser;
let dash: DashboardHost;

beforeAll(async () => {
  [browser, dash] = await Promise.all([launchBrowser(), startDashboard()]);
});

afterAll(async () => {
  await browser?.close();
  await dash?.stop();
});

describe('web dashboard access', () => {
  it('answers 401 to a browser that opens the dashboard without the key', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const response = await page.goto(`${dash.origin}/`);
      expect(response?.status()).toBe(401);
      expect(await page.textContent('body')).toContain('one-time key');
      const api = await page.request.post(`${dash.origin}/api/invoke/app:get-info`, { data: { args: [] } });
      expect(api.status()).toBe(401);
    } finally {
      await context.close();
    }
  });

  it('exchanges the key for an HttpOnly, SameSite=Strict session cookie invisible to scripts', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const response = await page.goto(dash.url);
      expect(response?.status()).toBe(200);
      expect(new URL(page.url()).search).toBe('');
      const cookies = await context.cookies(dash.origin);
      const session = cookies.find((c) => c.name === 'oe_session');
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
      expect(await page.evaluate(() => document.cookie)).not.toContain('oe_session');
    } finally {
      await context.close();
    }
  });
});
