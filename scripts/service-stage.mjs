// The installed service's files: the headless bundle (+ the capture hook beside it), the built dashboard, the production
// packages the bundle imports (the lockfile's non-dev entries, copied from this checkout's node_modules: no download),
// the docs and this installer. Staged beside the target and swapped in with renames, so an upgrade never runs half-copied.
import fs from 'node:fs';
import path from 'node:path';

const BUNDLE = ['dist/electron/headless.mjs', 'dist/electron/headless.mjs.map', 'dist/electron/syncpasswords-hook.sh'];
const EXTRA = [
  ['package.json', 'package.json'],
  ['docs/linux-service.md', 'docs/linux-service.md'],
  ['scripts/service-install.mjs', 'service-install.mjs'],
  ['scripts/service-stage.mjs', 'service-stage.mjs'],
];

/** The lockfile's runtime packages that are installed here (optional platform builds for other systems are not). */
export function productionPackages(repo) {
  const lock = JSON.parse(fs.readFileSync(path.join(repo, 'package-lock.json'), 'utf8'));
  return Object.entries(lock.packages)
    .filter(([key, entry]) => key.startsWith('node_modules/') && !entry.dev && fs.existsSync(path.join(repo, key)))
    .map(([key]) => key);
}

function copy(from, to) {
  fs.mkdirSync(path.dirname(to), { recursive: true, mode: 0o755 });
  // nested node_modules are their own lock entries (and may be dev-only): copy each package without them
  fs.cpSync(from, to, { recursive: true, dereference: true, filter: (src) => src === from || path.basename(src) !== 'node_modules' });
}

/** The app is root's: readable (and where executable, runnable) by the service user, writable by root only. */
function readableByAll(dir) {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) readableByAll(p);
    else fs.chmodSync(p, fs.statSync(p).mode & 0o111 ? 0o755 : 0o644);
  }
}

/** Builds `<target>.new`, then swaps it for `<target>`; returns the installed version. */
export function stageApp(repo, target) {
  const missing = [...BUNDLE, 'dist/renderer/index.html'].filter((f) => !fs.existsSync(path.join(repo, f)));
  if (missing.length) throw new Error(`not built: ${missing.join(', ')} (npm run service:install builds first)`);
  const stage = `${target}.new`;
  const old = `${target}.old`;
  fs.rmSync(stage, { recursive: true, force: true });
  fs.rmSync(old, { recursive: true, force: true });
  for (const f of BUNDLE) copy(path.join(repo, f), path.join(stage, f));
  copy(path.join(repo, 'dist/renderer'), path.join(stage, 'dist/renderer'));
  fs.rmSync(path.join(stage, 'dist/renderer/.stamp'), { force: true });
  for (const [from, to] of EXTRA) copy(path.join(repo, from), path.join(stage, to));
  for (const pkg of productionPackages(repo)) copy(path.join(repo, pkg), path.join(stage, pkg));
  fs.chmodSync(path.join(stage, 'dist/electron/syncpasswords-hook.sh'), 0o755);
  readableByAll(stage);
  if (fs.existsSync(target)) fs.renameSync(target, old);
  fs.renameSync(stage, target);
  fs.rmSync(old, { recursive: true, force: true });
  return JSON.parse(fs.readFileSync(path.join(target, 'package.json'), 'utf8')).version;
}
