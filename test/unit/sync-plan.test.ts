import { describe, expect, it } from 'vitest';
import { hashAccount, immutableIdOf, mapUpn, normalizeUser, sanitizeAlias, type NormalizeOptions } from '../../electron/sync/normalize';
import { planSync, summarizePlan, type LinkState } from '../../electron/sync/plan';
import { makeUsers } from '../support/sync-fakes';

const opts: NormalizeOptions = { domain: 'contoso.com', verifiedDomains: ['contoso.com', 'fabrikam.com'], usageLocation: 'US', tenantId: 't1' };

function desiredOf(n: number): Map<string, ReturnType<typeof normalizeUser>> {
  return new Map(makeUsers(n).map((u) => [u.objectGuid, normalizeUser(u, opts)]));
}
function linkFor(d: ReturnType<typeof normalizeUser>, over: Partial<LinkState> = {}): LinkState {
  return { objectGuid: d.objectGuid, onlineId: `id-${d.objectGuid}`, userPrincipalName: d.userPrincipalName, displayName: d.attributes.displayName, hash: d.hash, enabled: d.enabled, deleteHold: false, ...over };
}

describe('normalize', () => {
  it('maps non-routable and unverified suffixes to the chosen domain, keeps verified ones', () => {
    expect(mapUpn({ userPrincipalName: 'jsmith@corp.local', sAMAccountName: 'jsmith' }, opts)).toEqual({ upn: 'jsmith@contoso.com', rewritten: true });
    expect(mapUpn({ userPrincipalName: 'ann@fabrikam.com', sAMAccountName: 'ann' }, opts)).toEqual({ upn: 'ann@fabrikam.com', rewritten: false });
    expect(mapUpn({ userPrincipalName: 'bob@other.org', sAMAccountName: 'bob' }, opts).upn).toBe('bob@contoso.com');
    expect(mapUpn({ sAMAccountName: 'noupn' }, opts)).toEqual({ upn: 'noupn@contoso.com', rewritten: false });
  });

  it('folds accents and drops characters Graph refuses in the alias', () => {
    expect(sanitizeAlias('José Müller')).toBe('JoseMuller');
    expect(sanitizeAlias('a..b(c)')).toBe('a.bc');
    expect(mapUpn({ userPrincipalName: 'rené@corp.local', sAMAccountName: 'rene' }, opts).upn).toBe('rene@contoso.com');
  });

  it('computes the immutable id as base64 of the objectGUID bytes in AD order', () => {
    // AD bytes for 01020304-0506-0708-090a-0b0c0d0e0f10: first three groups little-endian.
    const expected = Buffer.from([4, 3, 2, 1, 6, 5, 8, 7, 9, 10, 11, 12, 13, 14, 15, 16]).toString('base64');
    expect(immutableIdOf('01020304-0506-0708-090a-0b0c0d0e0f10')).toBe(expected);
    expect(() => immutableIdOf('nope')).toThrow();
  });

  it('maps attributes, with empty values cleared and a display-name fallback', () => {
    const d = normalizeUser({ objectGuid: 'AAAAAAAA-0000-0000-0000-000000000001', sAMAccountName: 'jd', givenName: 'Jane', sn: 'Doe', telephoneNumber: ' 555 ', title: '', office: 'HQ', enabled: false }, opts);
    expect(d.objectGuid).toBe('aaaaaaaa-0000-0000-0000-000000000001');
    expect(d.attributes).toEqual({ displayName: 'Jane Doe', givenName: 'Jane', surname: 'Doe', jobTitle: null, department: null, businessPhones: ['555'], mobilePhone: null, officeLocation: 'HQ' });
    expect(d.enabled).toBe(false);
    expect(d.usageLocation).toBe('US');
    expect(d.mailNickname).toBe('jd');
  });

  it('changes the hash when an attribute, the UPN or the target tenant changes, and only then', () => {
    const [u] = makeUsers(1);
    const a = normalizeUser(u!, opts);
    expect(normalizeUser({ ...u! }, opts).hash).toBe(a.hash);
    expect(normalizeUser({ ...u!, title: 'Boss' }, opts).hash).not.toBe(a.hash);
    expect(normalizeUser({ ...u!, userPrincipalName: 'x@corp.local' }, opts).hash).not.toBe(a.hash);
    expect(normalizeUser(u!, { ...opts, tenantId: 't2' }).hash).not.toBe(a.hash);
    expect(hashAccount({ tenantId: 't1', upn: 'A@B.com', attributes: a.attributes })).toBe(hashAccount({ tenantId: 't1', upn: 'a@b.com', attributes: a.attributes }));
    // Enabled is not part of the hash: it is its own operation.
    expect(normalizeUser({ ...u!, enabled: false }, opts).hash).toBe(a.hash);
  });
});

