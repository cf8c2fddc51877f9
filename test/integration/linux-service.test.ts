// The service installed on a Linux DC, into a temporary root (DESTDIR-style; nothing outside it changes): the unit
// verifies, the installed bundle runs as its unit runs it with no desktop session, the Integrate wizard's directory
// password ends up sealed under the key only systemd hands the unit, and nothing in the repository opens it.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SealedFileSecretStore, sealedSecretsPath, SERVICE_KEY_CREDENTIAL } from '../../electron/stores/sealed-file-secret-store';
import { SECRET_NAMES } from '../../electron/stores/secret-names';
import { openNodeSettings } from '../../electron/stores/settings-store';
import { ensureRendererBuilt, REPO_ROOT } from '../e2e/fixtures/build-renderer';
import { credentialEnv, deliverCredentials, startUnit, unitDirectives, type RunningUnit } from '../support/systemd-unit';
import { makeTempDir } from '../support/temp-dir';
import { loopbackIp, startTestDc, type TestDc } from '../samba/dc-harness';
import { startSandboxTenant, type SandboxTenant } from '../sandbox-tenant/sandbox';
import { candidateKeys, dashboardClient, exposure, filesUnder, installer, verifyUnit } from './linux-service-helpers';

const tmp = makeTempDir('oe-service-root-');
const root = tmp.dir;
const at = (p: string): string => path.join(root, p);
const UNIT = '/etc/systemd/system/openessentials.service';
const DATA = '/var/lib/openessentials';
let dc: TestDc;
let sb: SandboxTenant;
let firstInstall = '';
let serviceOutput = '';

/** Starts the installed unit with the dashboard (as `systemctl edit` adding --web would) and returns a client for it. */
async function startWithDashboard(): Promise<{ unit: RunningUnit; api: Awaited<ReturnType<typeof dashboardClient>> }> {
  const unit = startUnit(root, at(UNIT), ['--web']);
  const out = await unit.waitFor('Dashboard: ');
  return { unit, api: await dashboardClient(/Dashboard: (\S+)/.exec(out)![1]!) };
}

/** The key the unit gets, as PID 1 would deliver it (decrypted with this root's host key). */
function deliveredKey(): Buffer {
  const dir = path.join(makeTempDir('oe-cred-').dir);
  deliverCredentials(root, unitDirectives(at(UNIT)), dir);
  const key = fs.readFileSync(path.join(dir, SERVICE_KEY_CREDENTIAL));
  fs.rmSync(dir, { recursive: true, force: true });
  return key;
}

beforeAll(async () => {
  execFileSync(process.execPath, ['scripts/build-electron.mjs'], { cwd: REPO_ROOT, stdio: 'ignore' });
  ensureRendererBuilt();
  [dc, sb] = await Promise.all([startTestDc({ ip: loopbackIp(11) }), startSandboxTenant({ seed: { tenantId: undefined } })]);
  firstInstall = installer(['install', '--root', root, '--user', 'openessentials']);
  // the one thing arranged: which tenant the wizard checks (the sandbox instead of Microsoft 365)
  openNodeSettings(at(DATA)).update((s) => ({ ...s, tenantEndpoints: { authorityHost: sb.url, graphBaseUrl: sb.url, caPem: sb.caPem } }));
  const { unit, api } = await startWithDashboard();
  try {
    await api.invoke('wizard:start', 'integrate');
    await api.submit({ action: 'choose-subscription', choice: 'have' });
    const trust = await api.submit({ action: 'connect-directory', url: dc.url, bindUpn: dc.adminUpn, password: dc.adminPassword });
    if (trust.step?.kind !== 'trust-certificate') throw new Error(`expected the certificate page: ${JSON.stringify(trust)}`);
    const pre = await api.submit({ action: 'trust-certificate', approve: true, fingerprintSha256: trust.step.certificate.fingerprintSha256 });
    if (pre.step?.kind !== 'prerequisites' || !pre.step.canContinue) throw new Error(`prerequisites: ${JSON.stringify(pre)}`);
    // "Next" saves the DC connection: the Domain Admin password goes into the service's SecretStore
    const next = await api.submit({ action: 'next' });
    if (next.step?.kind !== 'sign-in') throw new Error(`expected sign-in: ${JSON.stringify(next)}`);
  } finally {
    expect(await unit.stop()).toBe(0);
    serviceOutput = unit.output();
  }
}, 240_000);

afterAll(async () => {
  await Promise.all([dc?.stop(), sb?.stop()]);
  tmp.cleanup();
});

