import { afterEach, describe, expect, it } from 'vitest';
import type { WizardState } from '../../shared/contract/wizard';
import { SECRET_NAMES } from '../../electron/stores/secret-names';
import { integrate, makeHarness, type Harness } from '../support/wizard-fakes';

let t: Harness;
afterEach(() => t?.cleanup());

const kind = (s: WizardState) => s.step?.kind;

describe('Change the administrator account', () => {
  it('rotates the credential: new certificate works, old one is removed, settings and keychain updated', async () => {
    t = makeHarness();
    await integrate(t);
    const before = t.ctx.settings.get().tenant!;
    const objectId = before.applicationObjectId!;
    expect(kind(await t.h['wizard:start']('change-admin'))).toBe('change-admin-intro');
    expect(kind(await t.submit({ action: 'next' }))).toBe('sign-in');
    t.ports.signInAs = { upn: 'second-admin@contoso.onmicrosoft.com', admin: true, tenantId: '' };
    const choose = await t.submit({ action: 'sign-in' });
    expect(choose.step).toMatchObject({ kind: 'change-admin-choose', adminUpn: 'second-admin@contoso.onmicrosoft.com', appFound: true });
    const done = await t.submit({ action: 'change-admin', mode: 'rotate' });
    expect(done.step).toMatchObject({ kind: 'finished', reload: true });

    const after = t.ctx.settings.get().tenant!;
    expect(after.adminUpn).toBe('second-admin@contoso.onmicrosoft.com');
    expect(after.certificateThumbprintSha256).toBe('thumb-2');
    expect(after.integratedAt).toBe(before.integratedAt);
    expect(await t.secrets.get(SECRET_NAMES.appCertificateKey)).toContain('FAKE-PRIVATE-KEY-2');
    expect(t.tenant.accepts(after.clientId!, 'thumb-2')).toBe(true);
    expect(t.tenant.accepts(after.clientId!, 'thumb-1')).toBe(false);
    expect(t.tenant.apps.get(objectId)?.certs).toHaveLength(1);
    expect(t.integrationChanged).toHaveLength(2);
  });

  it('re-binds to another admin without touching the credential', async () => {
    t = makeHarness();
    await integrate(t);
    await t.h['wizard:start']('change-admin');
    await t.submit({ action: 'next' });
    t.ports.signInAs = { upn: 'other@contoso.onmicrosoft.com', admin: true, tenantId: '' };
    await t.submit({ action: 'sign-in' });
    const done = await t.submit({ action: 'change-admin', mode: 'rebind' });
    expect(kind(done)).toBe('finished');
    expect(t.ctx.settings.get().tenant).toMatchObject({ adminUpn: 'other@contoso.onmicrosoft.com', certificateThumbprintSha256: 'thumb-1' });
  });

  it('refuses an admin of another organisation and one without the admin role', async () => {
    t = makeHarness();
    await integrate(t);
    await t.h['wizard:start']('change-admin');
    await t.submit({ action: 'next' });
    t.ports.signInAs = { upn: 'admin@fabrikam.onmicrosoft.com', admin: true, tenantId: 'other-tenant' };
    expect((await t.submit({ action: 'sign-in' })).error?.code).toBe('wrong-tenant');
    t.ports.signInAs = { upn: 'helpdesk@contoso.onmicrosoft.com', admin: false, tenantId: '' };
    const s = await t.submit({ action: 'sign-in' });
    expect([kind(s), s.error?.code]).toEqual(['sign-in', 'not-admin']);
    expect(t.ctx.settings.get().tenant?.adminUpn).toBe('admin@contoso.onmicrosoft.com');
  });

  it('keeps the old certificate when the new one does not work', async () => {
    t = makeHarness();
    await integrate(t);
    await t.h['wizard:start']('change-admin');
    await t.submit({ action: 'next' });
    await t.submit({ action: 'sign-in' });
    const realReader = t.ports.reader;
    t.ports.reader = (cred) => (cred.thumbprintSha256 === 'thumb-2' ? { ...realReader(cred), organization: async () => Promise.reject(new Error('AADSTS700027: key not found')) } : realReader(cred));
    const s = await t.submit({ action: 'change-admin', mode: 'rotate' });
    expect(kind(s)).toBe('change-admin-choose');
    expect(s.error?.message).toContain('AADSTS700027');
    const tenant = t.ctx.settings.get().tenant!;
    expect(tenant.certificateThumbprintSha256).toBe('thumb-1');
    expect(t.tenant.accepts(tenant.clientId!, 'thumb-1')).toBe(true);
    expect(await t.secrets.get(SECRET_NAMES.appCertificateKey)).toContain('FAKE-PRIVATE-KEY-1');
  }, 60_000);
});

