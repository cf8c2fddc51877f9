import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../electron/stores/secret-store';
import { SECRET_NAMES } from '../../electron/stores/secret-names';
import { appClient, testCertificate } from '../integration/tenant-helpers';
import { startSandboxTenant, type SandboxTenant } from '../sandbox-tenant/sandbox';
import { completeFirstSync, fakeSyncPorts, launchBrowser, openDashboard, withPage, screenshot, seriousA11yViolations, startDashboard, type DashboardHost } from './fixtures/dashboard';

// The Office 365 page against a real core whose settings point at the sandbox Microsoft 365 tenant, set up
// the way the Integrate wizard leaves them (app id + certificate in settings, private key in the secret store).
let browser: Browser;
let sandbox: SandboxTenant;
let online: DashboardHost;
let offline: DashboardHost;

const ADMIN = 'admin@contoso.onmicrosoft.com';

async function integratedHost(sb: SandboxTenant | null): Promise<DashboardHost> {
  const secrets = new MemorySecretStore();
  const cert = testCertificate();
  await secrets.set(SECRET_NAMES.appCertificateKey, cert.privateKeyPem);
  const clientId = sb ? (await appClient(sb)).reg.appId : '00000000-0000-4000-8000-000000000001';
  // A closed loopback port stands in for "Microsoft 365 can't be reached".
  const base = sb?.url ?? 'https://127.0.0.1:9';
  const dash = await startDashboard({
    secrets,
    syncPorts: fakeSyncPorts(),
    afterStart: (host) => {
      host.core.context.settings.update((s) => ({
        ...s,
        tenant: {
          endpoints: { authorityHost: base, graphBaseUrl: base, ...(sb ? { caPem: sb.caPem } : {}) },
          tenantId: sb?.tenantId ?? '11111111-2222-3333-4444-555555555555',
          clientId,
          certificateThumbprintSha256: cert.thumbprintSha256,
          certificatePem: cert.certificatePem,
          defaultDomain: 'contoso.com',
          adminUpn: ADMIN,
          integratedAt: '2026-11-01T09:00:00.000Z',
        },
      }));
    },
  });
  await completeFirstSync(dash.host);
  return dash;
}

beforeAll(async () => {
  [browser, sandbox] = await Promise.all([launchBrowser(), startSandboxTenant()]);
  // Give the subscription some used seats so the chart has something to draw.
  const { client } = await appClient(sandbox);
  const skus = await client.listSkus();
  const business = skus.find((k) => k.skuPartNumber === 'O365_BUSINESS_PREMIUM');
  if (!business?.skuId) throw new Error('sandbox has no Business Standard SKU');
  for (const upn of ['alex.wilber@contoso.com', 'megan.bowen@contoso.com', 'lee.gu@contoso.com']) {
    const user = await client.findUserByUpn(upn);
    if (!user?.id) throw new Error(`sandbox has no ${upn}`);
    await client.updateUser(user.id, { usageLocation: 'US' });
    await client.assignLicense(user.id, [{ skuId: business.skuId }]);
  }
  [online, offline] = await Promise.all([integratedHost(sandbox), integratedHost(null)]);
});

afterAll(async () => {
  await browser?.close();
  await online?.stop();
  await offline?.stop();
  await sandbox?.stop();
});

