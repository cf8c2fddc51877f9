// The BIND harness itself: a real named on a loopback alias, authoritative for its zones, taking TSIG-signed updates
// from the admin's key only, stopped by PID with nothing left behind.
import * as fs from 'node:fs';
import * as net from 'node:net';
import { describe, expect, it } from 'vitest';
import { readRecords } from '../../electron/dns/dns-lookup';
import { defaultBindIp, startTestBind } from '../dns/bind-harness';

const tcpOpen = (host: string, port: number): Promise<boolean> => new Promise((resolve) => {
  const s = net.connect({ host, port });
  s.once('connect', () => { s.destroy(); resolve(true); });
  s.once('error', () => resolve(false));
});

describe('BIND harness', () => {
  it('serves its zones, applies the admin\'s updates, and stops completely by PID', async () => {
    const t0 = Date.now();
    const bind = await startTestBind({ zones: ['contoso.com', { name: 'fabrikam.com', records: ['@ MX 10 mail.fabrikam.com.', '@ TXT "v=spf1 mx -all"'] }] });
    const startMs = Date.now() - t0;
    try {
      expect(bind.server).toBe(`${defaultBindIp()}:53`);
      expect(bind.ip.startsWith(process.env.OE_TEST_NET ?? '127.0.0')).toBe(true);
      expect(startMs).toBeLessThan(15_000);
      const before = await readRecords(['fabrikam.com'], { servers: [bind.server] });
      expect(before).toEqual(expect.arrayContaining([
        { type: 'MX', name: 'fabrikam.com', ttl: 0, preference: 10, exchange: 'mail.fabrikam.com' },
        { type: 'TXT', name: 'fabrikam.com', ttl: 0, text: 'v=spf1 mx -all' },
      ]));
      await bind.update(['update add www.contoso.com. 300 A 192.0.2.7']);
      expect(await readRecords(['www.contoso.com'], { servers: [bind.server] })).toEqual([{ type: 'A', name: 'www.contoso.com', ttl: 300, value: '192.0.2.7' }]);
      expect(bind.updateCommand(['update delete www.contoso.com. A'])).toMatch(/^nsupdate -k \S+admin\.key <<'EOF'\nserver \S+ 53\nupdate delete www\.contoso\.com\. A\nsend\nEOF$/);
      // the key file the printed command uses is the admin's own: 0600 in a 0700 dir
      expect(fs.statSync(bind.dir).mode & 0o777).toBe(0o700);
      expect(fs.statSync(`${bind.dir}/admin.key`).mode & 0o777).toBe(0o600);
    } finally {
      await bind.stop();
    }
    expect(() => process.kill(bind.pid, 0)).toThrow();
    expect(fs.existsSync(bind.dir)).toBe(false);
    expect(await tcpOpen(bind.ip, 53)).toBe(false);
  });

  it('refuses to start a second server on a taken address, and says why', async () => {
    const bind = await startTestBind({ zones: ['contoso.com'] });
    try {
      await expect(startTestBind({ zones: ['contoso.com'], ip: bind.ip })).rejects.toThrow(/already in use/);
      // the first one still serves
      expect(await readRecords(['ns1.contoso.com'], { servers: [bind.server] })).toEqual([{ type: 'A', name: 'ns1.contoso.com', ttl: 3600, value: bind.ip }]);
    } finally {
      await bind.stop();
    }
  });
});