describe('Disable integration', () => {
  it('removes the app registration when the admin agrees, then the local credential and settings', async () => {
    t = makeHarness();
    await integrate(t);
    const confirm = await t.h['wizard:start']('disable');
    expect(confirm.step).toMatchObject({ kind: 'disable-confirm', applicationName: 'OpenEssentials (DC1)' });
    expect(kind(await t.submit({ action: 'disable', removeAppRegistration: true }))).toBe('sign-in');
    const done = await t.submit({ action: 'sign-in' });
    expect(done.step).toMatchObject({ kind: 'finished', reload: true });
    const outcomes = done.step?.kind === 'finished' ? done.step.outcomes : [];
    expect(outcomes.find((o) => o.id === 'app')?.status).toBe('pass');
    expect(t.tenant.apps.size).toBe(0);
    expect(t.ctx.settings.get().tenant).toBeNull();
    expect(t.ctx.settings.get().directory).not.toBeNull(); // the domain connection stays
    expect(await t.secrets.get(SECRET_NAMES.appCertificateKey)).toBeNull();
    expect(t.integrationChanged).toHaveLength(2);
    expect(t.tenant.calls.filter((c) => /^(deleteUser|setCertificates|removeDomain)/.test(c))).toEqual([]);
  });

  it('completes locally when the tenant is unreachable, and says the app registration remains', async () => {
    t = makeHarness();
    await integrate(t);
    t.tenant.reachable = false;
    await t.h['wizard:start']('disable');
    await t.submit({ action: 'disable', removeAppRegistration: true });
    const failed = await t.submit({ action: 'sign-in' });
    expect([kind(failed), failed.error?.code]).toEqual(['sign-in', 'unreachable']);
    const done = await t.submit({ action: 'skip-sign-in' });
    expect(kind(done)).toBe('finished');
    const app = done.step?.kind === 'finished' ? done.step.outcomes.find((o) => o.id === 'app') : undefined;
    expect(app?.status).toBe('warn');
    expect(app?.detail).toContain('client-2');
    expect(t.ctx.settings.get().tenant).toBeNull();
    expect(await t.secrets.get(SECRET_NAMES.appCertificateKey)).toBeNull();
    expect(t.tenant.apps.size).toBe(1); // untouched: it could not be reached
  });

  it('can leave a pending sign-in and disable without removing the app', async () => {
    t = makeHarness();
    await integrate(t);
    t.ports.signInMode = 'wait';
    await t.h['wizard:start']('disable');
    await t.submit({ action: 'disable', removeAppRegistration: true });
    await t.h['wizard:submit-step']('sign-in', { action: 'sign-in' });
    expect((await t.h['wizard:get-state']()).busy).toBe(true);
    const done = await t.submit({ action: 'skip-sign-in' });
    expect(kind(done)).toBe('finished');
    expect(t.ctx.settings.get().tenant).toBeNull();
  });

  it('without removal never signs in', async () => {
    t = makeHarness();
    await integrate(t);
    const opened = t.ports.openedUrls.length;
    await t.h['wizard:start']('disable');
    const done = await t.submit({ action: 'disable', removeAppRegistration: false });
    expect(kind(done)).toBe('finished');
    expect(t.ports.openedUrls).toHaveLength(opened);
    expect(t.ctx.settings.get().tenant).toBeNull();
  });
});
