import { defaultDataDir } from '../stores/data-dir';
import { startHost } from './host';

/**
 * `npm run service`: the sync service with no window. `--web` also serves the dashboard on 127.0.0.1
 * (prints the one-time link). Stops cleanly on SIGTERM/SIGINT.
 */
export async function runService(argv: string[]): Promise<void> {
  const withWeb = argv.includes('--web');
  const host = await startHost({ dataDir: defaultDataDir(), mode: withWeb ? 'web' : 'headless', web: withWeb ? {} : false });
  process.stdout.write(`OpenEssentials service running (data: ${host.core.context.dataDir}).\n`);
  if (host.web) process.stdout.write(`Dashboard: ${host.web.url}\n`);
  // The service waits for work (integration, change notifications) even when nothing is scheduled yet.
  const keepAlive = setInterval(() => undefined, 60 * 60 * 1000);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    clearInterval(keepAlive);
    process.stdout.write(`Received ${signal}; stopping…\n`);
    host.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