describe('Office 365 page', () => {
  it('shows the organisation, domains, licenses and integration status from the tenant; axe clean; captured', async () => {
    await withPage(browser, online, '#/office-365', async ({ page }) => {
      await expect.poll(() => page.locator('main h1').textContent()).toBe('Office 365');
      const org = page.getByTestId('organization-card');
      await expect.poll(() => org.textContent(), { timeout: 30_000 }).toContain('Contoso');
      const domains = await page.getByTestId('domain').allTextContents();
      // Default first, then verified, then unverified — each with its status in words.
      expect(domains).toEqual(['contoso.onmicrosoft.comDefaultInitial', 'contoso.comVerified', 'fabrikam-unverified.comNot verified']);
      // The screen-reader table carries the same numbers as the bars.
      const table = page.getByRole('table', { name: 'Licenses by subscription' });
      const business = table.getByRole('row', { name: /Microsoft 365 Business Standard/ });
      expect(await business.getByRole('cell').allTextContents()).toEqual(['3', '22', '25']);
      expect(await table.getByRole('row').count()).toBe(3);
      expect(await page.getByTestId('license-chart').getAttribute('aria-hidden')).toBe('true');
      const status = page.getByTestId('integration-card');
      await expect.poll(() => status.textContent()).toContain(ADMIN);
      expect(await status.textContent()).toContain('Integrated · Healthy');
      expect(await page.getByTestId('tenant-unreachable').count()).toBe(0);
      await page.waitForLoadState('networkidle').catch(() => undefined);
      expect(await seriousA11yViolations(page)).toEqual([]);
      await screenshot(page, 'office-365');
    });
  });

  it('opens the wizards and the admin portal from its tasks; Link a domain is disabled with a reason', async () => {
    await withPage(browser, online, '#/office-365', async ({ context, page }) => {
      const link = page.getByRole('button', { name: 'Link a domain' });
      expect(await link.getAttribute('aria-disabled')).toBe('true');
      await link.focus();
      await expect.poll(() => page.getByRole('tooltip').textContent()).toMatch(/^Coming soon/);
      await page.keyboard.press('Escape');
      await expect.poll(() => page.getByRole('tooltip').count()).toBe(0);

      const popup = context.waitForEvent('page');
      await page.getByRole('button', { name: 'Manage in the admin portal' }).click();
      const opened = await popup;
      expect(opened.url()).toMatch(/^https:\/\/admin\.microsoft\.com\/|^about:blank|chrome-error/);
      await opened.close();
      expect(await page.getByTestId('api-error').count()).toBe(0);
      // The wizards themselves belong to the wizard host; here: each task opens the right one.
      const dialog = page.locator('[role="dialog"], [role="alertdialog"]');
      await page.getByRole('button', { name: 'Change the administrator account' }).click();
      await expect.poll(() => dialog.textContent(), { timeout: 30_000 }).toContain('Change the Microsoft 365 administrator');
      await dialog.locator('button', { hasText: /^(Close|Cancel)$/ }).first().click();
      await expect.poll(() => dialog.count(), { timeout: 30_000 }).toBe(0);
      await page.getByRole('button', { name: 'Disable integration' }).click();
      await expect.poll(() => dialog.textContent(), { timeout: 30_000 }).toContain('Disable Microsoft 365 integration');
    });
  });

  it('refetches when the core announces that the integration changed', async () => {
    const { context, page, errors } = await openDashboard(browser, online, '#/office-365');
    try {
      const status = page.getByTestId('integration-card');
      await expect.poll(() => status.textContent(), { timeout: 30_000 }).toContain(ADMIN);
      online.host.core.context.settings.update((s) => (s.tenant ? { ...s, tenant: { ...s.tenant, adminUpn: 'new.admin@contoso.com' } } : s));
      online.host.core.context.signals.emit('integrationChanged');
      await expect.poll(() => status.textContent(), { timeout: 30_000 }).toContain('new.admin@contoso.com');
      expect(errors).toEqual([]);
    } finally {
      online.host.core.context.settings.update((s) => (s.tenant ? { ...s, tenant: { ...s.tenant, adminUpn: ADMIN } } : s));
      await context.close();
    }
  });

  it('explains an unreachable tenant with a warning and still shows the local integration status', async () => {
    await withPage(browser, offline, '#/office-365', async ({ page }) => {
      const warning = page.getByTestId('tenant-unreachable');
      await warning.waitFor({ timeout: 60_000 });
      expect(await warning.textContent()).toMatch(/can’t be reached right now/);
      const status = page.getByTestId('integration-card');
      expect(await status.textContent()).toContain(ADMIN);
      expect(await status.textContent()).toContain('contoso.com');
      expect(await page.getByTestId('organization-card').textContent()).toContain('Shown when Microsoft 365 can be reached.');
      expect(await page.getByRole('button', { name: 'Disable integration' }).isEnabled()).toBe(true);
      expect(await seriousA11yViolations(page)).toEqual([]);
      await screenshot(page, 'office-365-unreachable');
    });
  });
});
