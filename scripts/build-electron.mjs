// Bundles the Electron main process and the headless service (ESM, dependencies external) and the sandboxed preload
// (CJS, fully bundled: a sandboxed preload can only require 'electron'). samba-tool's password hook is a shell script
// the bundles find next to themselves. Every output is written to a temporary name and renamed into place, so a test
// or an install reading dist/electron while another test rebuilds it never sees a half-written file.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const replace = (file, write) => {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  write(tmp);
  renameSync(tmp, file);
};
const emit = async (options) => {
  const { outputFiles } = await build({ ...options, write: false });
  for (const out of outputFiles) replace(out.path, (tmp) => writeFileSync(tmp, out.contents));
};

const main = { bundle: true, platform: 'node', format: 'esm', packages: 'external', sourcemap: true };
await emit({ ...main, entryPoints: ['electron/app/main.ts'], outfile: 'dist/electron/main.mjs', target: 'node22' });
await emit({ ...main, entryPoints: ['electron/headless/main.ts'], outfile: 'dist/electron/headless.mjs', target: 'node20' });
replace('dist/electron/syncpasswords-hook.sh', (tmp) => copyFileSync('electron/directory/syncpasswords-hook.sh', tmp));
await emit({
  entryPoints: ['electron/app/preload.ts'],
  outfile: 'dist/electron/preload.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  external: ['electron'],
  minify: true,
  sourcemap: true,
});
console.log('built dist/electron/main.mjs, headless.mjs and preload.cjs');
