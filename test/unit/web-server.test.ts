import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/host/compose-core';
import { createMemoryLogger } from '../../electron/core/logger';
import { MemorySecretStore } from '../../electron/stores/secret-store';
import { openNodeSettings } from '../../electron/stores/settings-store';
import { startWebServer, type WebServer } from '../../electron/web/web-server';
import { request } from '../support/http-request';
import { makeTempDir } from '../support/temp-dir';

describe('web dashboard server', () => {
  const tmp = makeTempDir();
  let core: Core;
  let server: WebServer;
  let cookie = '';

  beforeAll(async () => {
    const staticDir = path.join(tmp.dir, 'www');
    fs.mkdirSync(staticDir);
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
    fs.writeFileSync(path.join(tmp.dir, 'secret.txt'), 'outside the root');
    core = createCore({ mode: 'web', dataDir: tmp.dir, settings: openNodeSettings(tmp.dir), secrets: new MemorySecretStore(), log: createMemoryLogger(), serverName: 'DC1' });
    server = await startWebServer({ core, staticDir, port: 0 });
    const login = await request(server.url);
    cookie = String(login.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
  });
  afterAll(async () => {
    await server.close();
    tmp.cleanup();
  });

  const invoke = (channel: string, args: unknown[], headers: Record<string, string> = {}) =>
    request(`${server.origin}/api/invoke/${channel}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: cookie, Origin: server.origin, ...headers },
      body: JSON.stringify({ args }),
    });

  it('exchanges the launch key for an HttpOnly SameSite=Strict session cookie', async () => {
    const login = await request(server.url);
    expect(login.status).toBe(303);
    expect(login.headers['set-cookie']?.[0]).toMatch(/^oe_session=[\w-]+; HttpOnly; SameSite=Strict; Path=\/$/);
    expect(login.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('refuses a wrong key and requests without a session', async () => {
    expect((await request(`${server.origin}/?key=wrong`)).status).toBe(403);
    expect((await request(`${server.origin}/`)).status).toBe(401);
    expect((await invoke('app:get-info', [], { Cookie: 'oe_session=forged' })).status).toBe(401);
  });

  it('serves the renderer to an authenticated session, never files outside its root', async () => {
    expect((await request(`${server.origin}/`, { headers: { Cookie: cookie } })).body).toContain('<title>t</title>');
    expect((await request(`${server.origin}/..%2fsecret.txt`, { headers: { Cookie: cookie } })).status).toBe(404);
    expect((await request(`${server.origin}/%2e%2e/secret.txt`, { headers: { Cookie: cookie } })).body).not.toContain('outside');
  });

  it('answers contract calls and validates their arguments', async () => {
    const ok = JSON.parse((await invoke('app:get-info', [])).body);
    expect(ok).toMatchObject({ ok: true, result: { serverName: 'DC1', mode: 'web', integrated: false } });
    const bad = JSON.parse((await invoke('app:open-external', ['javascript:alert(1)'])).body);
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    const refused = JSON.parse((await invoke('app:open-external', ['https://evil.example.com/'])).body);
    expect(refused).toMatchObject({ ok: true, result: { allowed: false, opened: false } });
    const unknown = await invoke('shell:run-command', []);
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });

  it('refuses cross-origin calls, foreign Host headers and non-JSON bodies', async () => {
    expect((await invoke('app:get-info', [], { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await invoke('app:get-info', [], { Host: 'evil.example' })).status).toBe(403);
    expect((await invoke('app:get-info', [], { 'Content-Type': 'text/plain' })).status).toBe(415);
  });

  it('streams events, starting with the latest state', async () => {
    core.events.emit('sync:status-changed', { state: 'running', lastRunAt: null, lastError: null, pending: 2, message: 'Syncing 2 accounts', firstRunDone: true, pendingDeletes: [], lastRunId: null });
    const received = await new Promise<string>((resolve, reject) => {
      const req = http.get(`${server.origin}/api/events`, { headers: { Cookie: cookie } }, (res) => {
        let text = '';
        res.on('data', (c) => {
          text += c;
          if (text.includes('Syncing 2 accounts')) {
            req.destroy();
            resolve(text);
          }
        });
      });
      req.on('error', reject);
    });
    expect(received).toContain('"channel":"sync:status-changed"');
  });

  it('refuses to bind a non-loopback address unless allowed', async () => {
    await expect(startWebServer({ core, staticDir: tmp.dir, host: '0.0.0.0' })).rejects.toThrow(/not a loopback address/);
  });
});
