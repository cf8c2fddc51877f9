// Samba implementation of PasswordCaptureSource: runs `samba-tool user syncpasswords` (Samba's tool for exactly
// this) against the DC's own files; it reads DirSync + the gpg-encrypted cleartext after commit and calls our hook,
// which forwards the LDIF through a private FIFO to this process. The cache ldb keeps syncpasswords' cookie.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseSyncPasswordsLdif, type CapturedPassword, type PasswordCaptureSource } from './password-capture';

const run = promisify(execFile);
// Next to this module (source) or its bundle (dist/electron, where the build copies it). In a packaged app the bundle
// sits inside app.asar, which samba-tool can't execute from: electron-builder unpacks the hook beside the archive.
const HOOK = path.join(path.dirname(fileURLToPath(import.meta.url)), 'syncpasswords-hook.sh').replace(`${path.sep}app.asar${path.sep}`, `${path.sep}app.asar.unpacked${path.sep}`);
const ATTRS = 'objectGUID,sAMAccountName,userPrincipalName,userAccountControl,pwdLastSet,virtualClearTextUTF8';
// util-linux's setpriv asks the kernel to SIGKILL the loop when we die: after a kill -9 of the service an orphaned loop
// would keep the cache's lock (the next one exits "already running") and push passwords into the new FIFO unowned.
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => fs.existsSync(p));

/** Where the DC lives and where our private state goes. */
export interface SambaPasswordCaptureOptions {
  smbConf: string;
  /** GNUPGHOME holding the key named in `password hash gpg key ids`. */
  gnupgHome: string;
  /** Private state dir (created 0700): cache ldb, FIFO, redacted log. */
  stateDir: string;
  sambaTool?: string;
  /** Non-secret errors (callback failures, tool exit). */
  onError?: (e: Error) => void;
}

/** Why a class: owns the samba-tool child (by PID), the FIFO and the per-account dedupe of repeated deliveries. */
export class SambaPasswordCapture implements PasswordCaptureSource {
  private child: ChildProcess | undefined;
  private pipe: net.Socket | undefined;
  private stopping = false;
  private readonly lastPwdLastSet = new Map<string, string>();
  private queue: Promise<void> = Promise.resolve();
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: SambaPasswordCaptureOptions) {}

  /** PID of the running syncpasswords loop (for tests / diagnostics). */
  get pid(): number | undefined { return this.child?.pid; }

  async start(onPassword: (e: CapturedPassword) => void | Promise<void>): Promise<void> {
    const { stateDir, smbConf, gnupgHome } = this.opts;
    const tool = this.opts.sambaTool ?? 'samba-tool';
    fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    fs.chmodSync(stateDir, 0o700);
    const fifo = path.join(stateDir, 'capture.fifo');
    fs.rmSync(fifo, { force: true });
    await run('mkfifo', ['-m', '600', fifo]);
    // O_RDWR: we never see EOF between hook runs, and the hook's open() never blocks while we are alive
    const fd = fs.openSync(fifo, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
    this.pipe = new net.Socket({ fd, readable: true, writable: false });
    let buf = '';
    this.pipe.setEncoding('utf8');
    this.pipe.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line) this.deliver(Buffer.from(line, 'base64').toString('utf8'), onPassword);
      }
    });

    const env = { ...process.env, GNUPGHOME: gnupgHome, OE_CAPTURE_FIFO: fifo };
    const cache = path.join(stateDir, 'syncpasswords-cache.ldb');
    if (!fs.existsSync(cache)) {
      try {
        await run(tool, ['user', 'syncpasswords', '-s', smbConf, `--cache-ldb=${cache}`, '--cache-ldb-initialize',
          '--decrypt-samba-gpg', `--attributes=${ATTRS}`, `--script=${HOOK}`], { env, maxBuffer: 1 << 24 });
      } catch (e) {
        fs.rmSync(cache, { force: true });
        this.pipe.destroy();
        throw new Error(`could not initialise samba-tool user syncpasswords (is 'password hash gpg key ids' set and GNUPGHOME right?): ${(e as { code?: unknown }).code ?? 'failed'}`);
      }
    }
    this.stopping = false;
    this.spawnLoop(tool, cache, env, 1_000);
  }

  /** Runs the syncpasswords loop; if it dies (e.g. the DC restarted) it is restarted with backoff (1 s → 60 s). */
  private spawnLoop(tool: string, cache: string, env: NodeJS.ProcessEnv, backoffMs: number): void {
    if (this.stopping) return;
    const log = fs.openSync(path.join(this.opts.stateDir, 'syncpasswords.log'), 'a', 0o600);
    const args = ['user', 'syncpasswords', '-s', this.opts.smbConf, `--cache-ldb=${cache}`];
    const child = SETPRIV
      ? spawn(SETPRIV, ['--pdeathsig', 'SIGKILL', '--', tool, ...args], { env, stdio: ['ignore', log, log] })
      : spawn(tool, args, { env, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    this.child = child;
    const started = Date.now();
    child.once('exit', (code, signal) => {
      if (this.stopping || this.child !== child) return;
      this.child = undefined;
      this.opts.onError?.(new Error(`samba-tool user syncpasswords exited (${code ?? signal}); restarting`));
      const next = Date.now() - started > 30_000 ? 1_000 : Math.min(backoffMs * 2, 60_000);
      this.restartTimer = setTimeout(() => this.spawnLoop(tool, cache, env, next), backoffMs);
    });
  }

  private deliver(ldif: string, onPassword: (e: CapturedPassword) => void | Promise<void>): void {
    const rec = parseSyncPasswordsLdif(ldif);
    if (!rec.objectGuid || rec.deleted || rec.password === undefined) return;
    // the hook also runs for non-password changes (e.g. disable); only a new pwdLastSet is a new password
    const key = rec.pwdLastSet ?? '';
    if (this.lastPwdLastSet.get(rec.objectGuid) === key) return;
    this.lastPwdLastSet.set(rec.objectGuid, key);
    const event: CapturedPassword = { objectGuid: rec.objectGuid, password: rec.password, at: new Date() };
    this.queue = this.queue.then(() => onPassword(event)).catch((e: unknown) => {
      this.opts.onError?.(new Error(`password handler failed for ${event.objectGuid}: ${(e as Error)?.name ?? 'error'}`));
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    this.child = undefined;
    if (child?.pid && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(t);
    }
    this.pipe?.destroy();
    this.pipe = undefined;
    await this.queue;
    fs.rmSync(path.join(this.opts.stateDir, 'capture.fifo'), { force: true });
  }
}
