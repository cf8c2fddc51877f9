import { defaultDataDir } from '../stores/data-dir';
import { openServiceSecretStore } from '../stores/sealed-file-secret-store';
import { startHost } from './host';

/**
 * `npm run service`: the sync service with no window. `--web` also serves the dashboard on 127.0.0.1
 * (prints the one-time link). Stops cleanly on SIGTERM/SIGINT. Installed as a systemd unit, its secrets are sealed
 * under the key systemd hands it (no keychain, no D-Bus); otherwise they go to the OS keychain.
 */
export async function runService(argv: string[]): Promise<void> {
  const withWeb = argv.includes('--web');
  const dataDir = defaultDataDir();
  const sealed = openServiceSecretStore(dataDir);
  const host = await startHost({ dataDir, mode: withWeb ? 'web' : 'headless', web: withWeb ? {} : false, secrets: sealed ?? undefined });
  process.stdout.write(`OpenEssentials service running (data: ${dataDir}; secrets: ${sealed ? 'sealed under the systemd credential' : 'OS keychain'}).\n`);
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
