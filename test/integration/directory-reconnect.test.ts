// A DC restart (outage) must not break the client, the change feed or password capture: they reconnect on their own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { startTestDc, type TestDc } from '../samba/dc-harness';
import { DirectoryClient, type DirectoryConfig } from '../../electron/directory/directory-client';
import { ChangeFeed, type ChangeEvent } from '../../electron/directory/change-feed';
import { SambaPasswordCapture } from '../../electron/directory/samba-password-capture';
import type { CapturedPassword } from '../../electron/directory/password-capture';

let dc: TestDc;
const cfg = (): DirectoryConfig => ({
  url: dc.url, bindUpn: dc.adminUpn, password: dc.adminPassword, tls: { caPem: dc.caPem, serverName: dc.dnsHostName },
  reconnect: { initialMs: 200, maxMs: 1_000, attempts: 40 },
});
async function until<T>(get: () => T | undefined, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => { dc = await startTestDc({ passwordCapture: true }); });
afterAll(async () => { await dc?.stop(); });

describe('surviving a DC restart', () => {
  it('client, change feed and password capture all recover', async () => {
    const admin = new DirectoryClient(cfg());
    const ou = await admin.ensureOu(dc.domainDn, 'Restart');
    const u = await admin.createUser({ parentDn: ou, sAMAccountName: 'restart.me', password: 'Before-Restart-1!' });
    const events: ChangeEvent[] = [];
    const feedErrors: string[] = [];
    const feed = new ChangeFeed(new DirectoryClient(cfg()), { skipInitial: true, onError: (e) => feedErrors.push(e.code) });
    await feed.start((b) => { events.push(...b.events); });
    const pw: CapturedPassword[] = [];
    const captureErrors: string[] = [];
    const capture = new SambaPasswordCapture({ smbConf: dc.smbConf, gnupgHome: dc.gnupgHome!, stateDir: path.join(dc.dir, 'pwcapture'), onError: (e) => captureErrors.push(e.message) });
    await capture.start((e) => { pw.push(e); });
    try {
      await until(() => pw.find((e) => e.objectGuid === u.objectGuid), 10_000);
      const oldPid = dc.pid;
      await dc.restart(1_000);
      expect(dc.pid).not.toBe(oldPid);

      // the client's connection died with the DC; the next call reconnects transparently
      await admin.updateUser(u.objectGuid, { title: 'After restart' });
      expect((await admin.getUser(u.objectGuid))?.title).toBe('After restart');
      await until(() => events.find((e) => e.objectGuid === u.objectGuid && e.attributes.title?.[0] === 'After restart'), 30_000);
      expect(feedErrors).toContain('unreachable');

      // once the watch is re-established, detection is fast again
      await until(() => ((feed as unknown as { watcher?: unknown }).watcher ? true : undefined), 30_000);
      await admin.updateUser(u.objectGuid, { department: 'Settling' });
      await until(() => events.find((e) => e.attributes.department?.[0] === 'Settling'), 5_000);
      await new Promise((r) => setTimeout(r, 1_200)); // past the reconnect catch-up passes
      await admin.updateUser(u.objectGuid, { department: 'Fast again' });
      const t = Date.now();
      await until(() => events.find((e) => e.attributes.department?.[0] === 'Fast again'), 2_000);
      expect(Date.now() - t).toBeLessThan(500);

      await admin.resetPassword(u.objectGuid, 'After-Restart-2!');
      await until(() => pw.find((e) => e.password === 'After-Restart-2!'), 40_000); // samba-tool's own reconnect backoff

      // samba-tool reconnects to a restarted DC by itself; if it dies, the source restarts it
      const toolPid = capture.pid!;
      process.kill(toolPid, 'SIGKILL');
      await until(() => (capture.pid && capture.pid !== toolPid ? true : undefined), 5_000);
      expect(captureErrors.some((m) => m.includes('restarting'))).toBe(true);
      await admin.resetPassword(u.objectGuid, 'After-Kill-3!');
      await until(() => pw.find((e) => e.password === 'After-Kill-3!'), 20_000);
      expect(captureErrors.join(' ')).not.toMatch(/After-(Restart|Kill)/);
    } finally {
      await feed.stop();
      await capture.stop();
      await admin.close();
    }
  }, 150_000); // a restart under CI load plus samba-tool's reconnect backoff
});
