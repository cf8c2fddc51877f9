// A write the sandbox has answered must survive `kill -9` of the sandbox process, like a committed write in
// Entra. The sandbox runs as its own process (main.ts with a state file); the test answers nothing itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgent, send } from '../../electron/tenant/https-transport';
import { startSandboxTenant } from '../sandbox-tenant/sandbox';
import { SANDBOX_PUBLIC_CLIENT_ID } from '../sandbox-tenant/state';

const MAIN = join(import.meta.dirname, '../sandbox-tenant/main.ts');
let child: ChildProcess | undefined;

afterEach(() => { if (child && child.exitCode === null) child.kill('SIGKILL'); });

async function spawnSandbox(stateFile: string): Promise<{ url: string; tenantId: string; caPem: string }> {
  child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--state-file', stateFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  const info = await new Promise<{ url: string; tenantId: string; caFile: string }>((resolve, reject) => {
    createInterface({ input: child!.stdout! }).on('line', (l) => { if (l.startsWith('{')) resolve(JSON.parse(l)); });
    child!.once('exit', () => reject(new Error('sandbox exited before it was ready')));
  });
  return { ...info, caPem: readFileSync(info.caFile, 'utf8') };
}

describe('sandbox durability', () => {
  it('keeps every write it answered when killed with SIGKILL right after the answer', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'sbx-kill-')), 'state.json');
    const sb = await spawnSandbox(stateFile);
    const agent = createAgent(sb.caPem);
    const form = new URLSearchParams({
      grant_type: 'password', client_id: SANDBOX_PUBLIC_CLIENT_ID, username: 'admin@contoso.onmicrosoft.com', password: 'Sandbox-Admin-1!',
      scope: 'https://graph.microsoft.com/User.ReadWrite.All openid',
    });
    const tok = await send(`${sb.url}/${sb.tenantId}/oauth2/v2.0/token`, agent, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString(), timeoutMs: 10_000 });
    const headers = { authorization: `Bearer ${(JSON.parse(tok.body) as { access_token: string }).access_token}`, 'content-type': 'application/json' };
    const patched = await send(`${sb.url}/v1.0/users/alex.wilber@contoso.com`, agent, { method: 'PATCH', headers, body: JSON.stringify({ jobTitle: 'Survivor' }), timeoutMs: 10_000 });
    expect(patched.status).toBe(204);
    const created = await send(`${sb.url}/v1.0/users`, agent, {
      method: 'POST', headers, timeoutMs: 10_000,
      body: JSON.stringify({ accountEnabled: true, displayName: 'Kept', mailNickname: 'kept', userPrincipalName: 'kept@contoso.com', passwordProfile: { password: 'Xy-Passw0rd-1!' } }),
    });
    expect(created.status).toBe(201);
    child!.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    agent.destroy();

    const again = await startSandboxTenant({ stateFile });
    try {
      expect(again.tenantId).toBe(sb.tenantId);
      expect((await again.control.getUser('kept@contoso.com'))?.id).toBe((JSON.parse(created.body) as { id: string }).id);
      expect(await again.control.checkPassword('kept@contoso.com', 'Xy-Passw0rd-1!')).toBe(true);
      expect((await again.control.getUser('alex.wilber@contoso.com'))?.jobTitle).toBe('Survivor');
    } finally { await again.stop(); }
  }, 60_000);
});
