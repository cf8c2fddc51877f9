import { AppError } from '../../electron/core/errors';
import { describe, expect, it } from 'vitest';
import { Settings } from '../../electron/stores/settings-store';
import { MemorySecretStore } from '../../electron/stores/secret-store';
import { readOverview } from '../../electron/tenant/overview-service';
import { canContinue, evaluatePrerequisites, type PrerequisiteInputs } from '../../electron/wizards/prerequisites';
import { type DirectoryFacts } from '../../electron/wizards/ports';
import { SECRET_NAMES } from '../../electron/stores/secret-names';
import { TenantOverview } from '../../shared/contract/tenant';
import { createTenantFeature } from '../../electron/tenant/tenant-feature';
import { integrate, makeHarness } from '../support/wizard-fakes';
import { WizardInput, WizardState } from '../../shared/contract/wizard';

const now = new Date('2026-11-22T20:00:00Z');
const facts: DirectoryFacts = {
  dnsDomainName: 'corp.example.test', netbiosName: 'CORP', domainControllers: ['dc1.corp.example.test'], connectedDc: 'dc1.corp.example.test',
  thisHostIsDc: true, upnSuffixes: [{ suffix: 'corp.example.test', routable: true }], dcTime: now, ous: [],
};
const base: PrerequisiteInputs = { facts, directoryError: null, trustedBy: 'ca', tenantTime: now, tenantError: null, localTime: now };
const statuses = (i: PrerequisiteInputs) => Object.fromEntries(evaluatePrerequisites(i).map((c) => [c.id, c.status]));

describe('Integrate prerequisites', () => {
  it('passes a healthy single-DC domain', () => {
    const checks = evaluatePrerequisites(base);
    expect(checks.map((c) => c.status).every((s) => s === 'pass')).toBe(true);
    expect(checks.map((c) => c.id)).toEqual(['single-dc', 'on-dc', 'ldaps', 'upn-suffixes', 'clock-dc', 'tenant', 'clock-tenant']);
    expect(canContinue(checks)).toBe(true);
  });

  it('fails more than one DC, explains .local suffixes, warns when not on the DC', () => {
    const s = statuses({ ...base, facts: { ...facts, thisHostIsDc: false, domainControllers: ['a', 'b'], upnSuffixes: [{ suffix: 'corp.local', routable: false }] } });
    expect(s).toMatchObject({ 'single-dc': 'fail', 'on-dc': 'warn', 'upn-suffixes': 'warn' });
    const upn = evaluatePrerequisites({ ...base, facts: { ...facts, upnSuffixes: [{ suffix: 'corp.local', routable: false }] } }).find((c) => c.id === 'upn-suffixes')!;
    expect(upn.detail).toContain('@corp.local');
    expect(upn.fix).toMatch(/UPN suffix/);
  });

  it('grades clock skew: 30 s pass, 2 min warn, 6 min fail (and blocks)', () => {
    const at = (ms: number) => new Date(now.getTime() + ms);
    expect(statuses({ ...base, tenantTime: at(30_000) })['clock-tenant']).toBe('pass');
    expect(statuses({ ...base, tenantTime: at(-120_000) })['clock-tenant']).toBe('warn');
    const sixMin = evaluatePrerequisites({ ...base, facts: { ...facts, dcTime: at(360_000) } });
    expect(sixMin.find((c) => c.id === 'clock-dc')?.status).toBe('fail');
    expect(canContinue(sixMin)).toBe(false);
  });

  it('fails LDAPS and the tenant with the probe\'s message and a fix', () => {
    const checks = evaluatePrerequisites({ ...base, facts: null, directoryError: { code: 'invalid-credentials', message: 'The user name or password is incorrect.' }, tenantError: { code: 'unreachable', message: 'Microsoft 365 could not be reached.' } });
    const ldaps = checks.find((c) => c.id === 'ldaps')!;
    expect([ldaps.status, ldaps.detail]).toEqual(['fail', 'The user name or password is incorrect.']);
    expect(checks.find((c) => c.id === 'tenant')?.fix).toMatch(/firewall/);
    expect(canContinue(checks)).toBe(false);
  });
});

