import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The dashboard's Content-Security-Policy: only its own scripts; styles inline for Fluent UI's runtime CSS. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers on every response from the dashboard server. */
export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

/** True for 127.0.0.0/8, ::1 and `localhost` — the only binds allowed without explicit configuration. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** Constant-time comparison so the session secret can't be guessed byte by byte. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** Reads one cookie from a request. */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return undefined;
}

/**
 * Blocks DNS rebinding and cross-site requests: the Host must be the address we listen on, and the
 * Origin (sent by browsers on every POST and EventSource) must be our own.
 */
export function checkRequestOrigin(req: IncomingMessage, allowedHosts: readonly string[]): string | null {
  const host = (req.headers.host ?? '').toLowerCase();
  if (!allowedHosts.includes(host)) return `Host "${host.slice(0, 60)}" is not this dashboard.`;
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) return 'Cross-origin requests are refused.';
  return null;
}
