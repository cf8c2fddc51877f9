// Runs a unit installed under a DESTDIR-style root the way systemd's PID 1 starts it — these machines have no systemd
// running, so this does its part: ExecStart=, Environment=, WorkingDirectory=, UMask=, and the credentials it decrypts
// into a private $CREDENTIALS_DIRECTORY, all with an otherwise empty environment (no D-Bus, no keyring, no HOME).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The `Key=value` lines of a unit file (repeated keys keep every value, in order). */
export function unitDirectives(unitFile: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of fs.readFileSync(unitFile, 'utf8').split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (m) out.set(m[1]!, [...(out.get(m[1]!) ?? []), m[2]!]);
  }
  return out;
}

/** The host key systemd-creds uses for a tree installed with `--root` (systemd's own SYSTEMD_CREDENTIAL_SECRET). */
export function credentialEnv(root: string): NodeJS.ProcessEnv {
  return { ...process.env, SYSTEMD_CREDENTIAL_SECRET: path.join(root, 'var/lib/systemd/credential.secret') };
}

/** What PID 1 puts in $CREDENTIALS_DIRECTORY for LoadCredential[Encrypted]=name:path (files 0400 in a 0700 dir). */
export function deliverCredentials(root: string, unit: Map<string, string[]>, into: string): void {
  fs.mkdirSync(into, { recursive: true, mode: 0o700 });
  for (const [directive, encrypted] of [['LoadCredentialEncrypted', true], ['LoadCredential', false]] as const) {
    for (const spec of unit.get(directive) ?? []) {
      const [name, source] = spec.split(':') as [string, string];
      const target = path.join(into, name);
      if (encrypted) execFileSync('systemd-creds', ['decrypt', `--name=${name}`, path.join(root, source), target], { env: credentialEnv(root), stdio: ['ignore', 'ignore', 'pipe'] });
      else fs.copyFileSync(path.join(root, source), target);
      fs.chmodSync(target, 0o400);
    }
  }
}

/** A started unit: its combined output so far, and stop() = SIGTERM then the exit code. */
export interface RunningUnit {
  child: ChildProcess;
  output(): string;
  /** Resolves with the output once `text` appears in it. */
  waitFor(text: string, timeoutMs?: number): Promise<string>;
  stop(): Promise<number | null>;
}

/** Starts the unit's ExecStart (paths of the install mapped under `root`), plus `extraArgs` as a drop-in would add. */
export function startUnit(root: string, unitFile: string, extraArgs: string[] = []): RunningUnit {
  const unit = unitDirectives(unitFile);
  const under = (p: string): string => (/^\/(opt|var\/lib|etc)\/openessentials(\/|$)/.test(p) ? path.join(root, p) : p);
  const [exe, ...args] = (unit.get('ExecStart')?.[0] ?? '').split(/\s+/).map(under);
  const env: NodeJS.ProcessEnv = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' };
  for (const assignment of (unit.get('Environment') ?? []).flatMap((e) => e.split(/\s+/))) {
    const [k, v] = assignment.split('=') as [string, string];
    env[k] = under(v);
  }
  const credentials = fs.mkdtempSync(path.join(os.tmpdir(), 'oe-credentials-'));
  deliverCredentials(root, unit, credentials);
  env.CREDENTIALS_DIRECTORY = credentials;
  const umask = unit.get('UMask')?.[0] ?? '0022';
  const cwd = under(unit.get('WorkingDirectory')?.[0] ?? '/');
  const child = spawn('/bin/sh', ['-c', `umask ${umask}; exec "$@"`, 'unit', exe!, ...args, ...extraArgs], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  child.stderr!.on('data', (c) => (out += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  void exited.then(() => fs.rmSync(credentials, { recursive: true, force: true }));
  return {
    child,
    output: () => out,
    waitFor: (text, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`unit did not print "${text}": ${out}`)), timeoutMs);
        const check = (): void => {
          if (!out.includes(text)) return;
          clearTimeout(timer);
          resolve(out);
        };
        child.stdout!.on('data', check);
        child.stderr!.on('data', check);
        void exited.then(() => { clearTimeout(timer); if (!out.includes(text)) reject(new Error(`unit exited before "${text}": ${out}`)); });
        check();
      }),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
