// Graph's URL and OData behaviour, its refusals and its error envelope, checked on the wire against the sandbox.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxTenant } from '../sandbox-tenant/sandbox';
import { sandboxHttp, type Reply, type SandboxHttp } from './sandbox-http';
import { startSandbox } from './tenant-helpers';

let sb: SandboxTenant;
let http: SandboxHttp;
const eventual = { consistencylevel: 'eventual' };
const message = (r: Reply) => (r.json.error as { message: string }).message;
const newUser = (upn: string, extra: Record<string, unknown> = {}) => ({
  accountEnabled: true, displayName: upn.split('@')[0], mailNickname: upn.split('@')[0]!.replace(/[^A-Za-z0-9.]/g, ''), userPrincipalName: upn,
  passwordProfile: { password: 'Xy-Passw0rd-5!' }, ...extra,
});

beforeAll(async () => { sb = await startSandbox(); http = sandboxHttp(sb); });
afterAll(async () => { http?.close(); await sb?.stop(); });

describe('URLs', () => {
  it('builds @odata.context and @odata.nextLink on the scheme and host the request came in on', async () => {
    const r = await http.graph('GET', '/v1.0/users?$top=2&$select=id', { headers: { host: 'graph.microsoft.com' } });
    expect(r.json['@odata.context']).toBe('https://graph.microsoft.com/v1.0/$metadata#users(id)');
    expect(String(r.json['@odata.nextLink'])).toMatch(/^https:\/\/graph\.microsoft\.com\/v1\.0\/users\?/);
  });

  it('takes /myorganization and /{tenantId} prefixes, parenthesised and alternate keys, and names in any case', async () => {
    const alex = (await http.graph('GET', "/v1.0/users('alex.wilber@contoso.com')")).json;
    expect(alex.displayName).toBe('Alex Wilber');
    expect((await http.graph('GET', '/v1.0/myorganization/users?$top=1')).status).toBe(200);
    expect((await http.graph('GET', `/v1.0/${sb.tenantId}/users/${String(alex.id)}`)).json.id).toBe(alex.id);
    const graphSp = await http.graph('GET', "/v1.0/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')?$select=displayName");
    expect(graphSp.json.displayName).toBe('Microsoft Graph');
    const cased = await http.graph('GET', `/v1.0/Users/${String(alex.id)}?$select=DisplayName,MAIL`);
    expect(Object.keys(cased.json).sort()).toEqual(['@odata.context', 'displayName', 'id', 'mail']);
    const created = await http.graph('POST', '/v1.0/users', { body: { ...newUser('cased@contoso.onmicrosoft.com'), mailNickname: undefined, MailNickName: 'cased' } });
    expect(Object.keys(created.json)).not.toContain('accountEnabled'); // a create answers with the default property set
    expect((await http.graph('GET', `/v1.0/users/${String(created.json.id)}?$select=mailNickname`)).json.mailNickname).toBe('cased');
  });

  it('serves /$metadata from the official CSDL and /users/$count as an advanced query', async () => {
    const meta = await http.graph('GET', '/v1.0/$metadata', { token: null });
    expect(meta.headers['content-type']).toBe('application/xml');
    expect(meta.text).toContain('<EntityType Name="user" BaseType="graph.directoryObject" OpenType="true">');
    const count = await http.graph('GET', '/v1.0/users/$count', { headers: eventual });
    expect(count.text).toMatch(/^\d+$/);
    expect((await http.graph('GET', '/v1.0/users/$count')).status).toBe(400);
  });

  it('answers /beta as Graph (a Graph 401 without a token, links under /beta with one)', async () => {
    const anon = await http.graph('GET', '/beta/users', { token: null });
    expect(anon.status).toBe(401);
    expect(anon.json.error).toMatchObject({ code: 'InvalidAuthenticationToken', message: 'Access token is empty.' });
    expect(String((await http.graph('GET', '/beta/users?$top=1')).json['@odata.context'])).toMatch(/\/beta\/\$metadata#users$/);
  });
});

describe('OData', () => {
  it('returns the default property set on /users, expands, orders, searches and counts', async () => {
    const list = (await http.graph('GET', '/v1.0/users?$top=1')).json.value as Record<string, unknown>[];
    expect(Object.keys(list[0]!)).not.toContain('accountEnabled');
    const expanded = (await http.graph('GET', '/v1.0/users/alex.wilber@contoso.com?$expand=memberOf($select=displayName)')).json;
    expect((expanded.memberOf as { displayName: string }[]).map((g) => g.displayName).sort()).toEqual(['All Company', 'Sales']);
    const ordered = await http.graph('GET', "/v1.0/users?$orderby=displayName desc&$filter=endswith(userPrincipalName,'@contoso.com')&$count=true&$select=displayName", { headers: eventual });
    expect((ordered.json.value as { displayName: string }[]).map((u) => u.displayName)).toEqual(['Megan Bowen', 'Lee Gu', 'Alex Wilber']);
    const found = await http.graph('GET', '/v1.0/users?$search="displayName:bow"&$select=displayName', { headers: eventual });
    expect(found.json.value).toEqual([{ id: expect.any(String), displayName: 'Megan Bowen' }]);
  });

  it('refuses what Graph refuses, with its texts, and never ignores an option', async () => {
    const cases: [string, Record<string, string>, number, string][] = [
      ['/v1.0/users?$search="displayName:bow"', {}, 400, "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'"],
      ["/v1.0/users?$filter=endswith(mail,'@contoso.com')", {}, 400, 'Unsupported Query.'],
      ['/v1.0/users?$filter=accountEnabled ne true', {}, 400, 'Unsupported Query.'],
      ["/v1.0/users?$orderby=displayName&$filter=startswith(displayName,'a')", {}, 400, 'Sorting not supported for current query.'],
      ['/v1.0/users?$orderby=createdDateTime', {}, 400, "Unsupported sort property 'createdDateTime' for 'User'."],
      ['/v1.0/users?$skip=2', {}, 400, "'$skip' is not supported by the service."],
      ['/v1.0/users?$expand=displayName', {}, 400, "Property 'displayName' on type 'microsoft.graph.user' is not a navigation property or complex property. Only navigation properties can be expanded."],
      ['/v1.0/users?$select=nosuch', {}, 400, "Parsing OData Select and Expand failed: Could not find a property named 'nosuch' on type 'microsoft.graph.user'."],
      ['/v1.0/users?$top=1&$skiptoken=garbage', {}, 400, 'The specified page token value has expired and can no longer be included in your request.'],
    ];
    for (const [path, headers, status, text] of cases) {
      const r = await http.graph('GET', path, { headers });
      expect([path, r.status, message(r)]).toEqual([path, status, text]);
    }
    const advanced = await http.graph('GET', "/v1.0/users?$filter=not(accountEnabled eq false) and endswith(userPrincipalName,'@contoso.com')&$count=true&$select=id", { headers: eventual });
    expect(advanced.json['@odata.count']).toBe(3);
  });

  it('runs $batch items with any string ids, dependsOn in order wherever they sit, the rest in no fixed order', async () => {
    await sb.control.seedBatchOrder(7);
    const requests = ['ä 1', 'b-2', 'c/3', 'd 4', 'e 5', 'f 6'].map((id) => ({ id, method: 'GET', url: '/organization?$select=id' }));
    const order = async () => ((await http.graph('POST', '/v1.0/$batch', { body: { requests } })).json.responses as { id: string; status: number }[]).map((r) => r.id);
    const first = await order();
    expect([...first].sort()).toEqual(requests.map((r) => r.id).sort());
    const orders = new Set([first.join(), (await order()).join(), (await order()).join()]);
    expect(orders.size).toBeGreaterThan(1);
    const chained = await http.graph('POST', '/v1.0/$batch', { body: { requests: [
      { id: 'second', method: 'PATCH', url: '/users/lee.gu@contoso.com', headers: { 'content-type': 'application/json' }, body: { jobTitle: 'After' }, dependsOn: ['first'] },
      { id: 'first', method: 'PATCH', url: '/users/lee.gu@contoso.com', headers: { 'content-type': 'application/json' }, body: { jobTitle: 'Before' } },
    ] } });
    expect((chained.json.responses as { id: string }[]).map((r) => r.id)).toEqual(['first', 'second']);
    expect((await sb.control.getUser('lee.gu@contoso.com'))?.jobTitle).toBe('After');
  });
});

describe('groups', () => {
  it('creates a group with owners and members bound by @odata.bind, and reads collections cast to one type', async () => {
    const alex = (await http.graph('GET', '/v1.0/users/alex.wilber@contoso.com')).json;
    const megan = (await http.graph('GET', '/v1.0/users/megan.bowen@contoso.com')).json;
    const created = await http.graph('POST', '/v1.0/groups', { body: {
      displayName: 'Bound', mailEnabled: false, mailNickname: 'bound', securityEnabled: true,
      'owners@odata.bind': [`https://graph.microsoft.com/v1.0/users/${String(megan.id)}`], 'members@odata.bind': [`https://graph.microsoft.com/v1.0/directoryObjects/${String(alex.id)}`],
    } });
    expect(created.status).toBe(201);
    expect(Object.keys(created.json).some((k) => k.includes('@odata.bind'))).toBe(false);
    const id = String(created.json.id);
    expect(((await http.graph('GET', `/v1.0/groups/${id}/owners`)).json.value as { id: string }[]).map((o) => o.id)).toEqual([megan.id]);
    const users = await http.graph('GET', `/v1.0/groups/${id}/members/microsoft.graph.user?$select=displayName`);
    expect(users.json).toMatchObject({ '@odata.context': expect.stringMatching(/#users\(displayName\)$/), value: [{ displayName: 'Alex Wilber' }] });
    const groups = await http.graph('GET', `/v1.0/users/${String(alex.id)}/memberOf/microsoft.graph.group?$select=displayName`);
    expect((groups.json.value as { displayName: string }[]).map((g) => g.displayName).sort()).toEqual(['All Company', 'Bound', 'Sales']);
    const badBind = await http.graph('POST', '/v1.0/groups', { body: { displayName: 'X', mailEnabled: false, mailNickname: 'x', securityEnabled: true, 'manager@odata.bind': 'x' } });
    expect(message(badBind)).toBe("Invalid property 'manager@odata.bind' for resource 'Group'.");
  });
});

describe('refusals', () => {
  it('checks lengths and the Entra password rules', async () => {
    const bad: [Record<string, unknown>, string][] = [
      [newUser('long@contoso.com', { displayName: 'x'.repeat(257) }), "Invalid value specified for property 'displayName' of resource 'User'."],
      [newUser('nick@contoso.com', { mailNickname: 'n'.repeat(65) }), "Invalid value specified for property 'mailNickname' of resource 'User'."],
      [newUser(`${'u'.repeat(65)}@contoso.com`, { mailNickname: 'u65' }), 'Property userPrincipalName is invalid.'],
    ];
    const policy = 'The specified password does not comply with password complexity requirements. Please provide a different password.';
    for (const pw of ['Ab1!xyz', `Ab1!${'x'.repeat(253)}`, 'lowercaseonly1', 'Pässword-1234', 'pwrule-Secret-1', 'P@ssw0rd1!']) {
      bad.push([newUser('pwrule@contoso.com', { passwordProfile: { password: pw } }), policy]);
    }
    for (const [body, text] of bad) {
      const r = await http.graph('POST', '/v1.0/users', { body });
      expect([JSON.stringify(body).slice(0, 120), r.status, r.status === 400 ? message(r) : '']).toEqual([JSON.stringify(body).slice(0, 120), 400, text]);
    }
    expect((await http.graph('POST', '/v1.0/users', { body: newUser('pwrule@contoso.com', { passwordProfile: { password: 'Correct-Horse-42' } }) })).status).toBe(201);
  });

  it('keeps onPremisesImmutableId unique on PATCH, refuses proxy conflicts on create and license, and a second business phone', async () => {
    const a = (await http.graph('POST', '/v1.0/users', { body: newUser('anchor.a@contoso.com', { onPremisesImmutableId: 'QUFBQQ==', usageLocation: 'US' }) })).json;
    const b = (await http.graph('POST', '/v1.0/users', { body: newUser('anchor.b@contoso.com', { usageLocation: 'US' }) })).json;
    const clash = await http.graph('PATCH', `/v1.0/users/${String(b.id)}`, { body: { onPremisesImmutableId: 'QUFBQQ==' } });
    expect(clash.json.error).toMatchObject({ message: 'Another object with the same value for property onPremisesImmutableId already exists.', details: [{ code: 'ObjectConflict', target: 'onPremisesImmutableId' }] });
    const exchange = (await http.graph('GET', '/v1.0/subscribedSkus')).json.value as { skuId: string; skuPartNumber: string }[];
    const sku = exchange.find((s) => s.skuPartNumber === 'EXCHANGESTANDARD')!.skuId;
    expect((await http.graph('POST', `/v1.0/users/${String(a.id)}/assignLicense`, { body: { addLicenses: [{ skuId: sku }], removeLicenses: [] } })).status).toBe(200);
    // anchor.a now answers to smtp:anchor.a@contoso.onmicrosoft.com: a user with that UPN can't be created…
    const onCreate = await http.graph('POST', '/v1.0/users', { body: newUser('anchor.a@contoso.onmicrosoft.com') });
    expect(message(onCreate)).toBe('Another object with the same value for property proxyAddresses already exists.');
    // …and a user whose licence would give it an address someone has is refused at licensing.
    const helpdesk = await http.graph('POST', '/v1.0/users', { body: newUser('helpdesk@contoso.com', { usageLocation: 'US' }) });
    const onLicense = await http.graph('POST', `/v1.0/users/${String(helpdesk.json.id)}/assignLicense`, { body: { addLicenses: [{ skuId: sku }], removeLicenses: [] } });
    expect(message(onLicense)).toBe('Another object with the same value for property proxyAddresses already exists.');
    const phones = await http.graph('PATCH', `/v1.0/users/${String(b.id)}`, { body: { businessPhones: ['+1 555 0100', '+1 555 0101'] } });
    expect(message(phones)).toBe("Invalid value specified for property 'businessPhones' of resource 'User'.");
  });
});

describe('errors and the clock', () => {
  it('echoes client-request-id in innerError, dated on the sandbox clock', async () => {
    await sb.control.advanceClock(3 * 86_400_000);
    const r = await http.graph('GET', '/v1.0/users/nobody@contoso.com', { headers: { 'client-request-id': 'my-id-123' } });
    const inner = (r.json.error as { innerError: Record<string, string> }).innerError;
    expect(inner['client-request-id']).toBe('my-id-123');
    expect(r.headers['client-request-id']).toBe('my-id-123');
    expect(Date.parse(`${inner.date!}Z`) - Date.now()).toBeGreaterThan(2.9 * 86_400_000);
    const created = await http.graph('POST', '/v1.0/users', { body: newUser('clock@contoso.com') });
    const createdAt = (await http.graph('GET', `/v1.0/users/${String(created.json.id)}?$select=createdDateTime`)).json.createdDateTime;
    expect(Date.parse(String(createdAt)) - Date.now()).toBeGreaterThan(2.9 * 86_400_000);
    await sb.control.advanceClock(-3 * 86_400_000);
  });

  it('answers 429 with a whole-second Retry-After', async () => {
    await sb.control.setThrottle({ writesPerAppPer150s: 1, timeScale: 300 });
    await http.graph('PATCH', '/v1.0/users/megan.bowen@contoso.com', { body: { jobTitle: 'One' } });
    const r = await http.graph('PATCH', '/v1.0/users/megan.bowen@contoso.com', { body: { jobTitle: 'Two' } });
    expect(r.status).toBe(429);
    expect(r.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    await sb.control.setThrottle({ writesPerAppPer150s: 3000, timeScale: 1 });
  });
});
