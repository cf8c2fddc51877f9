// The directory client against a real Samba AD DC: TLS trust, binds and their errors, discovery, users, groups.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'ldapts';
import * as tls from 'node:tls';
import { startTestDc, type TestDc } from '../samba/dc-harness';
import { DirectoryClient, type DirectoryConfig, type DirectoryUser } from '../../electron/directory/directory-client';
import { DirectoryError } from '../../electron/directory/directory-errors';
import { discoverDomain } from '../../electron/directory/directory-discovery';
import { probeCertificate } from '../../electron/directory/tls-trust';

let dc: TestDc;
let admin: DirectoryClient;
let ou: string;
const cfg = (over: Partial<DirectoryConfig> = {}): DirectoryConfig => ({
  url: dc.url, bindUpn: dc.adminUpn, password: dc.adminPassword, tls: { caPem: dc.caPem, serverName: dc.dnsHostName }, ...over,
});
async function codeOf(p: Promise<unknown>): Promise<string> {
  try { await p; return 'ok'; } catch (e) { if (e instanceof DirectoryError) return e.code; throw e; }
}
const bindAs = (upn: string, password: string): Promise<unknown> => new DirectoryClient(cfg({ bindUpn: upn, password })).openConnection().then((c) => c.unbind());

beforeAll(async () => {
  dc = await startTestDc({ users: 30 });
  admin = new DirectoryClient(cfg());
  ou = await admin.ensureOu(dc.domainDn, 'Tests');
});
afterAll(async () => {
  await admin?.close();
  await dc?.stop();
});

describe('TLS trust and binds', () => {
  it('refuses simple binds over plain LDAP, as a Windows DC does (strong auth left at its default)', async () => {
    const plain = new Client({ url: `ldap://${dc.ip}:389` });
    const err = await plain.bind(dc.adminUpn, dc.adminPassword).then(() => undefined, (e: unknown) => e);
    await plain.unbind().catch(() => undefined);
    expect((err as { code?: number }).code).toBe(8);
    expect(() => new DirectoryClient(cfg({ url: `ldap://${dc.ip}` }))).toThrow(DirectoryError);
  });

  it('verifies the DC against the approved CA and its DNS name', async () => {
    const c = new DirectoryClient(cfg());
    await c.connect();
    expect(c.certificate?.subject).toContain(dc.dnsHostName.toUpperCase().split('.')[0]);
    await c.close();
    expect(await codeOf(new DirectoryClient(cfg({ tls: { caPem: dc.caPem, serverName: 'intruder.corp.example.test' } })).connect())).toBe('tls-name-mismatch');
  });

  it('surfaces an untrusted certificate with its fingerprint for trust on first use, then accepts the pinned fingerprint', async () => {
    const err = await new DirectoryClient(cfg({ tls: {} })).connect().then(() => undefined, (e: unknown) => e as DirectoryError);
    expect(err?.code).toBe('tls-untrusted');
    const fp = err!.details.certificate!.fingerprintSha256;
    expect(fp).toMatch(/^[0-9a-f]{64}$/);
    const probe = await probeCertificate(dc.url);
    expect(probe.trusted).toBe(false);
    expect(probe.certificate.fingerprintSha256).toBe(fp);
    expect((await probeCertificate(dc.url, { fingerprintSha256: fp.toUpperCase().match(/../g)!.join(':') })).trusted).toBe(true);
    const pinned = new DirectoryClient(cfg({ tls: { fingerprintSha256: fp } }));
    expect(await pinned.baseDn()).toBe(dc.domainDn);
    await pinned.close();
    const wrong = fp.replace(/^./, fp[0] === '0' ? '1' : '0');
    expect(await codeOf(new DirectoryClient(cfg({ tls: { fingerprintSha256: wrong } })).connect())).toBe('fingerprint-mismatch');
  });

  it('reports a wrong password, an unreachable DC (after backoff) and a dropped connection is re-opened', async () => {
    expect(await codeOf(new DirectoryClient(cfg({ password: 'wrong-password' })).connect())).toBe('invalid-credentials');
    const t0 = Date.now();
    const down = new DirectoryClient(cfg({ url: 'ldaps://127.0.0.1:1', reconnect: { initialMs: 100, attempts: 3 } }));
    expect(await codeOf(down.connect())).toBe('unreachable');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300); // 100 + 200 ms backoff
    const c = new DirectoryClient(cfg());
    await c.connect();
    (c as unknown as { ldap: { socket: { destroy(): void } } }).ldap.socket.destroy();
    expect(await c.baseDn()).toBe(dc.domainDn);
    await c.close();
  });

  it('reports disabled and locked-out accounts distinctly', async () => {
    const u = await admin.createUser({ parentDn: ou, sAMAccountName: 'lock.me', userPrincipalName: `lock.me@${dc.realm.toLowerCase()}`, password: 'Lock-Me-0k!' });
    await admin.setEnabled(u.objectGuid, false);
    expect(await codeOf(bindAs(u.userPrincipalName!, 'Lock-Me-0k!'))).toBe('account-disabled');
    await admin.setEnabled(u.objectGuid, true);
    expect(await codeOf(bindAs(u.userPrincipalName!, 'Lock-Me-0k!'))).toBe('ok');
    const c = await admin.openConnection();
    const { Attribute, Change } = await import('ldapts');
    const setThreshold = (n: string) => c.modify(dc.domainDn, new Change({ operation: 'replace', modification: new Attribute({ type: 'lockoutThreshold', values: [n] }) }));
    await setThreshold('3');
    try {
      for (let i = 0; i < 3; i++) expect(await codeOf(bindAs(u.userPrincipalName!, 'wrong'))).toBe('invalid-credentials');
      expect(await codeOf(bindAs(u.userPrincipalName!, 'Lock-Me-0k!'))).toBe('account-locked');
    } finally {
      await setThreshold('0');
      await c.unbind();
    }
  });
});

