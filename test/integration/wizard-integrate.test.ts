// The three Microsoft 365 wizards against the real adapters: a Samba AD DC (LDAPS, TOFU) and the sandbox
// tenant (MSAL interactive sign-in driven in chromium, Graph bootstrap, rollback in the action log).
import { createHash, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { WizardInput, WizardState } from '../../shared/contract';
import { createCore, type Core } from '../../electron/host/compose-core';
import { createFileLogger } from '../../electron/core/logger';
import { DirectoryClient } from '../../electron/directory/directory-client';
import { MemorySecretStore } from '../../electron/stores/secret-store';
import { openNodeSettings } from '../../electron/stores/settings-store';
import { SECRET_NAMES } from '../../electron/stores/secret-names';
import { loopbackIp, startTestDc, type TestDc } from '../samba/dc-harness';
import { startSandboxTenant, type SandboxTenant } from '../sandbox-tenant/sandbox';

let sb: SandboxTenant;
let dc: TestDc;
let browser: Browser;
let core: Core;
let dataDir: string;
const secrets = new MemorySecretStore();
let signInAs = { upn: 'admin@contoso.onmicrosoft.com', password: 'Sandbox-Admin-1!' };
const signInErrors: string[] = [];

function caSpki(pem: string): string {
  const spki = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

/** Plays the admin in the popup: the sandbox's sign-in page, then its consent page. */
async function driveSignIn(url: string): Promise<void> {
  const page = await browser.newPage();
  try {
    await page.goto(url);
    await page.fill('#login', signInAs.upn);
    await page.fill('#passwd', signInAs.password);
    await page.click('#idSIButton9');
    await page.waitForLoadState();
    if (await page.locator('#error').count()) {
      signInErrors.push((await page.locator('#error').textContent()) ?? '');
      return;
    }
    if (await page.locator('#idBtn_Accept').count()) await page.click('#idBtn_Accept');
    // The consent page posts the code to the wizard's loopback redirect; closing before it lands would lose it.
    await page.waitForURL(/^http:\/\/(localhost|127\.0\.0\.1)/, { timeout: 10_000 }).catch(() => undefined);
  } finally {
    await page.close().catch(() => undefined);
  }
}

async function idle(): Promise<WizardState> {
  const feature = core.handlers;
  for (let i = 0; i < 600; i++) {
    const s = await feature['wizard:get-state']();
    if (!s.busy) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('wizard stayed busy');
}

async function submit(input: WizardInput): Promise<WizardState> {
  await core.handlers['wizard:submit-step']((await core.handlers['wizard:get-state']()).step?.kind ?? 'get-started', input);
  return idle();
}

beforeAll(async () => {
  [sb, dc] = await Promise.all([startSandboxTenant({ seed: { tenantId: undefined } }), startTestDc({ ip: loopbackIp(6) })]);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', `--ignore-certificate-errors-spki-list=${caSpki(sb.caPem)}`],
  });
  const ldap = new DirectoryClient({ url: dc.url, bindUpn: dc.adminUpn, password: dc.adminPassword, tls: { caPem: dc.caPem, serverName: dc.dnsHostName } });
  await ldap.ensureOu(await ldap.ensureOu(dc.domainDn, 'Staff'), 'Sales');
  await ldap.close();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oe-wizard-int-'));
  const settings = openNodeSettings(dataDir);
  settings.update((s) => ({ ...s, tenantEndpoints: { authorityHost: sb.url, graphBaseUrl: sb.url, caPem: sb.caPem } }));
  core = createCore({ mode: 'web', dataDir, settings, secrets, log: createFileLogger(dataDir), serverName: 'DC1' });
  core.events.subscribe((channel, payload) => {
    const s = payload as WizardState;
    if (channel === 'wizard:state-changed' && s.step?.kind === 'sign-in' && s.step.signIn.phase === 'waiting' && s.step.signIn.url) void driveSignIn(s.step.signIn.url).catch((e: unknown) => signInErrors.push(String(e)));
  });
  await core.start();
}, 240_000);

afterAll(async () => {
  await core?.dispose();
  await browser?.close();
  await sb?.stop();
  await dc?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

async function toPrerequisites(): Promise<WizardState> {
  await core.handlers['wizard:start']('integrate');
  await submit({ action: 'choose-subscription', choice: 'have' });
  const trust = await submit({ action: 'connect-directory', url: dc.url, bindUpn: dc.adminUpn, password: dc.adminPassword });
  if (trust.step?.kind !== 'trust-certificate') return trust;
  return submit({ action: 'trust-certificate', approve: true, fingerprintSha256: trust.step.certificate.fingerprintSha256 });
}

describe('Microsoft 365 wizards against Samba AD and the sandbox tenant', () => {
  it('refuses an admin without the Global Administrator role, creating nothing', async () => {
    signInAs = { upn: 'helpdesk@contoso.onmicrosoft.com', password: 'Sandbox-Helpdesk-1!' };
    const pre = await toPrerequisites();
    expect(pre.step?.kind).toBe('prerequisites');
    const checks = pre.step?.kind === 'prerequisites' ? pre.step.checks : [];
    expect(Object.fromEntries(checks.map((c) => [c.id, c.status]))).toMatchObject({ 'single-dc': 'pass', 'on-dc': 'pass', ldaps: 'pass', tenant: 'pass', 'clock-dc': 'pass', 'clock-tenant': 'pass' });
    expect(await submit({ action: 'next' })).toMatchObject({ step: { kind: 'sign-in' } });
    const s = await submit({ action: 'sign-in' });
    expect([s.step?.kind, s.error?.code]).toEqual(['sign-in', 'not-admin']);
    expect((await sb.control.actions()).filter((a) => a.method === 'POST')).toEqual([]);
  });

  it('rolls back when the tenant fails mid-bootstrap (checked in the action log)', async () => {
    onTestFinished(async () => {
      await core.handlers['wizard:cancel']();
    });
    signInAs = { upn: 'admin@contoso.onmicrosoft.com', password: 'Sandbox-Admin-1!' };
    expect((await submit({ action: 'sign-in' })).step?.kind).toBe('review-plan');
    await sb.control.setFaults({ rules: [{ path: '/roleManagement/directory/roleAssignments$', method: 'POST', rate: 1, kind: 'status', status: 503, retryAfterSec: 0 }] });
    const failed = await submit({ action: 'create' }).finally(() => sb.control.setFaults({ rules: [] }));
    expect(failed.step?.kind).toBe('bootstrap-failed');
    const actions = await sb.control.actions();
    const deletes = actions.filter((a) => a.method === 'DELETE').map((a) => a.path.replace(/\/[0-9a-f-]{36}/g, '/{id}'));
    expect(deletes).toEqual(['/servicePrincipals/{id}/appRoleAssignedTo/{id}', '/servicePrincipals/{id}/appRoleAssignedTo/{id}', '/servicePrincipals/{id}/appRoleAssignedTo/{id}', '/servicePrincipals/{id}/appRoleAssignedTo/{id}', '/servicePrincipals/{id}/appRoleAssignedTo/{id}', '/servicePrincipals/{id}', '/applications/{id}']);
    const state = await sb.control.state();
    // every object the wizard created is gone from the tenant, and the wizard says so
    expect(failed.step?.kind === 'bootstrap-failed' && failed.step.rolledBack).toBe(true);
    expect(state.applications.filter((a) => String(a.displayName).startsWith('OpenEssentials'))).toEqual([]);
    expect(state.servicePrincipals.filter((s) => String(s.displayName).startsWith('OpenEssentials'))).toEqual([]);
    expect(await secrets.get(SECRET_NAMES.appCertificateKey)).toBeNull();
    expect(core.context.settings.get().tenant).toBeNull();
  }, 120_000);

  it('integrates, changes the administrator (rotating the certificate) and disables', async () => {
    await sb.control.clearActions();
    expect((await toPrerequisites()).step?.kind).toBe('prerequisites');
    await submit({ action: 'next' });
    expect((await submit({ action: 'sign-in' })).step?.kind).toBe('review-plan');
    const scope = await submit({ action: 'create' });
    expect(scope.error).toBeNull();
    expect(scope.step?.kind).toBe('choose-scope');
    const step = scope.step?.kind === 'choose-scope' ? scope.step : null;
    expect(step?.domains.filter((d) => d.isVerified).map((d) => d.name).sort()).toEqual(['contoso.com', 'contoso.onmicrosoft.com']);
    expect(step?.domains.find((d) => d.name === 'fabrikam-unverified.com')?.isVerified).toBe(false);
    expect(step?.ous.map((o) => [o.name, o.depth])).toEqual([['Staff', 0], ['Sales', 1]]);
    const done = await submit({ action: 'choose-scope', defaultDomain: 'contoso.com', scopeDns: [dc.staffOu] });
    expect(done.step?.kind).toBe('finished');
    await core.handlers['wizard:cancel']();

    const tenant = core.context.settings.get().tenant!;
    expect(tenant.integratedAt).toBeTruthy();
    const state = await sb.control.state();
    const app = state.applications.find((a) => a.appId === tenant.clientId)!;
    expect(app.displayName).toBe('OpenEssentials (DC1)');
    const sp = state.servicePrincipals.find((s) => s.appId === tenant.clientId)!;
    expect(state.appRoleAssignments.filter((a) => a.principalId === sp.id)).toHaveLength(5);
    expect(state.roleAssignments.filter((a) => a.principalId === sp.id).map((a) => a.roleDefinitionId)).toEqual(['fe930be7-5e62-47db-91af-98c3a49a38b1']);

    const overview = await core.handlers['tenant:get-overview']();
    expect(overview.error).toBeNull();
    expect(overview.organization?.displayName).toBe('Contoso');
    expect(overview.licenses.find((l) => l.skuPartNumber === 'O365_BUSINESS_PREMIUM')).toMatchObject({ total: 25 });

    // Change the administrator account, rotating the certificate
    await core.handlers['wizard:start']('change-admin');
    await submit({ action: 'next' });
    expect((await submit({ action: 'sign-in' })).step?.kind).toBe('change-admin-choose');
    const changed = await submit({ action: 'change-admin', mode: 'rotate' });
    expect(changed.error).toBeNull();
    expect(changed.step).toMatchObject({ kind: 'finished', reload: true });
    await core.handlers['wizard:cancel']();
    const rotated = core.context.settings.get().tenant!;
    expect(rotated.certificateThumbprintSha256).not.toBe(tenant.certificateThumbprintSha256);
    const keys = (await sb.control.state()).applications.find((a) => a.appId === tenant.clientId)!.keyCredentials as unknown[];
    expect(keys).toHaveLength(1);
    expect((await core.handlers['tenant:get-overview']()).reachable).toBe(true);

    // Disable, removing the app registration
    await core.handlers['wizard:start']('disable');
    expect((await submit({ action: 'disable', removeAppRegistration: true })).step?.kind).toBe('sign-in');
    const disabled = await submit({ action: 'sign-in' });
    expect(disabled.step?.kind).toBe('finished');
    expect(core.context.settings.get().tenant).toBeNull();
    expect(await secrets.get(SECRET_NAMES.appCertificateKey)).toBeNull();
    const deleted = (await sb.control.actions()).filter((a) => a.method === 'DELETE' && a.path === `/applications/${tenant.applicationObjectId}`);
    expect(deleted).toHaveLength(1);
    const appOutcome = disabled.step?.kind === 'finished' ? disabled.step.outcomes.find((o) => o.id === 'app') : undefined;
    expect((await sb.control.state()).applications.some((a) => a.id === tenant.applicationObjectId)).toBe(false);
    expect(appOutcome?.status).toBe('pass');
    await core.handlers['wizard:cancel']();

    // nothing the wizards wrote holds a secret
    const files = fs.readdirSync(dataDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      expect(text.includes(dc.adminPassword), f).toBe(false);
      expect(text.includes('Sandbox-Admin-1!'), f).toBe(false);
      expect(text.includes('PRIVATE KEY'), f).toBe(false);
      expect(/eyJ[A-Za-z0-9_-]{20,}\.eyJ/.test(text), f).toBe(false);
    }
    expect(signInErrors).toEqual([]);
  }, 180_000);
});
