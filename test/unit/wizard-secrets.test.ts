import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { SECRET_NAMES } from '../../electron/stores/secret-names';
import { ADMIN_TOKEN, allFiles, DIR_PASSWORD, FINGERPRINT, integrate, makeHarness, type Harness } from '../support/wizard-fakes';

let t: Harness;
afterEach(() => t?.cleanup());

describe('Wizard secrets', () => {
  it('no file the wizards write (settings, logs, draft) and no event holds the password, a private key or a token', async () => {
    t = makeHarness();
    // a failed bootstrap first (rollback path logs), then the full Integrate → Change admin (rotate) → Disable
    t.tenant.failOn = 'assignDirectoryRole';
    await t.h['wizard:start']('integrate');
    await t.submit({ action: 'choose-subscription', choice: 'have' });
    // a wrong password first: the error must not echo it
    const wrong = await t.submit({ action: 'connect-directory', url: 'ldaps://dc1.corp.example.test', bindUpn: 'svc@corp.example.test', password: 'Wrong-Pa55-Guess' });
    expect(wrong.step?.kind).toBe('trust-certificate');
    const bad = await t.submit({ action: 'trust-certificate', approve: true, fingerprintSha256: FINGERPRINT });
    const prereq = bad.step?.kind === 'prerequisites' ? bad.step.checks.find((c) => c.id === 'ldaps') : undefined;
    expect(prereq?.status).toBe('fail');
    await t.submit({ action: 'back' });
    await t.submit({ action: 'connect-directory', url: 'ldaps://dc1.corp.example.test', bindUpn: 'svc@corp.example.test', password: DIR_PASSWORD });
    await t.submit({ action: 'trust-certificate', approve: true, fingerprintSha256: FINGERPRINT });
    await t.submit({ action: 'next' });
    await t.submit({ action: 'sign-in' });
    expect((await t.submit({ action: 'create' })).step?.kind).toBe('bootstrap-failed');
    await t.h['wizard:cancel']();
    t.tenant.failOn = null;
    await integrate(t);
    const keys = [await t.secrets.get(SECRET_NAMES.appCertificateKey)];
    await t.h['wizard:start']('change-admin');
    await t.submit({ action: 'next' });
    await t.submit({ action: 'sign-in' });
    await t.submit({ action: 'change-admin', mode: 'rotate' });
    await t.h['wizard:cancel']();
    keys.push(await t.secrets.get(SECRET_NAMES.appCertificateKey));
    await t.h['wizard:start']('disable');
    await t.submit({ action: 'disable', removeAppRegistration: true });
    await t.submit({ action: 'sign-in' });

    const secrets = [DIR_PASSWORD, 'Wrong-Pa55-Guess', ADMIN_TOKEN, 'PRIVATE KEY', ...keys.map((k) => k!.split('\n')[1]!)];
    expect(keys.every((k) => k && k.includes('PRIVATE KEY'))).toBe(true);
    const files = allFiles(t.dataDir);
    expect(files.some((f) => f.endsWith('config.json'))).toBe(true);
    expect(files.some((f) => f.endsWith('openessentials.log'))).toBe(true);
    const log = fs.readFileSync(files.find((f) => f.endsWith('openessentials.log'))!, 'utf8');
    expect(log).toContain('Microsoft 365 integration disabled'); // the log was written during the flows
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      for (const s of secrets) expect(text.includes(s), `${s.slice(0, 12)}… found in ${file}`).toBe(false);
    }
    const events = JSON.stringify(t.seen);
    expect(events).toContain('disable-confirm');
    for (const s of secrets) expect(events.includes(s), `${s.slice(0, 12)}… found in an event`).toBe(false);
  });
});
