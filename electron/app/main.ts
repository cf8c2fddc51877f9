import path from 'node:path';
import { app, BrowserWindow, ipcMain, session, shell } from 'electron';
import ElectronStore from 'electron-store';
import { createCore } from '../host/compose-core';
import { createFileLogger } from '../core/logger';
import { KeychainSecretStore } from '../stores/secret-store';
import { SettingsStore, type ConfLike } from '../stores/settings-store';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { createSenderCheck, forwardEvents, registerIpcHandlers } from './ipc-main';
import { APP_ORIGIN, applySecurityRules, hardenedWebPreferences } from './security';
import { createStatusTray } from './tray';

// Electron entry: a thin shell around the same core the headless service and web dashboard run.
registerAppScheme();
if (!app.requestSingleInstanceLock()) app.quit();

const appRoot = app.getAppPath();
let mainWindow: BrowserWindow | null = null;

function showWindow(): void {
  if (!mainWindow || mainWindow.isDestroyed()) {
    mainWindow = new BrowserWindow({
      width: 1200,
      height: 800,
      minWidth: 800,
      minHeight: 560,
      title: 'OpenEssentials Dashboard',
      show: false,
      webPreferences: hardenedWebPreferences(path.join(appRoot, 'dist/electron/preload.cjs')),
    });
    mainWindow.once('ready-to-show', () => mainWindow?.show());
    void mainWindow.loadURL(`${APP_ORIGIN}/index.html`);
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
}

app.on('second-instance', showWindow);

void app.whenReady().then(() => {
  const dataDir = app.getPath('userData');
  // electron-store on the same config.json conf uses under plain Node.
  const log = createFileLogger(dataDir);
  const settings = new SettingsStore(new ElectronStore({ name: 'config', configFileMode: 0o600 }) as unknown as ConfLike, (p) =>
    log.warn('The settings file has a damaged section; its defaults are used and the stored value is kept', { ...p }));
  const core = createCore({
    mode: 'electron',
    dataDir,
    settings,
    secrets: new KeychainSecretStore(),
    log,
    openExternal: (url) => shell.openExternal(url),
  });
  applySecurityRules(app, session.defaultSession, () => core.context.extraExternalOrigins);
  serveRenderer(path.join(appRoot, 'dist/renderer'));
  const windows = () => BrowserWindow.getAllWindows().map((w) => w.webContents);
  registerIpcHandlers(ipcMain, core.handlers, createSenderCheck(APP_ORIGIN, windows));
  forwardEvents(core.events, windows);
  const renderTray = createStatusTray(path.join(appRoot, 'build/icons/tray.png'), { show: showWindow, quit: () => app.quit() });
  core.events.subscribe((channel, payload) => {
    if (channel === 'sync:status-changed') renderTray(payload as Parameters<typeof renderTray>[0]);
  });
  void core.handlers['sync:get-status']().then(renderTray);
  void core.start();
  showWindow();
  app.on('before-quit', () => void core.dispose());
});

// Stays in the tray when the window closes: the sync keeps running.
app.on('window-all-closed', () => undefined);
