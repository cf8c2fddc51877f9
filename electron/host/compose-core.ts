import os from 'node:os';
import type { Handlers } from '../../shared/contract';
import type { CoreContext, CoreMode } from '../core/core-context';
import { EventBus } from '../core/event-bus';
import type { Logger } from '../core/logger';
import { Signals, type CoreSignals } from '../core/signals';
import type { SecretStore } from '../stores/secret-store';
import type { SettingsStore } from '../stores/settings-store';
import { createSyncFeature } from '../sync/sync-feature';
import type { PortsFactory } from '../sync/sync-runtime';
import { createTenantFeature } from '../tenant/tenant-feature';
import { createWizardFeature } from '../wizards/wizard-feature';
import { announceIntegrationChanges, createAppFeature } from './app-feature';

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
  /** Where the sync engine's directory and tenant come from: the real clients unless a test hands it fakes. */
  syncPorts?: PortsFactory;
}

/** The running core: the contract's handlers, its event bus, and a clean shutdown. */
export interface Core {
  readonly context: CoreContext;
  readonly handlers: Handlers;
  readonly events: EventBus;
  /** Starts the features' background work (sync engine, wizards resuming). */
  start(): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * The composition root every host shares: builds the context, wires every feature's handlers behind the contract
 * (the `Handlers` type makes a missing channel a compile error) and turns the one "integration changed" signal into
 * the one `app:info-changed` event.
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
    signals: new Signals<CoreSignals>(),
    extraExternalOrigins: options.extraExternalOrigins ?? [],
  };
  const app = createAppFeature(context);
  const sync = createSyncFeature(context, options.syncPorts ? { ports: options.syncPorts } : {});
  const tenant = createTenantFeature(context, { syncHealth: () => sync.status() });
  const wizard = createWizardFeature(context);
  const features = [app, tenant, wizard, sync] as const;
  announceIntegrationChanges(context);

  const handlers: Handlers = { ...app.handlers, ...tenant.handlers, ...wizard.handlers, ...sync.handlers };
  return {
    context,
    handlers,
    events,
    async start() {
      for (const f of features) await f.start?.();
    },
    async dispose() {
      for (const f of [...features].reverse()) await f.dispose?.();
      context.signals.clear();
    },
  };
}
