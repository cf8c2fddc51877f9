// Password capture on a real Samba DC: committed passwords arrive in cleartext, rejected ones never, and the
// cleartext shows up in no log file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Attribute, Change } from 'ldapts';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { startTestDc, descendantPids, type TestDc } from '../samba/dc-harness';
import { DirectoryClient, encodeUnicodePwd, type DirectoryConfig } from '../../electron/directory/directory-client';
import type { CapturedPassword } from '../../electron/directory/password-capture';
import { SambaPasswordCapture } from '../../electron/directory/samba-password-capture';

let dc: TestDc;
let admin: DirectoryClient;
let capture: SambaPasswordCapture;
let ou: string;
const got: CapturedPassword[] = [];
const cfg = (over: Partial<DirectoryConfig> = {}): DirectoryConfig => ({ url: dc.url, bindUpn: dc.adminUpn, password: dc.adminPassword, tls: { caPem: dc.caPem, serverName: dc.dnsHostName }, ...over });

async function waitForPassword(guid: string, password: string, timeoutMs = 5_000): Promise<CapturedPassword> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const hit = got.find((e) => e.objectGuid === guid && e.password === password);
    if (hit) return hit;
    if (Date.now() > end) throw new Error('password not captured in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  dc = await startTestDc({ passwordCapture: true });
  admin = new DirectoryClient(cfg());
  ou = await admin.ensureOu(dc.domainDn, 'Capture');
  capture = new SambaPasswordCapture({ smbConf: dc.smbConf, gnupgHome: dc.gnupgHome!, stateDir: path.join(dc.dir, 'pwcapture') });
  await capture.start((e) => { got.push(e); });
});
afterAll(async () => {
  await capture?.stop();
  await admin?.close();
  await dc?.stop();
});

describe('Samba password capture', () => {
  const secrets: string[] = [];

  it('captures the password of a new user, an admin reset and the user\'s own change, after commit', async () => {
    const first = 'Cäpture-First-1!';
    secrets.push(first);
    const t0 = Date.now();
    const u = await admin.createUser({ parentDn: ou, sAMAccountName: 'cap.user', userPrincipalName: `cap.user@${dc.realm.toLowerCase()}`, password: first });
    const e1 = await waitForPassword(u.objectGuid, first);
    expect(e1.at.getTime()).toBeGreaterThanOrEqual(t0);

    const reset = 'Reset-Second-2!';
    secrets.push(reset);
    const t1 = Date.now();
    await admin.resetPassword(u.objectGuid, reset);
    await waitForPassword(u.objectGuid, reset);
    expect(Date.now() - t1).toBeLessThan(2_000);

    const own = 'Own-Chänge-3!';
    secrets.push(own);
    const asUser = await new DirectoryClient(cfg({ bindUpn: u.userPrincipalName!, password: reset })).openConnection();
    await asUser.modify(u.dn, [
      new Change({ operation: 'delete', modification: new Attribute({ type: 'unicodePwd', values: [encodeUnicodePwd(reset)] }) }),
      new Change({ operation: 'add', modification: new Attribute({ type: 'unicodePwd', values: [encodeUnicodePwd(own)] }) }),
    ]);
    await asUser.unbind();
    await waitForPassword(u.objectGuid, own);
  });

  it('does not deliver a rejected password, nor re-deliver on a non-password change', async () => {
    const u = (await admin.findUserBySam('cap.user'))!;
    const before = got.length;
    await expect(admin.resetPassword(u.objectGuid, 'weak')).rejects.toMatchObject({ code: 'weak-password' });
    await admin.setEnabled(u.objectGuid, false);
    await admin.updateUser(u.objectGuid, { title: 'No password here' });
    // a later real change proves the pipeline was alive during the quiet period
    const marker = 'Marker-Passw0rd-4!';
    secrets.push(marker);
    await admin.resetPassword(u.objectGuid, marker);
    await waitForPassword(u.objectGuid, marker);
    expect(got.slice(before).map((e) => e.password)).toEqual([marker]);
  });

  it('does not leave its samba-tool loop running when the process is killed with SIGKILL', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'password-capture-child.ts'), dc.smbConf, dc.gnupgHome!, path.join(dc.dir, 'pwcapture-killed')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    const end = Date.now() + 30_000;
    while (!/pid (\d+)/.test(out) && child.exitCode === null && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    const loop = Number(/pid (\d+)/.exec(out)?.[1]);
    expect(descendantPids(child.pid!)).toContain(loop);
    child.kill('SIGKILL');
    const gone = Date.now() + 3_000;
    while (fs.existsSync(`/proc/${loop}`) && Date.now() < gone) await new Promise((r) => setTimeout(r, 50));
    const alive = fs.existsSync(`/proc/${loop}`);
    if (alive) process.kill(loop, 'SIGKILL'); // don't leave it behind for the next tests
    expect(alive).toBe(false); // an orphan would keep syncing with nobody to stop it
  });

  it('keeps cleartext out of every log file and stops its samba-tool child', async () => {
    const logs: string[] = [];
    const walk = (d: string): void => {
      for (const f of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, f.name);
        if (f.isDirectory()) walk(p);
        else if (/\.log$|stdout$/.test(f.name)) logs.push(p);
      }
    };
    walk(dc.dir);
    expect(logs.some((p) => p.endsWith('syncpasswords.log'))).toBe(true);
    for (const p of logs) {
      const text = fs.readFileSync(p);
      for (const s of secrets) {
        expect(text.includes(s), `${s.length}-char secret found in ${path.basename(p)}`).toBe(false);
        expect(text.includes(Buffer.from(s).toString('base64')), `base64 secret in ${path.basename(p)}`).toBe(false);
      }
    }
    const pid = capture.pid!;
    expect(descendantPids(process.pid)).toContain(pid);
    await capture.stop();
    expect(descendantPids(process.pid)).not.toContain(pid);
    expect(fs.existsSync(path.join(dc.dir, 'pwcapture', 'capture.fifo'))).toBe(false);
  });
});
