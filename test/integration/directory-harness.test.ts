// The DC harness itself: parallel DCs on distinct aliases, stop by PID leaves nothing behind, reuse keeps the domain.
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultTestIp, descendantPids, loopbackIp, startTestDc } from '../samba/dc-harness';
import { DirectoryClient } from '../../electron/directory/directory-client';

const pool = Number(process.env.VITEST_POOL_ID ?? 1);

describe('Samba DC harness', () => {
  it('runs two DCs side by side and stops each completely, by PID', async () => {
    const [a, b] = await Promise.all([
      startTestDc(),
      startTestDc({ ip: loopbackIp(40 + pool), realm: 'BRANCH.EXAMPLE.TEST' }),
    ]);
    try {
      expect(a.ip).toBe(defaultTestIp());
      expect(b.domainDn).toBe('DC=branch,DC=example,DC=test');
      for (const dc of [a, b]) {
        const c = new DirectoryClient({ url: dc.url, bindUpn: dc.adminUpn, password: dc.adminPassword, tls: { caPem: dc.caPem, serverName: dc.dnsHostName } });
        expect(await c.baseDn()).toBe(dc.domainDn);
        await c.close();
      }
      const aProcs = [a.pid, ...descendantPids(a.pid)];
      expect(aProcs.length).toBeGreaterThan(3);
      await a.stop();
      const alive = aProcs.filter((p) => { try { process.kill(p, 0); return true; } catch { return false; } });
      expect(alive).toEqual([]);
      expect(fs.existsSync(a.dir)).toBe(false);
      // the other DC is untouched
      const c = new DirectoryClient({ url: b.url, bindUpn: b.adminUpn, password: b.adminPassword, tls: { caPem: b.caPem, serverName: b.dnsHostName } });
      expect(await c.baseDn()).toBe(b.domainDn);
      await c.close();
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('reuses a provisioned domain (demo mode) and its seeded users', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oe-reuse-'));
    try {
      const one = await startTestDc({ dir, reuse: true, users: 12 });
      const guidOf = async (dc: typeof one) => {
        const c = new DirectoryClient({ url: dc.url, bindUpn: dc.adminUpn, password: dc.adminPassword, tls: { caPem: dc.caPem, serverName: dc.dnsHostName } });
        const u = await c.findUserBySam('anna.muller');
        let n = 0;
        for await (const p of c.listUsers({ baseDn: dc.staffOu })) n += p.length;
        await c.close();
        return { guid: u?.objectGuid, n };
      };
      const first = await guidOf(one);
      await one.stop();
      expect(fs.existsSync(dir)).toBe(true);
      const two = await startTestDc({ dir, reuse: true, users: 12 });
      try {
        expect(await guidOf(two)).toEqual(first);
        expect(first.n).toBe(12);
      } finally {
        await two.stop();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