describe('planSync', () => {
  it('creates only for chosen users, skipping linked, unknown and duplicate-UPN ones with a reason', () => {
    const desired = desiredOf(4);
    const [a, b, c] = [...desired.values()];
    const links = new Map([[a!.objectGuid, linkFor(a!)]]);
    const clash = { ...c!, objectGuid: 'ffffffff-0000-0000-0000-000000000000', userPrincipalName: b!.userPrincipalName };
    desired.set(clash.objectGuid, clash);
    const plan = planSync(desired, links, { mode: 'objects', createFor: [a!.objectGuid, b!.objectGuid, 'dead0000-0000-0000-0000-000000000000', clash.objectGuid], deleteThreshold: 10, skuId: 'sku' });
    expect(plan.ops.map((o) => `${o.kind}:${o.objectGuid}`)).toEqual([`create:${b!.objectGuid}`]);
    expect(plan.ops[0]).toMatchObject({ kind: 'create', skuId: 'sku', key: `create:${b!.objectGuid}` });
    expect(plan.skipped.map((s) => s.reason)).toEqual(['already has an online account', 'is not in the directory (or not in the synced folders)', `the name ${b!.userPrincipalName} is already used by another synced user`]);
  });

  it('does nothing when hashes and enabled state match', () => {
    const desired = desiredOf(5);
    const links = new Map([...desired.values()].map((d) => [d.objectGuid, linkFor(d)]));
    expect(planSync(desired, links, { mode: 'full', deleteThreshold: 10 })).toEqual({ ops: [], heldDeletes: [], skipped: [] });
  });

  it('updates changed attributes, flags UPN changes, and enables/disables separately', () => {
    const desired = desiredOf(3);
    const [a, b, c] = [...desired.values()];
    const links = new Map([
      [a!.objectGuid, linkFor(a!, { hash: 'old' })],
      [b!.objectGuid, linkFor(b!, { enabled: false })],
      [c!.objectGuid, linkFor(c!, { hash: null, userPrincipalName: 'old@contoso.com' })],
    ]);
    const plan = planSync(desired, links, { mode: 'full', deleteThreshold: 10 });
    expect(plan.ops.map((o) => o.kind)).toEqual(['update', 'set-enabled', 'update']);
    expect(plan.ops[0]).toMatchObject({ kind: 'update', upnChanged: false });
    expect(plan.ops[1]).toMatchObject({ kind: 'set-enabled', enabled: true });
    expect(plan.ops[2]).toMatchObject({ kind: 'update', upnChanged: true });
    expect(summarizePlan(plan)).toMatchObject({ updates: 2, enables: 1, disables: 0 });
  });

  it('deletes linked accounts gone from the directory in a full run, up to the threshold', () => {
    const desired = desiredOf(5);
    const links = new Map([...desired.values()].map((d) => [d.objectGuid, linkFor(d)]));
    const gone = [...desired.keys()].slice(0, 2);
    gone.forEach((g) => desired.delete(g));
    const plan = planSync(desired, links, { mode: 'full', deleteThreshold: 2 });
    expect(plan.ops.map((o) => `${o.kind}:${o.objectGuid}`).sort()).toEqual(gone.map((g) => `delete:${g}`).sort());
    expect(plan.heldDeletes).toEqual([]);
  });

  it('holds every delete, with names, when there are more than the threshold', () => {
    const desired = desiredOf(6);
    const links = new Map([...desired.values()].map((d) => [d.objectGuid, linkFor(d)]));
    const [keep] = [...desired.values()];
    const changed = new Map([[keep!.objectGuid, { ...keep!, hash: 'new' }]]);
    const plan = planSync(changed, links, { mode: 'full', deleteThreshold: 3 });
    expect(plan.ops.map((o) => o.kind)).toEqual(['update']);
    expect(plan.heldDeletes.map((d) => d.displayName).sort()).toEqual(['User 1', 'User 2', 'User 3', 'User 4', 'User 5']);
    const approved = planSync(changed, links, { mode: 'full', deleteThreshold: 3, approvedDeletes: plan.heldDeletes.map((d) => d.objectGuid) });
    expect(approved.ops.filter((o) => o.kind === 'delete')).toHaveLength(5);
    expect(approved.heldDeletes).toEqual([]);
  });

  it('never proposes deletes for accounts the admin chose to keep', () => {
    const desired = desiredOf(2);
    const links = new Map([...desired.values()].map((d) => [d.objectGuid, linkFor(d, { deleteHold: true })]));
    expect(planSync(new Map(), links, { mode: 'full', deleteThreshold: 0 })).toEqual({ ops: [], heldDeletes: [], skipped: [] });
  });

  it('in per-object mode deletes only what the feed reported deleted', () => {
    const desired = desiredOf(3);
    const links = new Map([...desired.values()].map((d) => [d.objectGuid, linkFor(d)]));
    const [a] = [...desired.keys()];
    const plan = planSync(new Map(), links, { mode: 'objects', deleted: [a!.toUpperCase()], deleteThreshold: 10 });
    expect(plan.ops.map((o) => `${o.kind}:${o.objectGuid}`)).toEqual([`delete:${a}`]);
  });
});
