// The Electron shell's security rules with fakes of Electron's own objects (the binary can't run here): hardened
// webPreferences, no navigation away from the app, no new windows (allowlisted links go to the system browser), no
// <webview>, no permission prompts, and the app:// protocol serving only the built renderer under the CSP.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeTempDir } from '../support/temp-dir';

const openExternal = vi.fn(async () => undefined);
const handlers = new Map<string, (request: Request) => Promise<Response>>();
const privileged: unknown[] = [];
vi.mock('electron', () => ({
  shell: { openExternal },
  protocol: {
    registerSchemesAsPrivileged: (schemes: unknown[]) => void privileged.push(...schemes),
    handle: (scheme: string, handler: (request: Request) => Promise<Response>) => void handlers.set(scheme, handler),
  },
}));

type Security = typeof import('../../electron/app/security');
type AppProtocol = typeof import('../../electron/app/app-protocol');
let security: Security;
let appProtocol: AppProtocol;

/** A webContents: the events the rules listen to, and the window-open handler they install. */
class FakeContents extends EventEmitter {
  openHandler: ((d: { url: string }) => { action: string }) | undefined;
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }): void {
    this.openHandler = h;
  }
  /** Emits like Electron: returns whether a listener called preventDefault(). */
  attempt(event: string, url?: string): boolean {
    let prevented = false;
    this.emit(event, { preventDefault: () => { prevented = true; } }, url);
    return prevented;
  }
}

function appAndSession() {
  const app = new EventEmitter();
  const session = {
    request: undefined as undefined | ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void),
    check: undefined as undefined | (() => boolean),
    setPermissionRequestHandler(h: (wc: unknown, permission: string, cb: (ok: boolean) => void) => void) { this.request = h; },
    setPermissionCheckHandler(h: () => boolean) { this.check = h; },
  };
  return { app, session };
}

beforeAll(async () => {
  security = await import('../../electron/app/security');
  appProtocol = await import('../../electron/app/app-protocol');
});

describe('Electron window and session rules', () => {
  it('every window is isolated, sandboxed, without Node and without <webview>', () => {
    expect(security.hardenedWebPreferences('/p/preload.cjs')).toEqual({
      preload: '/p/preload.cjs', contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false, webviewTag: false, webSecurity: true, allowRunningInsecureContent: false, spellcheck: false,
    });
  });

  it('refuses every permission request and check', () => {
    const { app, session } = appAndSession();
    security.applySecurityRules(app as never, session as never, () => []);
    const answers: boolean[] = [];
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read']) session.request!({}, p, (ok) => answers.push(ok));
    expect(answers).toEqual([false, false, false, false]);
    expect(session.check!()).toBe(false);
  });

  it('keeps every page on app://dashboard and opens only allowlisted https links outside', () => {
    const { app, session } = appAndSession();
    security.applySecurityRules(app as never, session as never, () => ['https://127.0.0.1:9443']);
    const contents = new FakeContents();
    app.emit('web-contents-created', {}, contents);
    expect(contents.attempt('will-navigate', 'https://evil.example/phish')).toBe(true);
    expect(contents.attempt('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.attempt('will-navigate', 'app://dashboard/index.html#/users')).toBe(false);
    expect(contents.attempt('will-redirect', 'https://evil.example/')).toBe(true);
    expect(contents.attempt('will-redirect', 'app://dashboard/index.html')).toBe(false);
    expect(contents.attempt('will-attach-webview')).toBe(true);

    openExternal.mockClear();
    expect(contents.openHandler!({ url: 'https://admin.microsoft.com/#/users' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'https://127.0.0.1:9443/authorize' })).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls.map((c) => (c as unknown[])[0])).toEqual(['https://admin.microsoft.com/#/users', 'https://127.0.0.1:9443/authorize']);
    openExternal.mockClear();
    for (const url of ['https://evil.example/', 'http://admin.microsoft.com/', 'https://user:pw@admin.microsoft.com/', 'javascript:alert(1)', 'file:///etc/passwd']) {
      expect(contents.openHandler!({ url })).toEqual({ action: 'deny' });
    }
    expect(openExternal).not.toHaveBeenCalled();
  });
});

describe('the app:// protocol', () => {
  const tmp = makeTempDir('oe-app-protocol-');
  afterAll(() => tmp.cleanup());

  it('is registered as a standard, secure scheme before the app is ready', () => {
    appProtocol.registerAppScheme();
    expect(privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });

  it('serves only files of the built renderer, with the CSP and security headers', async () => {
    fs.writeFileSync(path.join(tmp.dir, 'index.html'), '<!doctype html><title>OE</title>');
    fs.mkdirSync(path.join(tmp.dir, 'assets'));
    fs.writeFileSync(path.join(tmp.dir, 'assets', 'main.js'), 'console.log(1)');
    fs.writeFileSync(path.join(path.dirname(tmp.dir), 'oe-secret.txt'), 'secret');
    appProtocol.serveRenderer(tmp.dir);
    const handle = handlers.get('app')!;
    const page = await handle(new Request('app://dashboard/index.html'));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>OE</title>');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain("'unsafe-eval'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const js = await handle(new Request('app://dashboard/assets/main.js'));
    expect(js.headers.get('content-type')).toContain('text/javascript');
    expect((await handle(new Request('app://evil/index.html'))).status).toBe(404);
    expect((await handle(new Request('app://dashboard/..%2f..%2foe-secret.txt'))).status).toBe(404);
    expect((await handle(new Request('app://dashboard/assets/missing.js'))).status).toBe(404);
    fs.rmSync(path.join(path.dirname(tmp.dir), 'oe-secret.txt'));
  });
});
