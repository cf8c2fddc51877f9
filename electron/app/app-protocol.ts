import fs from 'node:fs/promises';
import { protocol } from 'electron';
import { resolveStatic } from '../web/static-files';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '../web/web-security';

/** Must run before `app.ready`: makes `app://` a standard, secure origin so the CSP 'self' means it. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves the built renderer on `app://dashboard/` with the same strict CSP as the web dashboard. */
export function serveRenderer(rendererDir: string): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    const file = url.host === 'dashboard' ? resolveStatic(rendererDir, url.pathname) : null;
    if (!file) return new Response('Not found', { status: 404 });
    return new Response(await fs.readFile(file.file), {
      headers: { ...SECURITY_HEADERS, 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'Content-Type': file.type },
    });
  });
}
