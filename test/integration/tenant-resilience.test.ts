import { GraphError } from '@microsoft/microsoft-graph-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TenantClient } from '../../electron/tenant/tenant-client';
import type { SandboxTenant } from '../sandbox-tenant/sandbox';
import { appClient, startSandbox } from './tenant-helpers';

let sb: SandboxTenant;
let client: TenantClient;

beforeAll(async () => {
  sb = await startSandbox();
  ({ client } = await appClient(sb));
});
afterAll(async () => { await sb?.stop(); });
beforeEach(async () => {
  await sb.control.setFaults({ rules: [] });
  await sb.control.setThrottle({ enabled: true, writesPerAppPer150s: 3000, writesPerTenantPer300s: 18000, resourceUnitsPer10s: undefined, timeScale: 1 });
});

const graphUser = (upn: string, i: number) => {
  const { password, ...rest } = newUser(upn, i);
  return { ...rest, accountEnabled: true, passwordProfile: { password, forceChangePasswordNextSignIn: false } };
};
const newUser = (upn: string, i = 0) => ({ userPrincipalName: upn, displayName: `R ${upn}`, mailNickname: upn.split('@')[0]!, password: `Xy-Passw0rd-${i}!`, onPremisesImmutableId: Buffer.from(upn).toString('base64') });

describe('throttling', () => {
  it('answers 429 with Retry-After and x-ms-throttle-* headers at the write limit', async () => {
    await sb.control.setThrottle({ writesPerAppPer150s: 5, timeScale: 100 }); // window 1.5 s
    for (let i = 0; i < 5; i++) await client.graph.once('PATCH', '/users/alex.wilber@contoso.com', { jobTitle: `J${i}` });
    const e = await client.graph.once('PATCH', '/users/alex.wilber@contoso.com', { jobTitle: 'J' }).catch((x: unknown) => x) as GraphError;
    expect(e).toBeInstanceOf(GraphError);
    expect(e.statusCode).toBe(429);
    expect(e.code).toBe('TooManyRequests');
    expect(e.message).toBe('Please retry again later.');
    expect(e.headers?.get('x-ms-throttle-information')).toBe('WriteLimitExceeded');
    expect(e.headers?.get('x-ms-throttle-scope')).toMatch(/^Tenant_Application\/ReadWrite\//);
    const ra = Number(e.headers?.get('retry-after'));
    expect(ra).toBeGreaterThan(0);
    expect(Number.isInteger(ra)).toBe(true); // whole seconds, as Graph sends them
    expect(ra).toBeLessThanOrEqual(2);
  });

  it('charges resource units (GET users = 2) per 10 s window', async () => {
    await sb.control.setThrottle({ resourceUnitsPer10s: 10, timeScale: 10 });
    for (let i = 0; i < 5; i++) await client.graph.once('GET', '/users');
    const e = await client.graph.once('GET', '/users').catch((x: unknown) => x) as GraphError;
    expect(e.statusCode).toBe(429);
    expect(e.headers?.get('x-ms-throttle-information')).toBe('ResourceUnitLimitExceeded');
  });

  it('the client waits out 429s and loses nothing', async () => {
    await sb.control.setThrottle({ writesPerAppPer150s: 10, timeScale: 150 }); // 10 writes per second
    await sb.control.clearActions();
    const before = client.stats.throttled;
    const t = Date.now();
    await Promise.all(Array.from({ length: 25 }, (_, i) => client.createUser(newUser(`thr${i}@contoso.com`, i))));
    expect(Date.now() - t).toBeGreaterThan(1500);
    expect(client.stats.throttled).toBeGreaterThan(before);
    const created = (await sb.control.actions()).filter((a) => a.method === 'POST' && a.status === 201);
    expect(created).toHaveLength(25);
  });
});

describe('faults', () => {
  it('retries 500/503/504 and resets that happened before the service acted', async () => {
    await sb.control.setFaults({ seed: 7, rules: [
      { path: '^/v1.0/users', rate: 0.15, kind: 'status', status: 503, retryAfterSec: 0.05 },
      { path: '^/v1.0/users', rate: 0.15, kind: 'status', status: 504 },
      { path: '^/v1.0/users', rate: 0.1, kind: 'reset' },
      { path: '^/v1.0/users', rate: 0.1, kind: 'slow', delayMs: 50 },
    ] });
    for (let i = 0; i < 15; i++) {
      const u = await client.createUser(newUser(`flt${i}@contoso.com`, i));
      await client.updateUser(u.id!, { jobTitle: 'Faulted' });
    }
    const stats = await sb.control.faultStats();
    expect(stats.faulted).toBeGreaterThan(3);
    const users = (await sb.control.listUsers()).filter((u) => String(u.userPrincipalName).startsWith('flt'));
    expect(users).toHaveLength(15);
    expect(users.every((u) => u.jobTitle === 'Faulted')).toBe(true);
  });

  it('never duplicates when the service acted but the reply was lost (500 or reset after commit)', async () => {
    await sb.control.setFaults({ seed: 11, rules: [
      { path: '^/v1.0/users$', method: 'POST', rate: 0.3, kind: 'status', status: 500, phase: 'after' },
      { path: '^/v1.0/users$', method: 'POST', rate: 0.2, kind: 'reset', phase: 'after' },
      { path: '^/v1.0/users/[^/]+$', method: 'DELETE', rate: 0.4, kind: 'reset', phase: 'after' },
      { path: 'assignLicense$', rate: 0.4, kind: 'status', status: 502, phase: 'after' },
    ] });
    const sku = (await client.listSkus()).find((s) => s.skuPartNumber === 'O365_BUSINESS_PREMIUM')!;
    const probesBefore = client.stats.recoveredByProbe;
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const u = await client.createUser({ ...newUser(`amb${i}@contoso.com`, i), usageLocation: 'US' });
      ids.push(u.id!);
      await client.assignLicense(u.id!, [{ skuId: sku.skuId! }]);
    }
    expect(client.stats.recoveredByProbe).toBeGreaterThan(probesBefore);
    const users = (await sb.control.listUsers()).filter((u) => String(u.userPrincipalName).startsWith('amb'));
    expect(users.map((u) => u.id).sort()).toEqual([...ids].sort());
    expect(users.every((u) => (u.assignedLicenses as unknown[]).length === 1)).toBe(true);
    for (const id of ids.slice(0, 6)) await client.deleteUser(id);
    expect((await sb.control.listUsers()).filter((u) => String(u.userPrincipalName).startsWith('amb'))).toHaveLength(6);
  });
});

