import crypto from 'node:crypto';
import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Core } from '../host/compose-core';
import { invokeOutcome } from '../core/dispatch';
import { resolveStatic } from './static-files';
import { checkRequestOrigin, isLoopbackHost, readCookie, safeEqual, SECURITY_HEADERS } from './web-security';

/** How the local web dashboard is served. */
export interface WebServerOptions {
  core: Core;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  host?: string;
  port?: number;
  /** A non-loopback bind exposes the dashboard to the network: refused unless the admin opts in. */
  allowNonLoopback?: boolean;
  /** Fixed launch key (tests); random per launch otherwise. */
  launchKey?: string;
}

/** A running dashboard: `url` carries the per-launch key and is the only way in. */
export interface WebServer {
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  close(): Promise<void>;
}

const COOKIE = 'oe_session';
const MAX_BODY = 1024 * 1024;

/**
 * Serves the renderer and the contract over HTTP (POST /api/invoke/<channel>) and Server-Sent Events
 * (GET /api/events) on 127.0.0.1. The launch key in the printed URL is exchanged once for an HttpOnly,
 * SameSite=Strict session cookie; Host and Origin are checked on every request.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && !options.allowNonLoopback) {
    throw new Error(`Refusing to serve the dashboard on ${host}: it is not a loopback address. Set web.allowNonLoopback to allow it.`);
  }
  const launchKey = options.launchKey ?? crypto.randomBytes(24).toString('base64url');
  const sessions = new Set<string>();
  const staticDir = fs.realpathSync(options.staticDir);
  let allowedHosts: string[] = [];
  const streams = new Set<ServerResponse>();

  const server = http.createServer((req, res) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    handle(req, res).catch(() => send(res, 500, { error: { code: 'internal', message: 'The dashboard server failed.' } }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refusal = checkRequestOrigin(req, allowedHosts);
    if (refusal) return send(res, 403, { error: { code: 'forbidden', message: refusal } });
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const key = url.searchParams.get('key');
    if (key !== null && req.method === 'GET') {
      if (!safeEqual(key, launchKey)) return sendText(res, 403, 'This link has expired. Use the address the server printed when it started.');
      const session = crypto.randomBytes(24).toString('base64url');
      sessions.add(session);
      res.setHeader('Set-Cookie', `${COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`);
      res.writeHead(303, { Location: '/' });
      return void res.end();
    }
    const session = readCookie(req, COOKIE);
    const authed = session !== undefined && sessions.has(session);
    if (url.pathname.startsWith('/api/')) {
      if (!authed) return send(res, 401, { error: { code: 'unauthenticated', message: 'Open the dashboard with the link the server printed.' } });
      if (url.pathname === '/api/events' && req.method === 'GET') return openEventStream(res);
      const match = /^\/api\/invoke\/([a-z0-9-]+:[a-z0-9-]+)$/.exec(url.pathname);
      if (!match || req.method !== 'POST') return send(res, 404, { error: { code: 'not-found', message: 'No such API.' } });
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return send(res, 415, { error: { code: 'invalid-request', message: 'Send JSON.' } });
      }
      const body = await readJson(req);
      if (body === undefined) return send(res, 400, { error: { code: 'invalid-request', message: 'The request body is not valid JSON.' } });
      const args = (body as { args?: unknown })?.args;
      return send(res, 200, await invokeOutcome(options.core.handlers, match[1], args));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed.');
    if (!authed) return sendText(res, 401, 'Open the dashboard with the link the server printed when it started (it contains a one-time key).');
    const file = resolveStatic(staticDir, url.pathname);
    if (!file) return sendText(res, 404, 'Not found.');
    res.writeHead(200, { 'Content-Type': file.type });
    if (req.method === 'HEAD') return void res.end();
    fs.createReadStream(file.file).pipe(res);
  }

  function openEventStream(res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    const write = (channel: string, payload: unknown): void => {
      res.write(`event: message\ndata: ${JSON.stringify({ channel, payload })}\n\n`);
    };
    for (const [channel, payload] of options.core.events.snapshot()) write(channel, payload);
    const unsubscribe = options.core.events.subscribe(write);
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    streams.add(res);
    res.on('close', () => {
      unsubscribe();
      clearInterval(ping);
      streams.delete(res);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  allowedHosts = [`${shownHost}:${port}`, `localhost:${port}`].map((h) => h.toLowerCase());
  const origin = `http://${shownHost}:${port}`;
  return {
    url: `${origin}/?key=${launchKey}`,
    origin,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of streams) s.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
      } catch {
        resolve(undefined);
      }
    });
    req.on('error', () => resolve(undefined));
  });
}
