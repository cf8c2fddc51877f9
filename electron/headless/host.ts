import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore, type Core } from '../host/compose-core';
import type { CoreMode } from '../core/core-context';
import { createFileLogger, type Logger } from '../core/logger';
import { KeychainSecretStore, type SecretStore } from '../stores/secret-store';
import { openNodeSettings } from '../stores/settings-store';
import type { PortsFactory } from '../sync/sync-runtime';
import { startWebServer, type WebServer } from '../web/web-server';

/** Where the built renderer lives, relative to this repository. */
export const RENDERER_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/renderer');

/** Options for running the core outside Electron. */
export interface HostOptions {
  dataDir: string;
  mode: Exclude<CoreMode, 'electron'>;
  secrets?: SecretStore;
  log?: Logger;
  web?: { host?: string; port?: number; allowNonLoopback?: boolean; launchKey?: string } | false;
  extraExternalOrigins?: string[];
  /** The sync engine's directory and tenant (tests hand it fakes; the real clients otherwise). */
  syncPorts?: PortsFactory;
}

/** A core running under plain Node, optionally with the web dashboard in front of it. */
export interface Host {
  core: Core;
  web: WebServer | null;
  stop(): Promise<void>;
}

/**
 * Starts the core the way the headless service, the demo and the end-to-end tests all do: settings from
 * `<dataDir>/config.json` (the desktop app's file), secrets in the OS keychain, logs in `<dataDir>/logs`.
 */
export async function startHost(options: HostOptions): Promise<Host> {
  const log = options.log ?? createFileLogger(options.dataDir, options.mode === 'headless');
  const settings = openNodeSettings(options.dataDir, (p) => log.warn('The settings file has a damaged section; its defaults are used and the stored value is kept', { ...p }));
  const core = createCore({
    mode: options.mode,
    dataDir: options.dataDir,
    settings,
    secrets: options.secrets ?? new KeychainSecretStore(),
    log,
    extraExternalOrigins: options.extraExternalOrigins,
    ...(options.syncPorts ? { syncPorts: options.syncPorts } : {}),
  });
  let web: WebServer | null = null;
  if (options.web) {
    const configured = settings.get().web;
    web = await startWebServer({
      core,
      staticDir: RENDERER_DIST,
      host: options.web.host ?? configured.host,
      port: options.web.port ?? configured.port,
      allowNonLoopback: options.web.allowNonLoopback ?? configured.allowNonLoopback,
      launchKey: options.web.launchKey,
    });
  }
  await core.start();
  log.info('OpenEssentials core started', { mode: options.mode, web: web?.origin ?? null });
  return {
    core,
    web,
    async stop() {
      await web?.close();
      await core.dispose();
      log.info('OpenEssentials core stopped');
    },
  };
}
