// A network namespace in which Microsoft's public host names resolve to a loopback TLS proxy that carries
// the bytes to the sandbox: clients run there unchanged, with their built-in endpoints. Needs root
// (CAP_NET_ADMIN); `canMakeNamespaces()` says whether this machine allows it.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { MICROSOFT_HOSTS } from '../../sandbox-tenant/sandbox';
import { pipeBoth } from './pipe-both';

const PROXY = join(import.meta.dirname, 'tcp-to-unix.ts');

/** Whether `ip netns add` works here (root with CAP_NET_ADMIN and iproute2). */
export function canMakeNamespaces(): { ok: boolean; why?: string } {
  const name = `oe-probe-${process.pid}`;
  try {
    execFileSync('ip', ['netns', 'add', name], { stdio: 'pipe' });
    execFileSync('ip', ['netns', 'del', name], { stdio: 'pipe' });
    return { ok: true };
  } catch (e) { return { ok: false, why: String((e as { stderr?: Buffer }).stderr ?? (e as Error).message).trim() }; }
}

/** A running namespace: `spawn` runs a command inside it. */
export interface MicrosoftHostsNamespace {
  name: string;
  spawn(cmd: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess;
  close(): Promise<void>;
}

/** Create the namespace, its hosts file and the proxy to `sandboxPort` on 127.0.0.1. */
export async function openMicrosoftHostsNamespace(sandboxPort: number): Promise<MicrosoftHostsNamespace> {
  const name = `oe-sbx-${process.pid}-${randomBytes(3).toString('hex')}`;
  const etc = join('/etc/netns', name);
  const socketPath = join(tmpdir(), `${name}.sock`);
  execFileSync('ip', ['netns', 'add', name]);
  let bridge: Server | undefined, proxy: ChildProcess | undefined;
  const close = async () => {
    proxy?.kill('SIGTERM');
    await new Promise<void>((r) => (bridge ? bridge.close(() => r()) : r()));
    try { execFileSync('ip', ['netns', 'del', name], { stdio: 'pipe' }); } catch { /* already gone */ }
    rmSync(etc, { recursive: true, force: true });
    rmSync(socketPath, { force: true });
  };
  try {
    execFileSync('ip', ['netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up']);
    mkdirSync(etc, { recursive: true });
    // `ip netns exec` bind-mounts these over /etc/hosts and /etc/resolv.conf inside the namespace.
    writeFileSync(join(etc, 'hosts'), `127.0.0.1 localhost\n127.0.0.1 ${MICROSOFT_HOSTS.join(' ')}\n`);
    writeFileSync(join(etc, 'resolv.conf'), 'nameserver 127.0.0.1\n');
    bridge = createServer((inbound) => pipeBoth(inbound, connect(sandboxPort, '127.0.0.1')));
    await new Promise<void>((r, j) => { bridge!.once('error', j); bridge!.listen(socketPath, () => r()); });
    proxy = spawn('ip', ['netns', 'exec', name, process.execPath, '--import', 'tsx', PROXY, socketPath], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: proxy!.stdout! }).on('line', (l) => { if (l === 'ready') resolve(); });
      proxy!.once('exit', (c) => reject(new Error(`the namespace proxy exited (${c})`)));
    });
  } catch (e) { await close(); throw e; }
  return {
    name,
    spawn: (cmd, args, env) => spawn('ip', ['netns', 'exec', name, cmd, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] }),
    close,
  };
}
