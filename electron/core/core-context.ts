import type { SecretStore } from '../stores/secret-store';
import type { SettingsStore } from '../stores/settings-store';
import type { EventBus } from './event-bus';
import type { Logger } from './logger';
import type { CoreSignals, Signals } from './signals';

/** How the core is being hosted; shown in About and used to pick how links open. */
export type CoreMode = 'electron' | 'web' | 'headless';

/**
 * What every domain module (directory, tenant, wizards, sync) receives: the stores, the event bus and
 * the host's capabilities. Built once by the composition root (`electron/host/compose-core.ts`); no module reaches for globals.
 */
export interface CoreContext {
  readonly mode: CoreMode;
  readonly dataDir: string;
  readonly settings: SettingsStore;
  readonly secrets: SecretStore;
  readonly events: EventBus;
  readonly log: Logger;
  readonly serverName: string;
  /** Present in Electron (shell.openExternal); absent in the web dashboard, whose UI opens links itself. */
  readonly openExternal?: (url: string) => Promise<void>;
  /** In-process signals between features. */
  readonly signals: Signals<CoreSignals>;
  /** Extra https origins that may be opened (the sandbox tenant in the demo). */
  readonly extraExternalOrigins: readonly string[];
}
