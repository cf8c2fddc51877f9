// One way for tests to build what the core hands its features: settings on a real file, in-memory secrets, a memory
// logger, the event bus and the signals. Tests that need a whole core use `createCore` with these options.
import type { CoreContext } from '../../electron/core/core-context';
import { EventBus } from '../../electron/core/event-bus';
import { createMemoryLogger } from '../../electron/core/logger';
import { Signals, type CoreSignals } from '../../electron/core/signals';
import { MemorySecretStore } from '../../electron/stores/secret-store';
import { openNodeSettings } from '../../electron/stores/settings-store';

/** A CoreContext on `dataDir`, with its memory logger and secrets exposed for assertions. */
export function testContext(dataDir: string, opts: { secrets?: MemorySecretStore; serverName?: string } = {}): CoreContext & { log: ReturnType<typeof createMemoryLogger>; secrets: MemorySecretStore } {
  const log = createMemoryLogger();
  const secrets = opts.secrets ?? new MemorySecretStore();
  return {
    mode: 'headless', dataDir, settings: openNodeSettings(dataDir, (p) => log.warn('settings problem', { ...p })), secrets, events: new EventBus(), log,
    serverName: opts.serverName ?? 'DC1', signals: new Signals<CoreSignals>(), extraExternalOrigins: [],
  };
}
