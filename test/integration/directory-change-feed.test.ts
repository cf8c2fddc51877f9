// The change feed against a real DC: every kind of change arrives quickly, deletes included, and the cookie resumes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDc, type TestDc } from '../samba/dc-harness';
import { DirectoryClient, type DirectoryConfig } from '../../electron/directory/directory-client';
import { ChangeFeed, type ChangeEvent } from '../../electron/directory/change-feed';

let dc: TestDc;
let admin: DirectoryClient;
let ou: string;
const cfg = (): DirectoryConfig => ({ url: dc.url, bindUpn: dc.adminUpn, password: dc.adminPassword, tls: { caPem: dc.caPem, serverName: dc.dnsHostName } });

/** Collects events; `waitFor` resolves with the first matching event and how long after `since` it arrived. */
function collector() {
  const events: (ChangeEvent & { at: number })[] = [];
  const waiters: { pred: (e: ChangeEvent) => boolean; resolve: (e: ChangeEvent & { at: number }) => void }[] = [];
  return {
    events,
    push(e: ChangeEvent) {
      const ev = { ...e, at: Date.now() };
      events.push(ev);
      for (const w of [...waiters]) if (w.pred(ev)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(ev); }
    },
    waitFor(pred: (e: ChangeEvent) => boolean, timeoutMs = 5_000): Promise<ChangeEvent & { at: number }> {
      const hit = events.find(pred);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('no matching change event within timeout')), timeoutMs);
        waiters.push({ pred, resolve: (e) => { clearTimeout(t); resolve(e); } });
      });
    },
  };
}

beforeAll(async () => {
  dc = await startTestDc();
  admin = new DirectoryClient(cfg());
  ou = await admin.ensureOu(dc.domainDn, 'Feed');
});
afterAll(async () => {
  await admin?.close();
  await dc?.stop();
});

describe.each(['notify', 'poll'] as const)('change feed (%s wake-up)', (wake) => {
  it('reports create, attribute change, disable, rename, move, group membership and delete within 500 ms', async () => {
    const col = collector();
    const errors: string[] = [];
    const feedClient = new DirectoryClient(cfg());
    const feed = new ChangeFeed(feedClient, { wake, pollMs: 50, skipInitial: true, onError: (e) => errors.push(e.code) });
    await feed.start((b) => { b.events.forEach((e) => col.push(e)); });
    const fast = async (write: () => Promise<unknown>, pred: (e: ChangeEvent) => boolean): Promise<ChangeEvent> => {
      await write();
      const done = Date.now();
      const ev = await col.waitFor(pred);
      expect(ev.at - done).toBeLessThan(500);
      return ev;
    };
    try {
      const sam = `feed.${wake}`;
      let guid = '';
      await fast(async () => { guid = (await admin.createUser({ parentDn: ou, sAMAccountName: sam, givenName: 'Frédéric', password: 'Feed-Passw0rd!' })).objectGuid; },
        (e) => e.objectGuid === guid && e.kind === 'upsert' && e.enabled === true);
      const created = col.events.find((e) => e.objectGuid === guid)!;
      expect(created.objectType).toBe('user');
      expect(created.attributes.sAMAccountName).toEqual([sam]);
      expect(created.attributes.givenName).toEqual(['Frédéric']);
      expect(created.cookie).toMatch(/^[A-Za-z0-9+/=]+$/);

      const title = await fast(() => admin.updateUser(guid, { title: 'Chef' }), (e) => e.objectGuid === guid && e.attributes.title?.[0] === 'Chef');
      expect(title.attributes.sAMAccountName).toBeUndefined(); // only what changed
      await fast(() => admin.setEnabled(guid, false), (e) => e.objectGuid === guid && e.enabled === false);
      await fast(() => admin.rename(guid, `Renamed ${wake}`), (e) => e.objectGuid === guid && e.attributes.name?.[0] === `Renamed ${wake}`);
      const dest = await admin.ensureOu(dc.domainDn, `Dest ${wake}`);
      await fast(() => admin.move(guid, dest), (e) => e.objectGuid === guid && e.dn.toLowerCase().endsWith(dest.toLowerCase()));
      const group = await admin.createGroup(ou, `Team ${wake}`);
      const memberEv = await fast(() => admin.addGroupMember(group, guid), (e) => e.objectGuid === group && (e.attributes.member ?? []).length === 1);
      expect(memberEv.objectType).toBe('group');
      expect(title.objectType).toBe('user');
      const del = await fast(() => admin.deleteObject(guid), (e) => e.objectGuid === guid && e.kind === 'delete');
      expect(del.dn).toContain('Deleted Objects');
      expect(del.objectType).toBe('user');
      expect(errors).toEqual([]);
    } finally {
      await feed.stop();
      await feedClient.close();
    }
  });
});

