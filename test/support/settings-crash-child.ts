// Child process for settings-crash.test.ts: makes the settings writes a day of wizards makes, and SIGKILLs itself at
// its n-th file-system write (open/write/fsync/rename/close of any file), so the parent can restart on whatever the
// disk holds at that instant.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const [dataDir, killAtArg] = process.argv.slice(2) as [string, string];
const killAt = Number(killAtArg);
let ops = 0;
const tick = (): void => {
  ops += 1;
  if (ops === killAt) process.kill(process.pid, 'SIGKILL');
};
type AnyFn = (...args: unknown[]) => unknown;
const patched = fs as unknown as Record<string, AnyFn>;
for (const name of ['openSync', 'writeSync', 'writeFileSync', 'fsyncSync', 'fdatasyncSync', 'renameSync', 'closeSync', 'copyFileSync', 'unlinkSync', 'truncateSync', 'ftruncateSync']) {
  const original = patched[name]!;
  patched[name] = (...args: unknown[]) => {
    tick();
    const out = original.apply(fs, args);
    tick(); // between this step and the next one
    return out;
  };
}
syncBuiltinESMExports();
// Imported after patching: conf's atomic writer keeps references to fs functions taken at import time.
const { openNodeSettings } = await import('../../electron/stores/settings-store');

const settings = openNodeSettings(dataDir);
// Change the administrator account, then a sync setting, then both again: every write a running dashboard makes.
for (let round = 0; round < 2; round++) {
  settings.update((s) => (s.tenant ? { ...s, tenant: { ...s.tenant, adminUpn: `admin${round}@contoso.onmicrosoft.com` } } : s));
  settings.update((s) => ({ ...s, sync: { ...s.sync, deleteThreshold: 20 + round } }));
}
process.stdout.write(`done ${ops}\n`);
