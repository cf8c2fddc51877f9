import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAgent, send } from '../../electron/tenant/https-transport';
import { startSandboxTenant } from '../sandbox-tenant/sandbox';
import { appClient } from './tenant-helpers';

describe('sandbox tenant lifecycle', () => {
  it('persists state to a file, restarts with the same CA and tenant, and resets to the seed', async () => {
    const stateFile = join(mkdtempSync(join(tmpdir(), 'sbx-')), 'state.json');
    const sb1 = await startSandboxTenant({ stateFile });
    const { client } = await appClient(sb1);
    await client.createUser({ userPrincipalName: 'kept@contoso.com', displayName: 'Kept', mailNickname: 'kept', password: 'Xy-Passw0rd-1!' });
    const tenantId = sb1.tenantId, ca = sb1.caPem;
    await sb1.stop();
    expect(readFileSync(stateFile, 'utf8')).not.toContain('Xy-Passw0rd-1!');
    const sb2 = await startSandboxTenant({ stateFile });
    try {
      expect(sb2.tenantId).toBe(tenantId);
      expect(sb2.caPem).toBe(ca);
      expect((await sb2.control.getUser('kept@contoso.com'))?.displayName).toBe('Kept');
      expect(await sb2.control.checkPassword('kept@contoso.com', 'Xy-Passw0rd-1!')).toBe(true);
      await sb2.control.reset();
      expect(await sb2.control.getUser('kept@contoso.com')).toBeNull();
      expect(sb2.tenantId).toBe(tenantId);
    } finally { await sb2.stop(); }
  });

  it('has the default seed and can be seeded and driven over HTTPS /_control', async () => {
    const sb = await startSandboxTenant({ controlSecret: 'test-secret-123' });
    try {
      const users = await sb.control.listUsers();
      expect(users.map((u) => u.userPrincipalName)).toEqual(expect.arrayContaining(['admin@contoso.onmicrosoft.com', 'helpdesk@contoso.onmicrosoft.com', 'alex.wilber@contoso.com']));
      expect(await sb.control.checkPassword('admin@contoso.onmicrosoft.com', 'Sandbox-Admin-1!')).toBe(true);
      const st = await sb.control.state();
      expect(st.domains.map((d) => [d.id, d.isVerified])).toEqual([['contoso.onmicrosoft.com', true], ['contoso.com', true], ['fabrikam-unverified.com', false]]);
      expect(st.skus.map((s) => [s.skuPartNumber, (s.prepaidUnits as { enabled: number }).enabled])).toEqual([['O365_BUSINESS_PREMIUM', 25], ['EXCHANGESTANDARD', 10]]);
      const agent = createAgent(sb.caPem);
      const call = async (name: string, args: unknown[]) => {
        const r = await send(`${sb.url}/_control/${name}`, agent, { method: 'POST', headers: { 'content-type': 'application/json', 'x-sandbox-control-secret': 'test-secret-123' }, body: JSON.stringify({ args }), timeoutMs: 5000 });
        return JSON.parse(r.body) as { result: unknown };
      };
      await call('seed', [{ organization: { displayName: 'Fabrikam' }, initialDomain: 'fabrikam.onmicrosoft.com', domains: [], skus: [{ skuPartNumber: 'EXCHANGESTANDARD', enabled: 2 }], admins: [{ userPrincipalName: 'root@fabrikam.onmicrosoft.com', displayName: 'Root', password: 'Root-Pa55word!', roles: ['62e90394-69f5-4237-9190-012177145e10'] }], users: [] }]);
      expect((await call('listUsers', [])).result).toHaveLength(1);
      expect((await sb.control.state()).organization.displayName).toBe('Fabrikam');
      expect((await call('checkPassword', ['root@fabrikam.onmicrosoft.com', 'Root-Pa55word!'])).result).toBe(true);
    } finally { await sb.stop(); }
  });
});
