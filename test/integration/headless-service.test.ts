import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../support/temp-dir';

const root = path.resolve(import.meta.dirname, '../..');

describe('headless service (npm run service)', () => {
  it('runs from its bundle with no window, serves nothing unless asked, and stops cleanly on SIGTERM', async () => {
    // The service runs the way `npm run service` runs it: the esbuild bundle under plain node, the capture hook beside it.
    execFileSync(process.execPath, ['scripts/build-electron.mjs'], { cwd: root });
    expect(fs.statSync(path.join(root, 'dist/electron/syncpasswords-hook.sh')).mode & 0o111).not.toBe(0);
    const tmp = makeTempDir();
    try {
      const child = spawn(process.execPath, ['dist/electron/headless.mjs'], {
        cwd: root,
        env: { ...process.env, OE_DATA_DIR: tmp.dir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (c) => (out += c));
      child.stderr.on('data', (c) => (out += c));
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`service did not start: ${out}`)), 15_000);
        child.stdout.on('data', () => {
          if (out.includes('service running')) {
            clearTimeout(t);
            resolve();
          }
        });
      });
      expect(out).not.toContain('Dashboard:');
      child.kill('SIGTERM');
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(0);
      const log = fs.readFileSync(path.join(tmp.dir, 'logs/openessentials.log'), 'utf8');
      expect(log).toContain('OpenEssentials core stopped');
    } finally {
      tmp.cleanup();
    }
  });
});
