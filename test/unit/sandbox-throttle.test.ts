import { describe, expect, it } from 'vitest';
import { resourceUnitCost, Throttler } from '../../test/sandbox-tenant/throttle';
import { FaultInjector } from '../../test/sandbox-tenant/faults';
import { parseFilter } from '../../test/sandbox-tenant/odata-filter';
import { passwordMeetsPolicy } from '../../test/sandbox-tenant/user-rules';

const q = (s = '') => new URLSearchParams(s);

describe('resource unit costs (Microsoft identity & access table)', () => {
  it('prices requests', () => {
    expect(resourceUnitCost('GET', '/users', q())).toBe(2);
    expect(resourceUnitCost('GET', '/users', q('$select=id'))).toBe(1);
    expect(resourceUnitCost('GET', '/subscribedSkus', q())).toBe(3);
    expect(resourceUnitCost('GET', '/users', q('$select=id&$top=5'))).toBe(1);
    expect(resourceUnitCost('GET', '/groups/1/members', q('$expand=x'))).toBe(4);
    expect(resourceUnitCost('POST', '/users', q())).toBe(1);
  });
});

describe('Throttler', () => {
  it('allows 3,000 writes per 150 s per app, then says how long to wait', () => {
    const t = new Throttler(1000); // window 150 ms
    for (let i = 0; i < 3000; i++) expect(t.check('app', 'tid', 10, 'PATCH', '/users/x', q()).hit).toBeUndefined();
    const hit = t.check('app', 'tid', 10, 'PATCH', '/users/x', q()).hit;
    expect(hit?.information).toBe('WriteLimitExceeded');
    expect(hit!.retryAfterSec).toBeGreaterThan(0);
    expect(hit!.retryAfterSec).toBeLessThanOrEqual(0.15);
    // Another app has its own budget.
    expect(t.check('other', 'tid', 10, 'PATCH', '/users/x', q()).hit).toBeUndefined();
  });

  it('sizes the resource-unit budget by tenant size', () => {
    const small = new Throttler(1);
    let n = 0;
    while (!small.check('a', 't', 10, 'GET', '/organization', q()).hit) n++;
    expect(n).toBe(3500);
    const mid = new Throttler(1);
    n = 0;
    while (!mid.check('a', 't', 100, 'GET', '/organization', q()).hit) n++;
    expect(n).toBe(5000);
    const big = new Throttler(1);
    n = 0;
    while (!big.check('a', 't', 501, 'GET', '/users', q()).hit) n++;
    expect(n).toBe(4000); // 8,000 RU at 2 RU each
  });

  it('frees capacity as the window slides', async () => {
    const t = new Throttler(3000); // 150 s → 50 ms
    t.setProfile({ writesPerAppPer150s: 2 });
    t.check('a', 't', 1, 'POST', '/users', q());
    t.check('a', 't', 1, 'POST', '/users', q());
    expect(t.check('a', 't', 1, 'POST', '/users', q()).hit).toBeDefined();
    await new Promise((r) => setTimeout(r, 60));
    expect(t.check('a', 't', 1, 'POST', '/users', q()).hit).toBeUndefined();
  });
});

describe('FaultInjector', () => {
  it('fires at the configured rate, reproducibly with a seed, only on matching routes', () => {
    const f = new FaultInjector();
    f.set({ seed: 1, rules: [{ path: '^/v1.0/users', rate: 0.2, kind: 'status', status: 503 }] });
    let hits = 0;
    for (let i = 0; i < 5000; i++) if (f.pick('GET', '/v1.0/users')) hits++;
    expect(hits / 5000).toBeGreaterThan(0.17);
    expect(hits / 5000).toBeLessThan(0.23);
    expect(f.pick('GET', '/v1.0/domains')).toBeUndefined();
    const g = new FaultInjector();
    g.set({ seed: 1, rules: [{ path: '^/v1.0/users', rate: 0.2, kind: 'status', status: 503 }] });
    let again = 0;
    for (let i = 0; i < 5000; i++) if (g.pick('GET', '/v1.0/users')) again++;
    expect(again).toBe(hits);
  });
});

