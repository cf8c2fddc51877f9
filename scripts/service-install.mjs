#!/usr/bin/env node
// Installs, upgrades and removes the headless service as a systemd unit on a Linux DC (README "On a Linux DC";
// the design and threat model: docs/linux-service.md). `--root DIR` puts every file under DIR (DESTDIR-style, for
// tests and image builds) and then touches nothing outside it: no systemctl, and systemd-creds uses DIR's host key.
//   node scripts/service-install.mjs install [--root DIR] [--user auto|root|openessentials] [--key-store auto|tpm2|host|file] [--gnupg-home DIR]
//   node /opt/openessentials/service-install.mjs uninstall [--root DIR] [--purge]
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stageApp } from './service-stage.mjs';

const NAME = 'openessentials';
const CREDENTIAL = 'openessentials-secrets-key';
/** Where each piece goes on the target system (before `--root`). */
export const LAYOUT = {
  app: '/opt/openessentials',
  unit: '/etc/systemd/system/openessentials.service',
  etc: '/etc/openessentials',
  data: '/var/lib/openessentials',
  sysusers: '/etc/sysusers.d/openessentials.conf',
  hostKey: '/var/lib/systemd/credential.secret',
};
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    root: { type: 'string', default: '/' },
    user: { type: 'string', default: 'auto' },
    'key-store': { type: 'string', default: 'auto' },
    'gnupg-home': { type: 'string' },
    purge: { type: 'boolean', default: false },
  },
});
process.umask(0o022); // the app must be readable by the service user whatever umask root has; secrets get explicit modes
const root = path.resolve(opts.root);
const real = root === '/';
const at = (p) => path.join(root, p);
const say = (line) => process.stdout.write(`${line}\n`);
const fail = (message) => {
  process.stderr.write(`service-install: ${message}\n`);
  process.exit(1);
};
const has = (cmd) => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
// Under --root, systemd-creds seals with that tree's own host key (systemd's documented override), never the machine's.
const credsEnv = { ...process.env, ...(real ? {} : { SYSTEMD_CREDENTIAL_SECRET: at(LAYOUT.hostKey) }) };
const systemdRunning = real && fs.existsSync('/run/systemd/system');
const systemctl = (...args) => execFileSync('systemctl', args, { stdio: 'inherit' });

