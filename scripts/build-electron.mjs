// Bundles the Electron main process (ESM, dependencies external) and the sandboxed preload (CJS, fully
// bundled: a sandboxed preload can only require 'electron').
import { build } from 'esbuild';

await build({
  entryPoints: ['electron/app/main.ts'],
  outfile: 'dist/electron/main.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  sourcemap: true,
});
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
console.log('built dist/electron/main.mjs and dist/electron/preload.cjs');