describe('$filter parser and password policy', () => {
  const SKU = 'f245ecc8-75af-4f8e-b61f-27d8114de5f3';
  const users = [
    { id: '1', userPrincipalName: 'Ann@contoso.com', displayName: 'Ann Lee', accountEnabled: true, proxyAddresses: ['SMTP:ann@contoso.com'], assignedLicenses: [{ skuId: SKU, disabledPlans: [] }], createdDateTime: '2024-03-01T10:00:00Z' },
    { id: '2', userPrincipalName: 'bob@contoso.com', displayName: 'Bob O\'Neil', accountEnabled: false, proxyAddresses: [], assignedLicenses: [], createdDateTime: '2025-06-01T10:00:00Z' },
  ];
  const ids = (f: string) => users.filter((u) => parseFilter(f, 'user').test(u)).map((u) => u.id);
  it('supports eq, ne, startswith, any(), in, and/or, quotes', () => {
    expect(ids("userPrincipalName eq 'ann@contoso.com'")).toEqual(['1']);
    expect(ids('accountEnabled eq false')).toEqual(['2']);
    expect(ids('accountEnabled ne false')).toEqual(['1']);
    expect(ids("startswith(displayName,'bob')")).toEqual(['2']);
    expect(ids("displayName eq 'Bob O''Neil'")).toEqual(['2']);
    expect(ids("proxyAddresses/any(p:p eq 'smtp:ann@contoso.com')")).toEqual(['1']);
    expect(ids("id in ('2','3')")).toEqual(['2']);
    expect(ids("accountEnabled eq true or startswith(displayName,'Bob')")).toEqual(['1', '2']);
    expect(ids("accountEnabled eq true and startswith(displayName,'Bob')")).toEqual([]);
    expect(() => ids('length(displayName) gt 3')).toThrow("An unknown function with name 'length' was found");
  });
  it('parses not, parentheses, endswith, lambdas over complex collections, date literals, and names case-insensitively', () => {
    expect(ids("not(accountEnabled eq true)")).toEqual(['2']);
    expect(ids("(accountEnabled eq false or startswith(displayName,'ann')) and endswith(userPrincipalName,'@contoso.com')")).toEqual(['1', '2']);
    expect(ids(`assignedLicenses/any(x:x/skuId eq ${SKU})`)).toEqual(['1']);
    expect(ids('assignedLicenses/any()')).toEqual(['1']);
    expect(ids("proxyAddresses/all(p:startswith(p,'SMTP:'))")).toEqual(['1', '2']);
    expect(ids('createdDateTime ge 2025-01-01T00:00:00Z')).toEqual(['2']);
    expect(ids("DisplayName eq 'ann lee'")).toEqual(['1']);
    expect(parseFilter("endswith(mail,'x') and accountEnabled ne true", 'user').advanced.sort()).toEqual(['endsWith', 'ne']);
    expect(() => ids("nosuch eq 'x'")).toThrow("Could not find a property named 'nosuch' on type 'microsoft.graph.user'.");
    expect(() => ids("contains(displayName,'a')")).toThrow('Unsupported Query.');
    expect(() => ids("displayName eq 'open")).toThrow('Invalid filter clause');
  });
  it('applies the Entra password policy', () => {
    expect(passwordMeetsPolicy('Abcdef1!', 'x@y.com')).toBe(true);
    expect(passwordMeetsPolicy('abcdefgh1', 'x@y.com')).toBe(false); // 2 classes
    expect(passwordMeetsPolicy('Ab1!', 'x@y.com')).toBe(false); // too short
    expect(passwordMeetsPolicy('Johnny-Passw0rd', 'johnny@y.com')).toBe(false); // contains the alias
  });
});
