// Running the DNS tools (nsupdate, kinit, samba-tool) without ever putting a secret in argv, the environment or a
// lasting file: secrets go on stdin or into a 0600 file inside a 0700 folder that is removed when the work is done.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DnsError } from './dns-errors';

/** What a tool printed and how it ended; a non-zero exit is not an exception (the caller maps the output). */
export interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Debian package to install per tool, for the `tool-missing` message. */
const PACKAGES: Record<string, string> = { nsupdate: 'bind9-dnsutils', kinit: 'krb5-user', 'samba-tool': 'samba-common-bin' };

/** Runs `cmd` with `stdin` written and closed; kills it after `timeoutMs`. Rejects only if it can't start. */
export function runTool(cmd: string, args: string[], opts: { stdin?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, opts.timeoutMs ?? 30_000);
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.stdin.on('error', () => undefined); // a tool that exits before reading its stdin
    child.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(e.code === 'ENOENT'
        ? new DnsError('tool-missing', `${cmd} is not installed on this server (Debian/Ubuntu package ${PACKAGES[cmd] ?? cmd}).`, {}, { cause: e })
        : new DnsError('failed', `${cmd} could not be started (${e.code ?? e.message}).`, {}, { cause: e }));
    });
    child.once('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr, timedOut }); });
    child.stdin.end(opts.stdin ?? '');
  });
}

/** Gives `fn` a fresh 0700 folder under the system temp dir and removes it afterwards, whatever happens. */
export async function withPrivateDir<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  try {
    fs.chmodSync(dir, 0o700);
    return await fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes a file only its owner can read (created new: never follows or reuses an existing path). */
export function writePrivateFile(dir: string, name: string, content: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content, { mode: 0o600, flag: 'wx' });
  return file;
}

/** The tool's error lines, then its last lines, for `details.output`: enough for support, never a secret (none is passed in). */
export function tail(r: ToolResult, lines = 8): string {
  const all = `${r.stdout}\n${r.stderr}`.split('\n').map((l) => l.trim()).filter(Boolean);
  const errors = all.filter((l) => /^(ERROR|kinit:|update failed|; )/.test(l));
  return [...new Set([...errors, ...all.slice(-lines)])].join('\n');
}