describe('change feed cookie', () => {
  it('skipping the first pass reads no object, yet later changes to old and new users arrive, and only those', async () => {
    const old = await admin.createUser({ parentDn: ou, sAMAccountName: 'before.start', password: 'Before-Passw0rd!' });
    const c = new DirectoryClient(cfg());
    const dirSyncRows: number[] = []; // entries returned by DirSync searches (the ones sent with a control)
    const search = c.searchEntries.bind(c);
    c.searchEntries = async (base, opts, controls) => {
      const rows = await search(base, opts, controls);
      if (controls) dirSyncRows.push(rows.length);
      return rows;
    };
    const seen: ChangeEvent[] = [];
    const feed = new ChangeFeed(c, { wake: 'poll', pollMs: 50, skipInitial: true });
    await feed.start((b) => { seen.push(...b.events); });
    try {
      expect(dirSyncRows.reduce((a, b) => a + b, 0)).toBe(0); // the old skip read every user and group of the domain
      await admin.updateUser(old.objectGuid, { department: 'After start' });
      const fresh = await admin.createUser({ parentDn: ou, sAMAccountName: 'after.start', password: 'After-Passw0rd!' });
      const deadline = Date.now() + 5_000;
      while (!(seen.some((e) => e.objectGuid === old.objectGuid) && seen.some((e) => e.objectGuid === fresh.objectGuid)) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(seen.find((e) => e.objectGuid === old.objectGuid)?.attributes.department).toEqual(['After start']);
      expect(seen.some((e) => e.objectGuid === fresh.objectGuid)).toBe(true);
      expect(new Set(seen.map((e) => e.objectGuid))).toEqual(new Set([old.objectGuid, fresh.objectGuid]));
    } finally {
      await feed.stop();
      await c.close();
    }
  });

  it('resumes from a persisted cookie with only the changes made while stopped, and a first run reads everything', async () => {
    const c = new DirectoryClient(cfg());
    const full: ChangeEvent[] = [];
    const cookies: string[] = [];
    const first = new ChangeFeed(c, { wake: 'poll', pollMs: 50, maxBytes: 4_000 });
    await first.start((b) => { full.push(...b.events); cookies.push(b.cookie); });
    expect(full.some((e) => e.attributes.sAMAccountName?.[0] === 'Administrator')).toBe(true);
    expect(cookies.at(-1)).toBe(first.currentCookie); // (Samba 4.17 ignores maxBytes: one page; Windows AD pages)
    expect(new Set(full.map((e) => e.objectGuid)).size).toBe(full.length);
    const cookie = first.currentCookie;
    await first.stop();

    const u = await admin.createUser({ parentDn: ou, sAMAccountName: 'while.down', password: 'Down-Passw0rd!' });
    await admin.updateUser(u.objectGuid, { department: 'Offline' });

    const seen: ChangeEvent[] = [];
    const second = new ChangeFeed(c, { cookie, wake: 'poll', pollMs: 50 });
    await second.start((b) => { seen.push(...b.events); });
    await second.stop();
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((e) => e.objectGuid === u.objectGuid)).toBe(true);
    expect(seen.some((e) => e.attributes.department?.[0] === 'Offline')).toBe(true);

    // a handler failure does not advance the cookie: the batch is delivered again
    const before = second.currentCookie;
    await admin.updateUser(u.objectGuid, { title: 'Retry' });
    let calls = 0;
    const errs: string[] = [];
    const third = new ChangeFeed(c, { cookie: before, wake: 'poll', pollMs: 50, onError: (e) => errs.push(e.code) });
    await third.start(() => { calls++; if (calls === 1) throw new Error('disk full'); });
    expect(third.currentCookie).toBe(before);
    third.trigger();
    await expect.poll(() => calls).toBeGreaterThanOrEqual(2);
    await expect.poll(() => third.currentCookie).not.toBe(before);
    expect(errs.length).toBe(1);
    await third.stop();

    // a delete seen by a fresh feed (no cached type) still says what was deleted
    const afterThird = third.currentCookie;
    await admin.deleteObject(u.objectGuid);
    const gone: ChangeEvent[] = [];
    const fourth = new ChangeFeed(new DirectoryClient(cfg()), { cookie: afterThird, wake: 'poll', pollMs: 50 });
    await fourth.start((b) => { gone.push(...b.events); });
    await fourth.stop();
    expect(gone.find((e) => e.kind === 'delete')).toMatchObject({ objectGuid: u.objectGuid, objectType: 'user' });
    await c.close();
  });
});
