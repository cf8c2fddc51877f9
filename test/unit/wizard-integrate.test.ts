import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { WizardState } from '../../shared/contract/wizard';
import { SECRET_NAMES } from '../../electron/stores/secret-names';
import { draftPath } from '../../electron/wizards/wizard-draft';
import { DIR_PASSWORD, FINGERPRINT, integrate, integrateToScope, makeHarness, type Harness } from '../support/wizard-fakes';

let t: Harness;
afterEach(() => t?.cleanup());

function step<K extends NonNullable<WizardState['step']>['kind']>(s: WizardState, kind: K): Extract<NonNullable<WizardState['step']>, { kind: K }> {
  expect(s.error).toBeNull();
  expect(s.step?.kind).toBe(kind);
  return s.step as Extract<NonNullable<WizardState['step']>, { kind: K }>;
}

describe('Integrate wizard', () => {
  it('walks every page, creates the app, and marks the server integrated', async () => {
    t = makeHarness();
    step(await t.h['wizard:start']('integrate'), 'get-started');
    // "I need one" stays on the page (the renderer opens the sign-up link through app:open-external)
    step(await t.submit({ action: 'choose-subscription', choice: 'need' }), 'get-started');
    step(await t.submit({ action: 'choose-subscription', choice: 'have' }), 'connect-directory');

    const bad = await t.submit({ action: 'connect-directory', url: 'ldap://dc1', bindUpn: 'svc@corp', password: DIR_PASSWORD });
    expect(bad.error?.code).toBe('invalid-input');

    const trust = step(await t.submit({ action: 'connect-directory', url: 'ldaps://dc1.corp.example.test', bindUpn: 'svc-oe@corp.example.test', password: DIR_PASSWORD }), 'trust-certificate');
    expect(trust.certificate.fingerprintSha256).toBe(FINGERPRINT);
    const wrong = await t.submit({ action: 'trust-certificate', approve: true, fingerprintSha256: 'cd'.repeat(32) });
    expect(wrong.error?.code).toBe('fingerprint-changed');

    const pre = step(await t.submit({ action: 'trust-certificate', approve: true, fingerprintSha256: FINGERPRINT.toUpperCase() }), 'prerequisites');
    expect(pre.canContinue).toBe(true);
    expect(pre.checks.find((c) => c.id === 'upn-suffixes')).toMatchObject({ status: 'warn' });
    expect(pre.checks.find((c) => c.id === 'upn-suffixes')?.detail).toContain('@corp.local');

    step(await t.submit({ action: 'next' }), 'sign-in');
    expect(t.ctx.settings.get().directory).toMatchObject({ url: 'ldaps://dc1.corp.example.test', fingerprintSha256: FINGERPRINT });
    expect(await t.secrets.get(SECRET_NAMES.directoryBindPassword)).toBe(DIR_PASSWORD);

    const review = step(await t.submit({ action: 'sign-in' }), 'review-plan');
    expect(t.ports.openedUrls).toHaveLength(1);
    expect(t.seen.some(([c, p]) => c === 'wizard:state-changed' && (p as WizardState).step?.kind === 'sign-in' && (p as WizardState).step?.kind === 'sign-in' && JSON.stringify(p).includes(t.ports.openedUrls[0]!))).toBe(true);
    expect(review.adminUpn).toBe('admin@contoso.onmicrosoft.com');
    expect(review.items.map((i) => i.kind)).toEqual(['certificate', 'application', 'service-principal', 'app-role', 'app-role', 'app-role', 'app-role', 'app-role', 'directory-role']);
    expect(t.tenant.apps.size).toBe(0); // nothing created before the admin confirms

    const scope = step(await t.submit({ action: 'create' }), 'choose-scope');
    expect(scope.domains.filter((d) => d.isVerified).map((d) => d.name)).toEqual(['contoso.onmicrosoft.com', 'contoso.com']);
    expect(scope.defaultDomain).toBe('contoso.com'); // the company's own domain, not the initial one
    expect(scope.nonRoutableSuffixes).toEqual(['corp.local']);
    expect(t.tenant.apps.size).toBe(1);
    expect(t.tenant.grants.size).toBe(5);
    expect(t.tenant.roles.size).toBe(1);
    expect(t.ctx.settings.get().tenant?.integratedAt).toBeUndefined();

    const bogus = await t.submit({ action: 'choose-scope', defaultDomain: 'fabrikam-unverified.com', scopeDns: [] });
    expect(bogus.error?.code).toBe('invalid-input');
    expect(bogus.error?.message).toContain('fabrikam-unverified.com is not a verified domain');
    const done = step(await t.submit({ action: 'choose-scope', defaultDomain: 'contoso.com', scopeDns: ['OU=Staff,DC=corp,DC=example,DC=test'] }), 'finished');
    expect(done.reload).toBe(false);

    const s = t.ctx.settings.get();
    expect(s.tenant).toMatchObject({ tenantId: 'tenant-1', clientId: 'client-2', defaultDomain: 'contoso.com', adminUpn: 'admin@contoso.onmicrosoft.com', certificateThumbprintSha256: 'thumb-1' });
    expect(s.tenant?.integratedAt).toBe('2026-11-22T20:00:00.000Z');
    expect(s.directory?.scopeDns).toEqual(['OU=Staff,DC=corp,DC=example,DC=test']);
    expect(await t.secrets.get(SECRET_NAMES.appCertificateKey)).toContain('FAKE-PRIVATE-KEY-1');
    expect(t.integrationChanged).toHaveLength(1);
    expect(t.seen.some(([c, p]) => c === 'app:info-changed' && (p as { integrated: boolean }).integrated)).toBe(true);
    expect(fs.existsSync(draftPath(t.dataDir))).toBe(false);
    // every snapshot is stamped with a strictly increasing revision, so the UI can drop late replies
    const revs = t.seen.filter(([c]) => c === 'wizard:state-changed').map(([, p]) => (p as WizardState).rev);
    expect(revs.length).toBeGreaterThan(20);
    expect(revs.every((r, i) => i === 0 || r > revs[i - 1]!)).toBe(true);
    expect((await t.h['wizard:cancel']()).wizard).toBeNull();
    expect(t.ctx.settings.get().tenant?.integratedAt).toBeTruthy(); // closing the finished wizard undoes nothing
  });

  it('refuses an admin without the Global Administrator role and creates nothing', async () => {
    t = makeHarness();
    t.ports.signInAs = { upn: 'helpdesk@contoso.onmicrosoft.com', admin: false, tenantId: '' };
    await t.h['wizard:start']('integrate');
    await t.submit({ action: 'choose-subscription', choice: 'have' });
    await t.submit({ action: 'connect-directory', url: 'ldaps://dc1.corp.example.test', bindUpn: 'svc@corp.example.test', password: DIR_PASSWORD });
    await t.submit({ action: 'trust-certificate', approve: true, fingerprintSha256: FINGERPRINT });
    await t.submit({ action: 'next' });
    const s = await t.submit({ action: 'sign-in' });
    expect(s.step?.kind).toBe('sign-in');
    expect(s.error?.code).toBe('not-admin');
    expect(s.error?.message).toContain('helpdesk@contoso.onmicrosoft.com');
    expect(t.tenant.calls.filter((c) => c.startsWith('create'))).toEqual([]);
  });

  it('undoes everything it created when the tenant fails mid-bootstrap', async () => {
    t = makeHarness();
    t.tenant.failOn = 'grantAppRole:Domain.ReadWrite.All';
    const s = await integrateToScope(t);
    const failed = step(s, 'bootstrap-failed');
    expect(failed.rolledBack).toBe(true);
    expect(failed.message).toContain('grantAppRole');
    expect(failed.items.find((i) => i.id === 'app-role:Domain.ReadWrite.All')?.status).toBe('failed');
    expect(failed.items.find((i) => i.id === 'application')?.status).toBe('undone');
    expect([t.tenant.apps.size, t.tenant.sps.size, t.tenant.grants.size, t.tenant.roles.size]).toEqual([0, 0, 0, 0]);
    const undo = t.tenant.calls.slice(t.tenant.calls.indexOf('grantAppRole:Domain.ReadWrite.All') + 1).map((c) => c.split(':')[0]);
    expect(undo).toEqual(['removeAppRole', 'removeAppRole', 'removeAppRole', 'deleteServicePrincipal', 'deleteApplication']); // newest first
    expect(await t.secrets.get(SECRET_NAMES.appCertificateKey)).toBeNull();
    expect(t.ctx.settings.get().tenant).toBeNull();
    expect(t.integrationChanged).toHaveLength(0);

    t.tenant.failOn = null;
    step(await t.submit({ action: 'retry' }), 'review-plan');
    step(await t.submit({ action: 'create' }), 'choose-scope');
  });

  it('offers only the initial domain while no own domain is verified, and picks up one verified meanwhile', async () => {
    t = makeHarness();
    t.tenant.domains = t.tenant.domains.map((d) => ({ ...d, isVerified: d.isInitial }));
    const scope = step(await integrateToScope(t), 'choose-scope');
    expect(scope.domains.filter((d) => d.isVerified).map((d) => d.name)).toEqual(['contoso.onmicrosoft.com']);
    expect(scope.defaultDomain).toBe('contoso.onmicrosoft.com');
    expect((await t.submit({ action: 'choose-scope', defaultDomain: 'contoso.com', scopeDns: [] })).error?.code).toBe('invalid-input');
    t.tenant.domains = t.tenant.domains.map((d) => ({ ...d, isVerified: d.isInitial || d.name === 'contoso.com' }));
    const again = step(await t.submit({ action: 'retry' }), 'choose-scope');
    expect(again.defaultDomain).toBe('contoso.com');
    step(await t.submit({ action: 'choose-scope', defaultDomain: 'contoso.com', scopeDns: [] }), 'finished');
  });

  it('stops with a clear error when the tenant has no verified domain', async () => {
    t = makeHarness();
    t.tenant.domains = t.tenant.domains.map((d) => ({ ...d, isVerified: false }));
    const s = await integrateToScope(t);
    expect(s.error?.code).toBe('no-verified-domain');
    expect(t.ctx.settings.get().tenant?.integratedAt).toBeUndefined();
  });

  it('fails the prerequisites for two DCs, a 6-minute clock skew and an unreachable tenant', async () => {
    t = makeHarness();
    t.ports.facts = { ...t.ports.facts, domainControllers: ['dc1.corp.example.test', 'dc2.corp.example.test'] };
    t.tenant.reachable = false;
    await t.h['wizard:start']('integrate');
    await t.submit({ action: 'choose-subscription', choice: 'have' });
    t.ports.certTrusted = true;
    const s = await t.submit({ action: 'connect-directory', url: 'ldaps://dc1.corp.example.test', bindUpn: 'svc@corp.example.test', password: DIR_PASSWORD });
    const pre = step(s, 'prerequisites');
    expect(pre.canContinue).toBe(false);
    expect(Object.fromEntries(pre.checks.map((c) => [c.id, c.status]))).toMatchObject({ 'single-dc': 'fail', tenant: 'fail', ldaps: 'pass' });
    expect((await t.submit({ action: 'next' })).error?.code).toBe('wrong-step');
  });

  it('resumes after the dashboard closes midway without keeping any secret in the draft', async () => {
    t = makeHarness();
    await t.h['wizard:start']('integrate');
    await t.submit({ action: 'choose-subscription', choice: 'have' });
    await t.submit({ action: 'connect-directory', url: 'ldaps://dc1.corp.example.test', bindUpn: 'svc@corp.example.test', password: DIR_PASSWORD });
    await t.submit({ action: 'trust-certificate', approve: true, fingerprintSha256: FINGERPRINT });
    await t.submit({ action: 'next' });
    await t.submit({ action: 'sign-in' });
    const draft = fs.readFileSync(draftPath(t.dataDir), 'utf8');
    expect(JSON.parse(draft)).toMatchObject({ wizard: 'integrate', stepKind: 'review-plan' });
    expect(draft).not.toContain(DIR_PASSWORD);
    t.feature.dispose?.();

    const again = makeHarness(t.dataDir, t.tenant, t.secrets);
    await again.feature.start?.();
    const resumed = await again.h['wizard:get-state']();
    expect(resumed.resumed).toBe(true);
    expect(step(resumed, 'sign-in').signIn.note).toMatch(/Sign in again/);
    step(await again.submit({ action: 'sign-in' }), 'review-plan');
    t = again;
  });

  it('undoes objects left by an interrupted bootstrap before creating new ones', async () => {
    t = makeHarness();
    await integrateToScope(t);
    // the process "crashed" after the app was created: keep the journal, drop the rest of the run
    const objectId = [...t.tenant.apps.keys()][0]!;
    const draft = JSON.parse(fs.readFileSync(draftPath(t.dataDir), 'utf8')) as { stepKind: string; journal: unknown[] };
    fs.writeFileSync(draftPath(t.dataDir), JSON.stringify({ ...draft, stepKind: 'working', journal: draft.journal.slice(0, 1) }));
    const again = makeHarness(t.dataDir, t.tenant, t.secrets);
    await again.feature.start?.();
    const review = step(await again.submit({ action: 'sign-in' }), 'review-plan');
    expect(review.leftovers).toBe(1);
    t.tenant.calls = [];
    step(await again.submit({ action: 'create' }), 'choose-scope');
    expect(t.tenant.calls[0]).toBe(`deleteApplication:${objectId}`);
    expect(t.tenant.apps.has(objectId)).toBe(false);
    t = again;
  });

  it('cancelling after the bootstrap removes the app again', async () => {
    t = makeHarness();
    await integrateToScope(t);
    expect(t.tenant.apps.size).toBe(1);
    await t.h['wizard:cancel']();
    expect(t.tenant.apps.size).toBe(0);
    expect(t.ctx.settings.get().tenant).toBeNull();
    expect(await t.secrets.get(SECRET_NAMES.appCertificateKey)).toBeNull();
  });

  it('refuses to run twice, and refuses a second wizard while one is open', async () => {
    t = makeHarness();
    await integrate(t);
    await expect(t.h['wizard:start']('integrate')).rejects.toMatchObject({ code: 'already-integrated' });
    step(await t.h['wizard:start']('change-admin'), 'change-admin-intro');
    await expect(t.h['wizard:start']('disable')).rejects.toMatchObject({ code: 'wizard-open' });
  });
});

describe('wizard transition tables', () => {
  it('refuses an action sent from a page that is no longer shown, and one the current page does not list', async () => {
    t = makeHarness();
    await t.h['wizard:start']('integrate');
    await t.submit({ action: 'choose-subscription', choice: 'have' });
    // A stale tab still showing "Get started" clicks again: the core is on the directory page now.
    const stale = await t.h['wizard:submit-step']('get-started', { action: 'choose-subscription', choice: 'have' });
    expect([stale.step?.kind, stale.error?.code]).toEqual(['connect-directory', 'wrong-step']);
    // Another wizard's action on this page, and an action this page does not take.
    expect((await t.h['wizard:submit-step']('connect-directory', { action: 'disable', removeAppRegistration: true })).error?.code).toBe('wrong-step');
    expect((await t.h['wizard:submit-step']('connect-directory', { action: 'create' })).error?.code).toBe('wrong-step');
    // Nothing of that reached a port.
    expect(t.tenant.calls).toEqual([]);
    expect(t.ctx.settings.get().directory).toBeNull();
  });
});
