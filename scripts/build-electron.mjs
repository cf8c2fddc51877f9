// Bundles the Electron main process and the headless service (ESM, dependencies external) and the sandboxed preload
// (CJS, fully bundled: a sandboxed preload can only require 'electron'). samba-tool's password hook is a shell script
// the bundles find next to themselves.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';

const main = { bundle: true, platform: 'node', format: 'esm', packages: 'external', sourcemap: true };
await build({ ...main, entryPoints: ['electron/app/main.ts'], outfile: 'dist/electron/main.mjs', target: 'node22' });
await build({ ...main, entryPoints: ['electron/headless/main.ts'], outfile: 'dist/electron/headless.mjs', target: 'node20' });
mkdirSync('dist/electron', { recursive: true });
copyFileSync('electron/directory/syncpasswords-hook.sh', 'dist/electron/syncpasswords-hook.sh');
await build({
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
