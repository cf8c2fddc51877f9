// The syncpasswords hook carries a cleartext password: it may only ever write into the capture FIFO.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/temp-dir';

const HOOK = path.resolve('electron/directory/syncpasswords-hook.sh');
const LDIF = 'dn: CN=x\nvirtualClearTextUTF8: Hook-Secret-1!\n';
const cleanups: Array<() => void> = [];
afterEach(() => { for (const c of cleanups.splice(0)) c(); });

describe('syncpasswords hook', () => {
  it('refuses, and writes nothing, when the FIFO is gone (a redirect would have created a regular file)', () => {
    const t = makeTempDir('oe-hook-');
    cleanups.push(t.cleanup);
    const fifo = path.join(t.dir, 'capture.fifo');
    const r = spawnSync('bash', [HOOK], { input: LDIF, env: { ...process.env, OE_CAPTURE_FIFO: fifo }, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('ERROR: capture pipe unavailable');
    expect(fs.existsSync(fifo)).toBe(false);
  });

  it('fails at once when nobody reads the FIFO, instead of hanging with the password in its stdin', () => {
    const t = makeTempDir('oe-hook-');
    cleanups.push(t.cleanup);
    const fifo = path.join(t.dir, 'capture.fifo');
    execFileSync('mkfifo', ['-m', '600', fifo]);
    const r = spawnSync('bash', [HOOK], { input: LDIF, env: { ...process.env, OE_CAPTURE_FIFO: fifo }, encoding: 'utf8', timeout: 5_000 });
    expect(r.signal).toBeNull(); // a blocking open would still be waiting when the timeout kills it
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('ERROR: capture pipe unavailable');
    expect(r.stdout).not.toContain('DONE-EXIT');
  });

  it('forwards the LDIF as one base64 line into the FIFO and answers DONE-EXIT', () => {
    const t = makeTempDir('oe-hook-');
    cleanups.push(t.cleanup);
    const fifo = path.join(t.dir, 'capture.fifo');
    execFileSync('mkfifo', ['-m', '600', fifo]);
    const fd = fs.openSync(fifo, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
    cleanups.push(() => fs.closeSync(fd));
    const r = spawnSync('bash', [HOOK], { input: LDIF, env: { ...process.env, OE_CAPTURE_FIFO: fifo }, encoding: 'utf8' });
    expect(r.stdout).toContain('DONE-EXIT');
    const buf = Buffer.alloc(4096);
    const n = fs.readSync(fd, buf, 0, buf.length, null);
    expect(Buffer.from(buf.subarray(0, n).toString().trim(), 'base64').toString()).toBe(LDIF);
  });
});