describe('discovery', () => {
  it('reports names, UPN suffixes, the DC count and that this host is the DC', async () => {
    const c = await admin.openConnection();
    const { Attribute, Change } = await import('ldapts');
    const [root] = (await c.search('', { scope: 'base', attributes: ['configurationNamingContext'] })).searchEntries;
    await c.modify(`CN=Partitions,${String(root!.configurationNamingContext)}`, new Change({ operation: 'replace', modification: new Attribute({ type: 'uPNSuffixes', values: ['contoso.com', 'branch.lan'] }) }));
    await c.unbind();
    const d = await discoverDomain(admin);
    expect(d).toMatchObject({
      domainDn: dc.domainDn, dnsDomainName: dc.realm.toLowerCase(), netbiosName: dc.netbios, forestDnsName: dc.realm.toLowerCase(),
      domainControllerCount: 1, connectedDc: dc.dnsHostName, thisHostIsDc: true,
    });
    expect(d.domainControllers[0]!.dnsHostName).toBe(dc.dnsHostName);
    expect(d.upnSuffixes).toEqual([
      { suffix: 'corp.example.test', source: 'domain', routable: false },
      { suffix: 'contoso.com', source: 'forest', routable: true },
      { suffix: 'branch.lan', source: 'forest', routable: false },
    ]);
    expect(d.nonRoutableSuffixes).toEqual(['corp.example.test', 'branch.lan']);
  });
});