describe('Wizard and tenant contract', () => {
  it('rejects unknown actions and oversized input', () => {
    expect(WizardInput.safeParse({ action: 'delete-everything' }).success).toBe(false);
    expect(WizardInput.safeParse({ action: 'connect-directory', url: 'x'.repeat(600), bindUpn: 'a@b' }).success).toBe(false);
    expect(WizardState.safeParse({ wizard: 'integrate', step: { kind: 'nope' }, busy: false, error: null, position: null, resumed: false }).success).toBe(false);
  });
});

describe('Office 365 overview', () => {
  const health = { state: 'idle' as const, lastRunAt: '2026-11-22T19:55:00.000Z', lastError: null, pending: 0, message: '' };
  const integrated = Settings.parse({
    tenant: { endpoints: { authorityHost: 'https://login.example', graphBaseUrl: 'https://graph.example' }, tenantId: 't', clientId: 'c', certificateThumbprintSha256: 'th', integratedAt: '2026-11-22T19:00:00.000Z', adminUpn: 'admin@contoso.onmicrosoft.com', defaultDomain: 'contoso.com' },
  });
  const reader = () => ({
    organization: async () => ({ id: 't', displayName: 'Contoso', countryLetterCode: 'US' }),
    domains: async () => [
      { name: 'contoso.com', isDefault: true, isInitial: false, isVerified: true },
      { name: 'contoso.onmicrosoft.com', isDefault: false, isInitial: true, isVerified: true },
      { name: 'fabrikam.com', isDefault: false, isInitial: false, isVerified: false },
    ],
    skus: async () => [{ skuId: 's', skuPartNumber: 'O365_BUSINESS_PREMIUM', capabilityStatus: 'Enabled', enabled: 25, consumed: 3 }],
  });

  it('returns organisation, domains with status, used and free licenses, and the integration status', async () => {
    const secrets = new MemorySecretStore();
    await secrets.set(SECRET_NAMES.appCertificateKey, 'key');
    const o = TenantOverview.parse(await readOverview(integrated, health, secrets, reader, now));
    expect(o.reachable).toBe(true);
    expect(o.organization?.displayName).toBe('Contoso');
    expect(o.domains.map((d) => [d.name, d.status])).toEqual([['contoso.onmicrosoft.com', 'initial'], ['contoso.com', 'verified'], ['fabrikam.com', 'unverified']]);
    expect(o.licenses[0]).toMatchObject({ displayName: 'Microsoft 365 Business Standard', total: 25, used: 3, free: 22 });
    expect(o.integration).toMatchObject({ integrated: true, adminUpn: 'admin@contoso.onmicrosoft.com', syncState: 'idle', lastSyncAt: '2026-11-22T19:55:00.000Z' });
  });

  it('still answers with the local status when the tenant is unreachable or the key is gone', async () => {
    const secrets = new MemorySecretStore();
    expect((await readOverview(integrated, health, secrets, reader, now)).error?.code).toBe('credential-missing');
    await secrets.set(SECRET_NAMES.appCertificateKey, 'key');
    const down = () => ({ ...reader(), skus: async () => Promise.reject(new AppError('unreachable', 'Microsoft 365 could not be reached.')) });
    const o = await readOverview(integrated, health, secrets, down, now);
    expect([o.reachable, o.error?.code, o.integration.integrated]).toEqual([false, 'unreachable', true]);
    expect((await readOverview(Settings.parse({}), health, secrets, reader, now)).integration.syncState).toBe('not-configured');
  });
});

describe('tenant feature', () => {
  it('follows the integration the wizard made and reads the tenant with the app credential', async () => {
    const t = makeHarness();
    try {
      const made: string[] = [];
      const feature = createTenantFeature(t.ctx, { syncHealth: () => ({ state: 'idle', lastRunAt: null, lastError: null, pending: 0, message: '' }), reader: (cred) => (made.push(cred.thumbprintSha256), t.ports.reader(cred)) });
      expect((await feature.handlers['tenant:get-overview']()).error?.code).toBe('not-integrated');
      await integrate(t);
      expect(t.integrationChanged).toHaveLength(1); // the one call; the composition root turns it into one event
      const first = await feature.handlers['tenant:get-overview']();
      expect(first.integration).toMatchObject({ integrated: true, defaultDomain: 'contoso.com' });
      await feature.handlers['tenant:get-overview']();
      expect([first.reachable, first.organization?.displayName, first.licenses[0]?.free]).toEqual([true, 'Contoso', 22]);
      expect(new Set(made)).toEqual(new Set(['thumb-1']));
      feature.dispose?.();
    } finally {
      t.cleanup();
    }
  });
});
