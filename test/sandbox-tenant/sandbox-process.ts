// The sandbox tenant in a Node process of its own (benchmarks): the engine under test keeps its process's CPU and
// memory to itself, and the sandbox's 10,000 users don't count in the engine's RSS. Control goes over HTTPS /_control.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { createAgent, send } from '../../electron/tenant/https-transport';
import type { SandboxControl } from './control';
import type { SandboxTenant } from './sandbox';

const MAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.ts');

/** Starts `main.ts --memory` and resolves with the same SandboxTenant shape as the in-process one; `pid` for RSS. */
export async function spawnSandboxProcess(opts: { timeScale?: number } = {}): Promise<SandboxTenant & { pid: number }> {
  const secret = randomBytes(24).toString('base64url');
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--memory', '--time-scale', String(opts.timeScale ?? 1), '--control-secret', secret], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const info = await new Promise<{ url: string; tenantId: string; caFile: string; authorityUrl: string; graphBaseUrl: string; authorityMetadata: string }>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (l) => { if (l.startsWith('{')) resolve(JSON.parse(l)); });
    void exited.then(() => reject(new Error('the sandbox process exited before it was ready')));
  });
  const caPem = readFileSync(info.caFile, 'utf8');
  const agent = createAgent(caPem);
  const call = async (name: string, args: unknown[]): Promise<unknown> => {
    const r = await send(`${info.url}/_control/${name}`, agent, { method: 'POST', headers: { 'content-type': 'application/json', 'x-sandbox-control-secret': secret }, body: JSON.stringify({ args }), timeoutMs: 60_000 });
    const body = JSON.parse(r.body) as { result?: unknown; error?: string };
    if (r.status !== 200) throw new Error(`sandbox control ${name}: ${body.error ?? r.status}`);
    return body.result;
  };
  const control = new Proxy({} as SandboxControl, { get: (_t, name) => (...args: unknown[]) => call(String(name), args) });
  return {
    ...info, caPem, controlSecret: secret, control, pid: child.pid!,
    async stop() {
      agent.destroy();
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
