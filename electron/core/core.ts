import { EventEmitter } from 'node:events';
import os from 'node:os';
import type { Handlers, SyncHealth } from '../../shared/contract';
import type { SecretStore } from '../stores/secret-store';
import type { SettingsStore } from '../stores/settings-store';
import { createAppHandlers, initialHealth } from './app-handlers';
import type { CoreContext, CoreMode } from './core-context';
import { EventBus } from './event-bus';
import type { Logger } from './logger';
import { createDirectoryFeature } from '../directory/directory-feature';
import { createSyncFeature } from '../sync/sync-feature';
import { createTenantFeature } from '../tenant/tenant-feature';
import { createWizardFeature } from '../wizards/wizard-feature';

/** What a host (Electron shell, web dashboard, headless service, tests) hands the core. */
export interface CoreOptions {
  mode: CoreMode;
  dataDir: string;
  settings: SettingsStore;
  secrets: SecretStore;
  log: Logger;
  serverName?: string;
  openExternal?: (url: string) => Promise<void>;
  extraExternalOrigins?: readonly string[];
}

/** The running core: the contract's handlers, its event bus, and a clean shutdown. */
export interface Core {
  readonly context: CoreContext;
  readonly handlers: Handlers;
  readonly events: EventBus;
  setHealth(health: SyncHealth): void;
  /** Starts the features' background work (sync engine, wizards resuming). */
  start(): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * Builds the core every host shares: one set of handlers behind the contract, whatever the transport.
 * Domain modules contribute their handlers here; the `Handlers` type makes a missing channel a compile error.
 */
export function createCore(options: CoreOptions): Core {
  const events = new EventBus();
  const context: CoreContext = {
    mode: options.mode,
    dataDir: options.dataDir,
    settings: options.settings,
    secrets: options.secrets,
    events,
    log: options.log,
    serverName: options.serverName ?? os.hostname(),
    openExternal: options.openExternal,
    signals: new EventEmitter(),
    extraExternalOrigins: options.extraExternalOrigins ?? [],
  };
  let health = initialHealth(context);
  context.signals.on('healthChanged', (next: SyncHealth) => {
    health = next;
    events.emit('app:health-changed', next);
  });
  const features = [createDirectoryFeature(context), createTenantFeature(context), createWizardFeature(context), createSyncFeature(context)] as const;
  const [directory, tenant, wizard, sync] = features;

  const handlers: Handlers = {
    ...createAppHandlers(context, () => health),
    ...directory.handlers,
    ...tenant.handlers,
    ...wizard.handlers,
    ...sync.handlers,
  };

  return {
    context,
    handlers,
    events,
    setHealth(next) {
      context.signals.emit('healthChanged', next);
    },
    async start() {
      for (const f of features) await f.start?.();
    },
    async dispose() {
      for (const f of [...features].reverse()) await f.dispose?.();
      context.signals.removeAllListeners();
    },
  };
}