describe('slow responses', () => {
  it('times out a hung request and retries it; a slow create is still not duplicated', async () => {
    const { client: impatient } = await appClient(sb, undefined, undefined);
    const { TenantClient } = await import('../../electron/tenant/tenant-client');
    const c = new TenantClient({ ...impatient.config, requestTimeoutMs: 300 });
    await c.listUsersPage({ top: 1 }); // token first
    await sb.control.setFaults({ seed: 3, rules: [{ path: '^/v1.0/users', rate: 0.5, kind: 'slow', delayMs: 800 }] });
    const users = await c.listUsers({ select: ['id'] });
    expect(users.length).toBeGreaterThan(3);
    for (let i = 0; i < 6; i++) await c.createUser(newUser(`slow${i}@contoso.com`, i));
    expect(c.stats.transient).toBeGreaterThan(0);
    await sb.control.setFaults({ rules: [] });
    await new Promise((r) => setTimeout(r, 900)); // let delayed requests land
    const created = (await sb.control.actions()).filter((a) => a.method === 'POST' && a.status === 201 && String((a.body as { userPrincipalName: string }).userPrincipalName).startsWith('slow'));
    expect(created).toHaveLength(6);
    expect((await sb.control.listUsers()).filter((u) => String(u.userPrincipalName).startsWith('slow'))).toHaveLength(6);
  });
});

describe('$batch', () => {
  it('runs dependsOn chains and answers 424 when a dependency failed', async () => {
    const ok = await client.batch([
      { id: '1', method: 'POST', url: '/users', body: graphUser('batch1@contoso.com', 1) },
      { id: '2', method: 'PATCH', url: '/users/batch1@contoso.com', body: { jobTitle: 'Batched' }, dependsOn: ['1'] },
      { id: '3', method: 'GET', url: '/users/batch1@contoso.com?$select=jobTitle', dependsOn: ['2'] },
    ]);
    expect(ok.map((r) => r.status)).toEqual([201, 204, 200]);
    expect((ok[2]!.body as { jobTitle: string }).jobTitle).toBe('Batched');
    const bad = await client.batch([
      { id: 'a', method: 'POST', url: '/users', body: { ...graphUser('batch2@contoso.com', 2), passwordProfile: { password: 'weak', forceChangePasswordNextSignIn: false } } },
      { id: 'b', method: 'PATCH', url: '/users/batch2@contoso.com', body: { jobTitle: 'x' }, dependsOn: ['a'] },
    ]);
    expect(bad[0]!.status).toBe(400);
    expect(bad[1]!.status).toBe(424);
  });

  it('rejects more than 20 requests the way Graph does', async () => {
    const requests = Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/organization' }));
    const e = await client.graph.once('POST', '/$batch', { requests }).catch((x: unknown) => x) as GraphError;
    expect(e.statusCode).toBe(400);
    expect(e.message).toMatch(/maximum allowed limit of 20/);
  });

  it('retries inner 429s after their Retry-After (and splits >20 into several batches)', async () => {
    await sb.control.setThrottle({ writesPerAppPer150s: 8, timeScale: 150 });
    await sb.control.clearActions();
    const res = await client.batch(Array.from({ length: 30 }, (_, i) => ({ id: `p${i}`, method: 'PATCH' as const, url: '/users/megan.bowen@contoso.com', body: { officeLocation: `Room ${i}` } })));
    expect(res.every((r) => r.status === 204)).toBe(true);
    const done = (await sb.control.actions()).filter((a) => a.status === 204);
    // Graph runs independent batch items in no fixed order: every PATCH landed once, the last one is any of them.
    expect(done.map((a) => (a.body as { officeLocation: string }).officeLocation).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `Room ${i}`).sort());
  });
});
