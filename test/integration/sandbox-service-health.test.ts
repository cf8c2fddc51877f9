// The sandbox's service health (admin/serviceAnnouncement): one serviceHealth per subscribed service, seeded
// incidents, controls to open and resolve one, status derived from open issues; shapes checked against the CSDL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantClient } from '../../electron/tenant/tenant-client';
import { TenantError } from '../../electron/tenant/tenant-errors';
import { loadCsdl } from '../csdl/csdl-schema';
import { validateObject } from '../csdl/csdl-validate';
import type { SandboxTenant } from '../sandbox-tenant/sandbox';
import { appClient, SERVICE_APP_ROLES, startSandbox } from './tenant-helpers';

interface Health { id: string; service: string; status: string; issues?: Issue[] }
interface Issue { id: string; service: string; status: string; isResolved: boolean; title: string; endDateTime: string | null; posts: { description: { content: string } }[] }

let sb: SandboxTenant;
let client: TenantClient;
const BASE = '/admin/serviceAnnouncement';
const get = <T>(path: string) => client.graph.call<T>('GET', path);
const statusOf = async (): Promise<Record<string, string>> =>
  Object.fromEntries((await client.all<Health>(`${BASE}/healthOverviews`)).map((h) => [h.id, h.status]));

beforeAll(async () => {
  sb = await startSandbox({
    seed: {
      incidents: [{ service: 'SharePoint Online', title: 'Some users can\'t open files', impactDescription: 'Users may be unable to open files in SharePoint Online.', status: 'serviceDegradation', feature: 'SharePoint Features', featureGroup: 'SharePoint Features' }],
    },
  });
  ({ client } = await appClient(sb, [...SERVICE_APP_ROLES, 'ServiceHealth.Read.All']));
});
afterAll(async () => { await sb?.stop(); });

describe('service health', () => {
  it('lists the tenant\'s services with the seeded incident degrading one', async () => {
    expect(await statusOf()).toEqual({
      OSDPPlatform: 'serviceOperational', OrgLiveID: 'serviceOperational', Exchange: 'serviceOperational',
      SharePoint: 'serviceDegradation', microsoftteams: 'serviceOperational',
    });
    const [issue] = await client.all<Issue>(`${BASE}/issues?$filter=isResolved eq false`);
    expect(issue).toMatchObject({ service: 'SharePoint Online', status: 'serviceDegradation', isResolved: false, title: 'Some users can\'t open files', endDateTime: null });
    expect(issue!.id).toMatch(/^SP\d{6}$/);
  });

  it('opens and resolves an incident through the control, and the overview follows', async () => {
    const id = await sb.control.addIncident({ service: 'Exchange', title: 'Mail delivery delays', impactDescription: 'Users may see delays sending or receiving mail.', status: 'serviceInterruption', update: 'We are investigating.' });
    expect(id).toMatch(/^EX\d{6}$/);
    expect((await statusOf()).Exchange).toBe('serviceInterruption');
    const byName = await get<Health>(`${BASE}/healthOverviews/${encodeURIComponent('Exchange Online')}`);
    expect(byName).toMatchObject({ id: 'Exchange', service: 'Exchange Online', status: 'serviceInterruption' });
    const expanded = (await client.all<Health>(`${BASE}/healthOverviews?$expand=issues`)).find((h) => h.id === 'Exchange')!;
    expect(expanded.issues!.map((i) => i.id)).toEqual([id]);
    await sb.control.resolveIncident(id, 'Mail flow is back to normal.');
    expect((await statusOf()).Exchange).toBe('serviceOperational');
    const done = await get<Issue>(`${BASE}/issues/${id}`);
    expect(done).toMatchObject({ isResolved: true, status: 'serviceRestored' });
    expect(done.endDateTime).not.toBeNull();
    expect(done.posts.map((p) => p.description.content)).toEqual(['We are investigating.', 'Mail flow is back to normal.']);
    expect((await client.all<Issue>(`${BASE}/healthOverviews/Exchange/issues`)).map((i) => i.id)).toEqual([id]);
    await expect(sb.control.resolveIncident('EX000000')).rejects.toThrow(/no service health issue EX000000/);
  });

  it('matches the CSDL, and needs ServiceHealth.Read.All', async () => {
    const schema = loadCsdl();
    for (const h of await client.all<Health>(`${BASE}/healthOverviews?$expand=issues`)) {
      expect(validateObject(schema, h, 'microsoft.graph.serviceHealth')).toEqual([]);
    }
    for (const i of await client.all<Issue>(`${BASE}/issues`)) expect(validateObject(schema, i, 'microsoft.graph.serviceHealthIssue')).toEqual([]);
    const { client: without } = await appClient(sb);
    const e = await without.all(`${BASE}/issues`).then(() => undefined, (x: unknown) => x);
    expect(e).toBeInstanceOf(TenantError);
    expect((e as TenantError).code).toBe('forbidden');
  });
});
