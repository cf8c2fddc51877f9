import { runService } from './service';

// Entry point of `npm run service` (tsx electron/headless/main.ts [--web]).
void runService(process.argv.slice(2));
