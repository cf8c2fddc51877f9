import { describe, expect, it } from 'vitest';
import { ConcurrencyLimiter, RetryPolicy, type Failure } from '../../electron/tenant/retry-policy';
import { TenantError, toTenantError } from '../../electron/tenant/tenant-errors';
import { metadataFor, knownAuthoritiesFor, customHostsFor, graphRoot, MICROSOFT_365_ENDPOINTS } from '../../electron/tenant/endpoints';
import { generateAppCertificate } from '../../electron/tenant/certificate';
import { createHash, X509Certificate } from 'node:crypto';

class Fail extends Error { constructor(readonly f: Failure['kind'], readonly retryAfterMs?: number, readonly tenantCode: TenantError['code'] = 'service-error') { super(f); } }
const classify = (e: unknown): Failure => {
  const x = e as Fail;
  return { kind: x.f, retryAfterMs: x.retryAfterMs, error: new TenantError(x.tenantCode, x.message) } as Failure;
};
const fast = () => new RetryPolicy({ maxTransientRetries: 3, maxThrottleRetries: 5, baseDelayMs: 1, maxDelayMs: 5 });

describe('RetryPolicy', () => {
  it('honours Retry-After on 429 via the shared gate', async () => {
    const p = fast();
    let n = 0;
    const t = Date.now();
    const r = await p.run(async () => { if (n++ < 2) throw new Fail('throttled', 40); return 'ok'; }, classify);
    expect(r).toBe('ok');
    expect(Date.now() - t).toBeGreaterThanOrEqual(75);
    expect(p.stats.throttled).toBe(2);
  });

  it('gives up after the transient budget with an "unreachable" error', async () => {
    const p = fast();
    let n = 0;
    const e = await p.run(async () => { n++; throw new Fail('transient'); }, classify).catch((x: unknown) => x) as TenantError;
    expect(e.code).toBe('unreachable');
    expect(n).toBe(4);
  });

  it('does not retry fatal errors', async () => {
    const p = fast();
    let n = 0;
    const e = await p.run(async () => { n++; throw new Fail('fatal', undefined, 'password-policy'); }, classify).catch((x: unknown) => x) as TenantError;
    expect(e.code).toBe('password-policy');
    expect(n).toBe(1);
  });

  it('after an ambiguous failure, finds the object instead of creating it again', async () => {
    const p = fast();
    const store = new Set<string>();
    let calls = 0;
    const create = async () => { calls++; store.add('u'); if (calls === 1) throw new Fail('transient'); return 'created'; };
    const r = await p.run(create, classify, { probe: async () => (store.has('u') ? 'found' : undefined) });
    expect(r).toBe('found');
    expect(calls).toBe(1);
    expect(p.stats.recoveredByProbe).toBe(1);
  });

  it('resolves a conflict after an ambiguous failure by probing, and still fails genuine conflicts', async () => {
    const p = fast();
    let probes = 0;
    let attempt = 0;
    const r = await p.run(async () => {
      attempt++;
      if (attempt === 1) throw new Fail('transient');
      throw new Fail('fatal', undefined, 'upn-conflict');
    }, classify, { probe: async () => (++probes >= 2 ? 'ours' : undefined) });
    expect(r).toBe('ours');
    const e = await fast().run(async () => { throw new Fail('fatal', undefined, 'upn-conflict'); }, classify, { probe: async () => 'never' }).catch((x: unknown) => x) as TenantError;
    expect(e.code).toBe('upn-conflict');
  });
});

describe('ConcurrencyLimiter (AIMD)', () => {
  it('halves on a 429 burst once, grows back on successes, and caps in-flight requests', async () => {
    const l = new ConcurrencyLimiter(8);
    for (let i = 0; i < 8; i++) await l.acquire();
    let ninth = false;
    void l.acquire().then(() => { ninth = true; });
    await new Promise((r) => setTimeout(r, 5));
    expect(ninth).toBe(false);
    l.release('throttled', 0);
    l.release('throttled', 0); // same burst: no second halving
    expect(l.current).toBe(4);
    await new Promise((r) => setTimeout(r, 5));
    expect(ninth).toBe(false); // 7 in flight > 4
    for (let i = 0; i < 6; i++) l.release('ok');
    await new Promise((r) => setTimeout(r, 5));
    expect(ninth).toBe(true);
    expect(l.current).toBeGreaterThan(4);
    expect(l.current).toBeLessThanOrEqual(8);
  });
});

describe('error mapping', () => {
  it('maps Graph errors to typed codes', () => {
    const m = (s: number, msg: string) => toTenantError(s, { error: { code: 'Request_BadRequest', message: msg } }).code;
    expect(m(400, 'Another object with the same value for property userPrincipalName already exists.')).toBe('upn-conflict');
    expect(m(400, 'Another object with the same value for property proxyAddresses already exists.')).toBe('proxy-conflict');
    expect(m(400, 'The specified password does not comply with password complexity requirements. Please provide a different password.')).toBe('password-policy');
    expect(m(400, 'Subscription with SKU abc does not have any available licenses.')).toBe('no-license-seats');
    expect(m(400, 'License assignment cannot be done for user with invalid usage location.')).toBe('usage-location-required');
    expect(m(403, 'Insufficient privileges to complete the operation.')).toBe('forbidden');
    expect(m(429, 'Please retry again later.')).toBe('throttled');
    expect(m(404, 'x')).toBe('not-found');
    expect(m(400, 'something else')).toBe('bad-request');
  });
});

describe('endpoints and certificate', () => {
  it('configures MSAL and the Graph SDK for the real cloud or a local authority', () => {
    expect(knownAuthoritiesFor(MICROSOFT_365_ENDPOINTS)).toEqual([]);
    const local = { authorityHost: 'https://127.0.0.1:8443', graphBaseUrl: 'https://127.0.0.1:8443/v1.0/' };
    expect(knownAuthoritiesFor(local)).toEqual(['127.0.0.1:8443']);
    expect([...customHostsFor(local)]).toEqual(['127.0.0.1']);
    expect(graphRoot(local)).toBe('https://127.0.0.1:8443');
    const meta = JSON.stringify({ token_endpoint: 'https://h:1/tid/oauth2/v2.0/token', issuer: 'https://h:1/tid/v2.0' });
    expect(JSON.parse(metadataFor({ ...local, authorityMetadata: meta }, 'organizations')!).token_endpoint).toBe('https://h:1/organizations/oauth2/v2.0/token');
  });

  it('generates a certificate whose keyCredential and thumbprint match', () => {
    const c = generateAppCertificate('unit');
    const x = new X509Certificate(c.certificatePem);
    expect(x.subject).toBe('CN=unit');
    expect(Buffer.from(c.keyCredential.key, 'base64').equals(x.raw)).toBe(true);
    expect(c.thumbprintSha256).toBe(createHash('sha256').update(x.raw).digest('hex'));
    expect(c.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(JSON.stringify(c.keyCredential)).not.toContain('PRIVATE');
  });
});