describe('the service installed on a Linux DC (into a temporary root)', () => {
  it('installs the app, a unit that systemd-analyze verifies, a sealed key and private folders', () => {
    expect(firstInstall).toContain('Installed OpenEssentials 0.1.0');
    for (const f of ['/opt/openessentials/dist/electron/headless.mjs', '/opt/openessentials/dist/electron/syncpasswords-hook.sh', '/opt/openessentials/dist/renderer/index.html', '/opt/openessentials/node_modules/better-sqlite3/package.json']) expect(fs.existsSync(at(f)), f).toBe(true);
    expect(fs.existsSync(at('/opt/openessentials/node_modules/vitest')), 'no dev dependency is installed').toBe(false);
    expect(verifyUnit(at(UNIT))).toBe('');
    const unit = unitDirectives(at(UNIT));
    expect(unit.get('User')).toEqual(['openessentials']);
    expect(unit.get('LoadCredentialEncrypted')).toEqual([`${SERVICE_KEY_CREDENTIAL}:/etc/openessentials/secrets-key.cred`]);
    expect(fs.readFileSync(at('/etc/passwd'), 'utf8')).toMatch(/^openessentials:x:\d+:\d+:OpenEssentials service:\/var\/lib\/openessentials:\/usr\/sbin\/nologin$/m);
    for (const dir of ['/etc/openessentials', DATA, `${DATA}/secrets`]) expect(fs.statSync(at(dir)).mode & 0o777, dir).toBe(0o700);
    for (const file of ['/etc/openessentials/secrets-key.cred', sealedSecretsPath(DATA), `${DATA}/config.json`, `${DATA}/sync.db`]) expect(fs.statSync(at(file)).mode & 0o777, file).toBe(0o600);
    expect(exposure(at(UNIT))).toBeLessThanOrEqual(2);
  });

  it('verifies the other variants too (root on a Samba DC, a root-only key file), and the check catches a broken unit', () => {
    const other = makeTempDir('oe-service-root-');
    try {
      fs.mkdirSync(path.join(other.dir, 'etc/samba'), { recursive: true });
      fs.copyFileSync(dc.smbConf, path.join(other.dir, 'etc/samba/smb.conf')); // an AD DC's config: the user is chosen as root
      const out = installer(['install', '--root', other.dir, '--key-store', 'file', '--gnupg-home', '/var/lib/samba/gnupg']);
      expect(out).toContain('runs as root; secrets key: root-only file');
      const unitFile = path.join(other.dir, UNIT);
      const unit = unitDirectives(unitFile);
      expect([unit.get('User'), unit.get('CapabilityBoundingSet'), unit.get('LoadCredential')]).toEqual([undefined, [''], [`${SERVICE_KEY_CREDENTIAL}:/etc/openessentials/secrets-key`]]);
      expect(unit.get('ReadWritePaths')).toEqual([DATA, '-/var/lib/samba/gnupg']);
      expect(fs.statSync(path.join(other.dir, 'etc/openessentials/secrets-key')).mode & 0o777).toBe(0o400);
      expect(verifyUnit(unitFile)).toBe('');
      expect(exposure(unitFile)).toBeLessThanOrEqual(2.5);
      fs.writeFileSync(unitFile, fs.readFileSync(unitFile, 'utf8').replace('ProtectSystem=strict', 'ProtectSystm=strict'));
      expect(verifyUnit(unitFile)).toContain("Unknown key 'ProtectSystm'");
    } finally {
      other.cleanup();
    }
  });

  it('ran unattended with no D-Bus session or keyring, and sealed the password the Integrate wizard took', async () => {
    expect(serviceOutput).toContain('secrets: sealed under the systemd credential');
    const sealed = JSON.parse(fs.readFileSync(at(sealedSecretsPath(DATA)), 'utf8'));
    expect(Object.keys(sealed.secrets)).toEqual([SECRET_NAMES.directoryBindPassword]);
    expect(await new SealedFileSecretStore(at(sealedSecretsPath(DATA)), deliveredKey()).get(SECRET_NAMES.directoryBindPassword)).toBe(dc.adminPassword);
    // no cleartext anywhere: not in the data dir, the key dir, the app, the service's output (the journal)
    const forms = [dc.adminPassword, Buffer.from(dc.adminPassword).toString('base64'), Buffer.from(dc.adminPassword).toString('hex')];
    for (const file of filesUnder(root, ['node_modules'])) for (const form of forms) expect(fs.readFileSync(file, 'latin1').includes(form), file).toBe(false);
    for (const form of forms) expect(serviceOutput).not.toContain(form);
  });

  it('nothing in the repository or the data dir opens the secrets, nor does a copy of them without this machine\'s host key', async () => {
    const repoFiles = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO_ROOT, encoding: 'utf8' }).split('\0').filter(Boolean).map((f) => path.join(REPO_ROOT, f)).filter((f) => fs.statSync(f, { throwIfNoEntry: false })?.isFile());
    const stolen = [...filesUnder(at(DATA)), ...filesUnder(at('/etc/openessentials')), ...filesUnder(at('/opt/openessentials'), ['node_modules'])];
    expect(repoFiles).toContain(path.join(REPO_ROOT, 'scripts/with-keyring.sh'));
    const keys = candidateKeys([...repoFiles, ...stolen]);
    expect(keys.length).toBeGreaterThan(10_000);
    const file = at(sealedSecretsPath(DATA));
    const opened: Buffer[] = [];
    for (const key of keys) {
      if (await new SealedFileSecretStore(file, key).get(SECRET_NAMES.directoryBindPassword).then(() => true, () => false)) opened.push(key);
    }
    expect(opened).toEqual([]);
    // the checker works: the real key is found by the same test when it is among the candidates
    const real = deliveredKey();
    fs.writeFileSync(path.join(root, 'leaked.key'), real);
    expect(candidateKeys([path.join(root, 'leaked.key')]).some((k) => k.equals(real))).toBe(true);
    fs.rmSync(path.join(root, 'leaked.key'));
    // the sealed key without the host key it was sealed with (another machine, or a backup of /etc/openessentials + the data dir)
    const elsewhere = makeTempDir('oe-other-host-');
    try {
      const otherHostKey = path.join(elsewhere.dir, 'credential.secret');
      fs.writeFileSync(otherHostKey, randomBytes(4096), { mode: 0o400 });
      for (const secret of [otherHostKey, path.join(elsewhere.dir, 'missing')]) {
        const r = spawnSync('systemd-creds', ['decrypt', `--name=${SERVICE_KEY_CREDENTIAL}`, at('/etc/openessentials/secrets-key.cred'), '-'], { env: { ...credentialEnv(root), SYSTEMD_CREDENTIAL_SECRET: secret } });
        expect([r.status, r.stdout.length]).not.toEqual([0, 32]);
        expect(r.status).not.toBe(0);
      }
    } finally {
      elsewhere.cleanup();
    }
  });

  it('install → upgrade keeps the data dir and the key, the service still opens its secrets → uninstall says what it leaves → purge', async () => {
    const keyBefore = fs.readFileSync(at('/etc/openessentials/secrets-key.cred'));
    const dataBefore = Object.fromEntries(filesUnder(at(DATA)).map((f) => [f, fs.readFileSync(f).toString('base64')]));
    fs.writeFileSync(at('/opt/openessentials/dist/electron/left-from-0.0.9.mjs'), '');
    const upgraded = installer(['install', '--root', root, '--key-store', 'file']);
    expect(upgraded).toContain('Upgraded OpenEssentials 0.1.0 → 0.1.0');
    expect(upgraded).toContain('Keeping the existing key (host); --key-store file applies to a new install');
    expect(unitDirectives(at(UNIT)).get('LoadCredentialEncrypted')).toEqual([`${SERVICE_KEY_CREDENTIAL}:/etc/openessentials/secrets-key.cred`]);
    expect(fs.existsSync(at('/opt/openessentials/dist/electron/left-from-0.0.9.mjs')), 'the app folder is replaced').toBe(false);
    expect(fs.readFileSync(at('/etc/openessentials/secrets-key.cred')).equals(keyBefore)).toBe(true);
    expect(Object.fromEntries(filesUnder(at(DATA)).map((f) => [f, fs.readFileSync(f).toString('base64')]))).toEqual(dataBefore);
    expect(unitDirectives(at(UNIT)).get('User'), 'the first install\'s choices are kept').toEqual(['openessentials']);
    const { unit, api } = await startWithDashboard();
    try {
      await api.invoke('wizard:cancel'); // the first run's draft (at sign-in) would resume; start afresh
      await api.invoke('wizard:start', 'integrate');
      const connect = await api.submit({ action: 'choose-subscription', choice: 'have' });
      // the page knows a password is stored only if the upgraded service opened its sealed secrets
      expect(connect.step).toMatchObject({ kind: 'connect-directory', url: dc.url, passwordStored: true });
      await api.invoke('wizard:cancel');
    } finally {
      expect(await unit.stop()).toBe(0);
    }

    const removed = installer(['uninstall', '--root', root], at('/opt/openessentials/service-install.mjs'));
    expect(removed).toMatch(/Removed: \/etc\/systemd\/system\/openessentials\.service, \/opt\/openessentials, \/etc\/sysusers\.d\/openessentials\.conf\./);
    expect(removed).toMatch(/Left in place[^\n]*\n {2}\/var\/lib\/openessentials {2}settings, sync state, logs and the sealed secrets[^\n]*\n {2}\/etc\/openessentials {2}the key/);
    expect(removed).toContain('sudo npm run service:uninstall -- --purge');
    expect([fs.existsSync(at(UNIT)), fs.existsSync(at('/opt/openessentials')), fs.existsSync(at(sealedSecretsPath(DATA))), fs.existsSync(at('/etc/openessentials/secrets-key.cred'))]).toEqual([false, false, true, true]);
    const purged = installer(['uninstall', '--root', root, '--purge']);
    expect(purged).toContain('Purged: /var/lib/openessentials, /etc/openessentials.');
    expect([fs.existsSync(at(DATA)), fs.existsSync(at('/etc/openessentials'))]).toEqual([false, false]);
  });
});
