// The seed's NewDNSRecords_<n>.txt: table, zone-file fragment and CSV; random name, never overwriting, 0700 folder.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { planRecords } from '../../electron/dns/dns-plan';
import type { ExistingRecord } from '../../electron/dns/dns-records';
import { renderRecordsFile, writeRecordsFile } from '../../electron/dns/records-file';
import { microsoftRecords } from '../dns/dns-fixtures';
import { makeTempDir } from '../support/temp-dir';

const WANTED = microsoftRecords('contoso.com');
const EXISTING: ExistingRecord[] = [
  { type: 'MX', name: 'contoso.com', ttl: 3600, preference: 10, exchange: 'mail.contoso.com' },
  { type: 'TXT', name: 'contoso.com', ttl: 3600, text: 'v=spf1 mx -all' },
];

let cleanup: (() => void) | undefined;
afterEach(() => { cleanup?.(); cleanup = undefined; });

describe('records file', () => {
  it('has a readable table with why, a zone-file fragment and a CSV of the same records', () => {
    const plan = planRecords('contoso.com', WANTED, EXISTING);
    const text = renderRecordsFile(plan, [{ label: 'contoso.com', service: 'Intune', description: 'Verify the domain first.' }], new Date('2026-12-01T10:00:00Z'));
    const [tablePart, rest] = text.split('; --- BIND zone-file fragment');
    expect(tablePart).toMatch(/^DNS records for contoso\.com — Microsoft 365\nWritten by OpenEssentials on 2026-12-01\./);
    expect(tablePart).toMatch(/Action +Type +Host +Value +Priority +TTL/);
    expect(tablePart).toMatch(/Add +MX +@ +contoso-com\.mail\.protection\.outlook\.com +20 +3600\n {4}Why: .*mail\.contoso\.com \(preference 10\) keeps receiving mail/);
    expect(tablePart).toMatch(/Replace +TXT +@ +v=spf1 mx include:spf\.protection\.outlook\.com -all +3600\n {4}Why: .*\(Remove: TXT v=spf1 mx -all\.\)/);
    expect(tablePart).toMatch(/Add +SRV +_sip\._tls +1 443 sipdir\.online\.lync\.com +100 +3600/);
    expect(tablePart).toMatch(/could not generate these records yet:\n {2}contoso\.com \(Intune\): Verify the domain first\./);
    const [zonePart, csvPart] = rest!.split('# --- CSV ---');
    expect(zonePart!.trim().split('\n').slice(1)).toEqual([
      '$ORIGIN contoso.com.',
      '@                        3600   IN TXT   "MS=ms12345678"',
      '@                        3600   IN MX    20 contoso-com.mail.protection.outlook.com.',
      '; remove: @                        3600   IN TXT   "v=spf1 mx -all"',
      '@                        3600   IN TXT   "v=spf1 mx include:spf.protection.outlook.com -all"',
      'autodiscover             3600   IN CNAME autodiscover.outlook.com.',
      '_sip._tls                3600   IN SRV   100 1 443 sipdir.online.lync.com.',
    ]);
    const csv = csvPart!.trim().split('\n');
    expect(csv[0]).toBe('action,type,name,host,value,priority,ttl');
    expect(csv).toContain('Add,SRV,_sip._tls.contoso.com,_sip._tls,1 443 sipdir.online.lync.com,100,3600');
    expect(csv).toHaveLength(1 + WANTED.length);
  });

  it('writes NewDNSRecords_<n>.txt with a random n into a folder it creates 0700, never over another file', () => {
    const tmp = makeTempDir('oe-records-');
    cleanup = tmp.cleanup;
    const folder = path.join(tmp.dir, 'Documents');
    const plan = planRecords('contoso.com', WANTED, []);
    const files = Array.from({ length: 5 }, () => writeRecordsFile(folder, plan));
    expect(fs.statSync(folder).mode & 0o777).toBe(0o700);
    for (const f of files) {
      expect(path.basename(f)).toMatch(/^NewDNSRecords_\d+\.txt$/);
      expect(fs.readFileSync(f, 'utf8')).toBe(renderRecordsFile(plan));
    }
    expect(new Set(files).size).toBe(5);
    expect(fs.readdirSync(folder).sort()).toEqual(files.map((f) => path.basename(f)).sort());
  });
});
