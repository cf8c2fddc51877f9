// Bundles one benchmark (bench/<name>.ts) into dist/bench/<name>.mjs so it runs under plain node, as the service and
// the app do: under tsx a loader thread with its own V8 heap (≈ 45 MB) would be counted in the measured RSS.
// Each module keeps its own source location as `import.meta.url`: the test harnesses find their scripts next to them.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

const name = process.argv[2];
if (!name || !/^[a-z-]+$/.test(name)) throw new Error('usage: node scripts/build-bench.mjs <bench name>');

const sourceUrls = {
  name: 'source-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => ({
      contents: (await readFile(args.path, 'utf8')).replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
      loader: 'ts',
    }));
  },
};

await build({
  entryPoints: [`bench/${name}.ts`],
  outfile: `dist/bench/${name}.mjs`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
  plugins: [sourceUrls],
});