/** A Samba AD DC: password capture reads its sam.ldb (0600 in a 0700 root dir) and gpg key, which only root can. */
function isSambaDc() {
  const conf = at('/etc/samba/smb.conf');
  if (!fs.existsSync(conf) || !has('testparm')) return false;
  const role = execFileSync('testparm', ['-s', '--suppress-prompt', '--parameter-name=server role', conf], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return role.trim() === 'active directory domain controller';
}

/** --gnupg-home, else the one the settings name (an upgrade after Integrate), else Samba's default: root's. */
function gnupgHome() {
  if (opts['gnupg-home']) return path.resolve(opts['gnupg-home']);
  try {
    const capture = JSON.parse(fs.readFileSync(at(path.join(LAYOUT.data, 'config.json')), 'utf8')).directory?.passwordCapture;
    if (capture?.gnupgHome) return capture.gnupgHome;
  } catch {
    /* not integrated yet */
  }
  return '/root/.gnupg';
}

/** An existing key decides (an upgrade, or a first install that stopped half-way); otherwise --key-store. */
function chooseKeyStore(previous) {
  const wanted = opts['key-store'];
  const existing = fs.existsSync(at(`${LAYOUT.etc}/secrets-key.cred`)) ? (previous ?? 'host') : fs.existsSync(at(`${LAYOUT.etc}/secrets-key`)) ? 'file' : null;
  if (existing) {
    if (wanted !== 'auto' && wanted !== existing) say(`Keeping the existing key (${existing}); --key-store ${wanted} applies to a new install (uninstall --purge first).`);
    return existing;
  }
  if (!['auto', 'tpm2', 'host', 'file'].includes(wanted)) fail(`--key-store must be auto, tpm2, host or file (got ${wanted})`);
  let version = 0;
  try {
    version = Number(/systemd (\d+)/.exec(execFileSync('systemctl', ['--version'], { encoding: 'utf8' }))?.[1] ?? 0);
  } catch {
    /* no systemd tools */
  }
  const credsOk = has('systemd-creds') && version >= 250; // LoadCredentialEncrypted= arrived in systemd 250
  if (wanted === 'file') return 'file';
  if (!credsOk) {
    if (wanted !== 'auto') fail(`--key-store ${wanted} needs systemd-creds (systemd ≥ 250; this is ${version})`);
    return 'file';
  }
  let tpm = false;
  try {
    execFileSync('systemd-creds', ['has-tpm2', '--quiet'], { stdio: 'ignore' });
    tpm = true;
  } catch {
    /* no usable TPM2 */
  }
  if (wanted === 'tpm2' && !tpm) fail('--key-store tpm2: this machine has no usable TPM2 (systemd-creds has-tpm2)');
  return wanted === 'auto' ? (tpm ? 'tpm2' : 'host') : wanted;
}

/** Creates the 32-byte key once; an upgrade keeps it (a new key would orphan every sealed secret). */
function ensureKey(store) {
  const dir = at(LAYOUT.etc);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  const sealed = path.join(dir, 'secrets-key.cred');
  const plain = path.join(dir, 'secrets-key');
  if (fs.existsSync(sealed) || fs.existsSync(plain)) return;
  const key = randomBytes(32);
  if (store === 'file') {
    fs.writeFileSync(plain, key, { mode: 0o400, flag: 'wx' });
  } else {
    if (!real) fs.mkdirSync(path.dirname(at(LAYOUT.hostKey)), { recursive: true, mode: 0o700 });
    // the key goes in on stdin: never in argv or a temporary file
    execFileSync('systemd-creds', ['encrypt', `--name=${CREDENTIAL}`, `--with-key=${store === 'tpm2' ? 'host+tpm2' : 'host'}`, '-', sealed], { input: key, env: credsEnv, stdio: ['pipe', 'ignore', 'pipe'] });
    fs.chmodSync(sealed, 0o600);
  }
  key.fill(0);
}

function renderUnit({ user, keyStore, node }) {
  const credential = keyStore === 'file'
    ? `LoadCredential=${CREDENTIAL}:${LAYOUT.etc}/secrets-key`
    : `LoadCredentialEncrypted=${CREDENTIAL}:${LAYOUT.etc}/secrets-key.cred`;
  const identity = user === 'root'
    ? '# Runs as root (password capture reads the DC\'s sam.ldb and gpg key), with no capabilities (below).\nProtectHome=read-only'
    : `User=${NAME}\nGroup=${NAME}\nProtectHome=yes\nPrivateUsers=yes`;
  // samba-tool reads the DC's databases read-only (measured), but gpg starts its agent's socket in the gpg home
  const capture = user === 'root' ? `# Password capture: gpg (run by samba-tool user syncpasswords) keeps its agent socket in its home.\nReadWritePaths=-${gnupgHome()}` : '';
  const template = fs.readFileSync(path.join(REPO, 'build/systemd/openessentials.service.in'), 'utf8');
  return template.replace('@NODE@', node).replace('@IDENTITY@', identity).replace('@CREDENTIAL@', credential).replace('@CAPTURE_PATHS@\n', capture ? `${capture}\n` : '');
}

function install() {
  const node = fs.realpathSync(process.execPath);
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 18)) fail(`Node.js ≥ 20.18 is required (this is ${process.versions.node})`);
  if (/^\/(home|root|run\/user)\//.test(node)) fail(`node is at ${node}, inside a home folder the service's sandbox hides (ProtectHome=); install Node.js system-wide`);
  const recordFile = at(path.join(LAYOUT.etc, 'install.json'));
  const previous = fs.existsSync(recordFile) ? JSON.parse(fs.readFileSync(recordFile, 'utf8')) : null;
  const user = opts.user === 'auto' ? (previous?.user ?? (isSambaDc() ? 'root' : NAME)) : opts.user;
  if (![NAME, 'root'].includes(user)) fail(`--user must be auto, root or ${NAME} (got ${user})`);
  const keyStore = chooseKeyStore(previous?.keyStore ?? null);
  ensureKey(keyStore);

  const version = stageApp(REPO, at(LAYOUT.app));
  fs.mkdirSync(at(LAYOUT.data), { recursive: true, mode: 0o700 });
  fs.chmodSync(at(LAYOUT.data), 0o700);
  if (user === NAME) {
    fs.mkdirSync(path.dirname(at(LAYOUT.sysusers)), { recursive: true });
    fs.writeFileSync(at(LAYOUT.sysusers), `u ${NAME} - "OpenEssentials service" ${LAYOUT.data} /usr/sbin/nologin\n`);
    execFileSync('systemd-sysusers', [...(real ? [] : [`--root=${root}`]), at(LAYOUT.sysusers)], { stdio: 'inherit' });
  }
  fs.mkdirSync(path.dirname(at(LAYOUT.unit)), { recursive: true });
  fs.writeFileSync(at(LAYOUT.unit), renderUnit({ user, keyStore, node }), { mode: 0o644 });
  if (has('systemd-analyze')) execFileSync('systemd-analyze', ['verify', at(LAYOUT.unit)], { stdio: 'inherit' });
  fs.writeFileSync(recordFile, `${JSON.stringify({ version, user, keyStore, installedAt: new Date().toISOString() }, null, 2)}\n`, { mode: 0o600 });

  say(`${previous ? `Upgraded OpenEssentials ${previous.version} → ${version}` : `Installed OpenEssentials ${version}`} as ${LAYOUT.unit} (runs as ${user}; secrets key: ${keyStore === 'file' ? 'root-only file' : `systemd credential sealed with the ${keyStore === 'tpm2' ? 'TPM2 and host' : 'host'} key`}).`);
  say(`Data (kept across upgrades): ${LAYOUT.data}; key: ${LAYOUT.etc}.`);
  if (systemdRunning) {
    systemctl('daemon-reload');
    if (previous) systemctl('try-restart', 'openessentials.service');
    else systemctl('enable', '--now', 'openessentials.service');
    say('Status: systemctl status openessentials; logs: journalctl -u openessentials');
  } else {
    say(real ? 'systemd is not running here: on the DC, run: systemctl daemon-reload && systemctl enable --now openessentials' : `Files are under ${root}; nothing outside it was changed.`);
  }
}

