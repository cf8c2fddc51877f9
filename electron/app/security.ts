import { shell, type App, type Session } from 'electron';
import { isAllowedExternalUrl } from '../core/external-links';
import { originOf } from './ipc-main';

/** The renderer's origin inside Electron: served by our own privileged `app://` protocol. */
export const APP_ORIGIN = 'app://dashboard';

/** webPreferences every window gets: isolated, sandboxed, no Node, no <webview>. */
export function hardenedWebPreferences(preload: string): Electron.WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    spellcheck: false,
  };
}

/**
 * App-wide rules (vite-electron-builder's security modules): no navigation away from the app, no new
 * windows (allowlisted https links go to the system browser), no <webview>, no permission prompts.
 */
export function applySecurityRules(app: App, session: Session, extraOrigins: () => readonly string[]): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (originOf(url) !== APP_ORIGIN) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (originOf(url) !== APP_ORIGIN) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isAllowedExternalUrl(url, extraOrigins())) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}
