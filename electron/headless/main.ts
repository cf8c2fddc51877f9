import { runService } from './service';

// Entry point of `npm run service` (bundled by scripts/build-electron.mjs to dist/electron/headless.mjs) [--web].
void runService(process.argv.slice(2));