function uninstall() {
  if (systemdRunning) {
    execFileSync('systemctl', ['disable', '--now', 'openessentials.service'], { stdio: 'inherit' });
  }
  const removed = [LAYOUT.unit, LAYOUT.app, LAYOUT.sysusers].filter((p) => fs.existsSync(at(p)));
  for (const p of removed) fs.rmSync(at(p), { recursive: true, force: true });
  if (systemdRunning) systemctl('daemon-reload');
  say(`Removed: ${removed.join(', ') || 'nothing (not installed)'}.`);
  const kept = [
    [LAYOUT.data, 'settings, sync state, logs and the sealed secrets (directory password, app certificate key)'],
    [LAYOUT.etc, 'the key that unseals those secrets'],
  ].filter(([p]) => fs.existsSync(at(p)));
  if (opts.purge) {
    for (const [p] of kept) fs.rmSync(at(p), { recursive: true, force: true });
    if (kept.length) say(`Purged: ${kept.map(([p]) => p).join(', ')}.`);
  } else if (kept.length) {
    say('Left in place (a new install picks them up again):');
    for (const [p, what] of kept) say(`  ${p}  ${what}`);
    say(`To delete them too: uninstall again with --purge (sudo npm run service:uninstall -- --purge), or rm -rf ${kept.map(([p]) => p).join(' ')}`);
  }
  say(`Not removed: the system user "${NAME}" if it was created (userdel ${NAME}), and the app registration in Microsoft 365 (run "Disable integration" in the dashboard first to remove it).`);
}

const command = positionals[0];
if (!real && !fs.existsSync(root)) fail(`--root ${root} does not exist`);
if (real && process.getuid?.() !== 0) fail('run as root: sudo npm run service:install (or service:uninstall)');
if (command === 'install') install();
else if (command === 'uninstall') uninstall();
else fail('usage: service-install.mjs install|uninstall [--root DIR] [--user auto|root|openessentials] [--key-store auto|tpm2|host|file] [--gnupg-home DIR] [--purge]');