describe('users', () => {
  it('pages through users and normalises them', async () => {
    const pages: DirectoryUser[][] = [];
    for await (const p of admin.listUsers({ baseDn: dc.staffOu, pageSize: 7 })) pages.push(p);
    expect(pages.length).toBe(5);
    const all = pages.flat();
    expect(all).toHaveLength(30);
    expect(new Set(all.map((u) => u.objectGuid)).size).toBe(30);
    for (const u of all) expect(u.objectGuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const zoe = all.find((u) => u.givenName === 'Zoë')!;
    expect(zoe).toMatchObject({ enabled: true, userAccountControl: 512, department: expect.any(String), title: expect.any(String), office: expect.any(String), telephoneNumber: expect.stringMatching(/^\+49/) });
    expect(zoe.whenChanged).toBeInstanceOf(Date);
    expect(zoe.uSNChanged).toBeGreaterThan(0);
    expect(await admin.getUser(zoe.objectGuid)).toEqual(zoe);
  });

  it('treats hostile filter input literally and handles non-ASCII names', async () => {
    expect(await admin.findUserBySam('*')).toBeUndefined();
    expect(await admin.findUserBySam('*)(objectClass=*')).toBeUndefined();
    expect(await admin.findUserBySam('anna.muller')).toMatchObject({ displayName: 'Anna Müller' });
    const u = await admin.createUser({ parentDn: ou, cn: 'Müller, Zoë (Sales) #1', sAMAccountName: 'zoe)(x', givenName: 'Zoë', sn: 'Müller', displayName: 'Zoë Müller', password: 'Gr8-Passw0rd!' });
    expect(u.dn.toLowerCase()).toMatch(/^cn=müller\\, zoë \(sales\) \\?#1,ou=tests,/); // Samba also escapes an inner #
    expect(u.displayName).toBe('Zoë Müller');
    expect((await admin.findUserBySam('zoe)(x'))?.objectGuid).toBe(u.objectGuid);
    expect(await admin.findUserBySam('zoe)(*')).toBeUndefined();
    expect(await admin.findUserBySam('zoe*')).toBeUndefined();
  });

  it('creates (disabled → password → enabled), refuses weak passwords and duplicates, resets and toggles', async () => {
    const upn = `new.hire@${dc.realm.toLowerCase()}`;
    expect(await codeOf(admin.createUser({ parentDn: ou, sAMAccountName: 'weak.one', password: 'abc' }))).toBe('weak-password');
    expect(await admin.findUserBySam('weak.one')).toBeUndefined(); // half-created account removed again
    const u = await admin.createUser({ parentDn: ou, sAMAccountName: 'new.hire', userPrincipalName: upn, givenName: 'Néw', sn: 'Hire', displayName: 'Néw Hire', mail: upn, title: 'Intern', password: 'First-Passw0rd!' });
    expect(u).toMatchObject({ enabled: true, userPrincipalName: upn, title: 'Intern' });
    expect(await codeOf(bindAs(upn, 'First-Passw0rd!'))).toBe('ok');
    expect(await codeOf(admin.createUser({ parentDn: ou, sAMAccountName: 'new.hire2', cn: 'Néw Hire', password: 'First-Passw0rd!' }))).toBe('already-exists');
    await admin.resetPassword(u.objectGuid, 'Second-Passw0rd!');
    expect(await codeOf(bindAs(upn, 'First-Passw0rd!'))).toBe('invalid-credentials');
    expect(await codeOf(bindAs(upn, 'Second-Passw0rd!'))).toBe('ok');
    expect(await codeOf(admin.resetPassword(u.objectGuid, 'short'))).toBe('weak-password');
    await admin.setEnabled(u.objectGuid, false);
    expect((await admin.getUser(u.objectGuid))?.enabled).toBe(false);
    expect(await codeOf(bindAs(upn, 'Second-Passw0rd!'))).toBe('account-disabled');
    await admin.setEnabled(u.objectGuid, true);
    expect((await admin.getUser(u.objectGuid))?.userAccountControl).toBe(512);
    await admin.updateUser(u.objectGuid, { title: 'Engineer', department: 'R&D', office: '' });
    expect(await admin.getUser(u.objectGuid)).toMatchObject({ title: 'Engineer', department: 'R&D' });
  });

  it('renames, moves and deletes by GUID; a deleted user is not-found', async () => {
    const u = await admin.createUser({ parentDn: ou, sAMAccountName: 'mover', password: 'Move-Passw0rd!' });
    const renamed = await admin.rename(u.objectGuid, 'Mövér, Jr.');
    expect(renamed).toBe(`CN=Mövér\\, Jr.,${ou}`);
    const other = await admin.ensureOu(dc.domainDn, 'Moved (2026)');
    const moved = await admin.move(u.objectGuid, other);
    expect(moved).toBe(`CN=Mövér\\, Jr.,${other}`);
    expect((await admin.getUser(u.objectGuid))?.dn).toBe(moved);
    await admin.deleteObject(u.objectGuid);
    expect(await admin.getUser(u.objectGuid)).toBeUndefined();
    expect(await codeOf(admin.deleteObject(u.objectGuid))).toBe('not-found');
    expect(await codeOf(admin.setEnabled(u.objectGuid, false))).toBe('not-found');
  });
});

describe('groups and a least-privilege service account', () => {
  it('lists groups, adds and removes members (group DN with filter metacharacters)', async () => {
    const g = await admin.createGroup(ou, 'Sales (EU) *', 'EU sales team');
    const users = (await admin.listUsers({ baseDn: dc.staffOu }).next()).value as DirectoryUser[];
    const [a, b] = [users[0]!, users[1]!];
    await admin.addGroupMember(g, a.objectGuid);
    await admin.addGroupMember(g, b.objectGuid);
    await admin.addGroupMember(g, b.objectGuid); // idempotent
    expect((await admin.listGroupMembers(g)).map((m) => m.objectGuid).sort()).toEqual([a.objectGuid, b.objectGuid].sort());
    await admin.removeGroupMember(g, a.objectGuid);
    await admin.removeGroupMember(g, a.objectGuid); // idempotent
    const members = await admin.listGroupMembers(g);
    expect(members).toEqual([{ objectGuid: b.objectGuid, dn: b.dn, sAMAccountName: b.sAMAccountName, kind: 'user' }]);
    const groups = await admin.listGroups();
    expect(groups.find((x) => x.objectGuid === g)).toMatchObject({ name: 'Sales (EU) *', description: 'EU sales team' });
    expect(groups.find((x) => x.objectGuid === g)?.sAMAccountName).toBe('Sales (EU) _');
    expect(groups.some((x) => x.sAMAccountName === 'Domain Admins')).toBe(true);
  });

  it('binds as a non-admin service account by DN and reads users', async () => {
    const svc = await admin.createUser({ parentDn: ou, sAMAccountName: 'svc-essentials', password: 'Svc-Passw0rd-123!' });
    const c = new DirectoryClient(cfg({ bindUpn: undefined, bindDn: svc.dn, password: 'Svc-Passw0rd-123!' }));
    let n = 0;
    for await (const p of c.listUsers({ baseDn: dc.staffOu })) n += p.length;
    expect(n).toBe(30);
    await c.close();
  });
});

void tls;
