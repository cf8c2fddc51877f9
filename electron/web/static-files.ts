import fs from 'node:fs';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** A file resolved for serving, or null when the path escapes the root or doesn't exist. */
export interface StaticFile {
  file: string;
  type: string;
}

/**
 * Maps a URL path to a file under `root` (the built renderer). Unknown paths without an extension get
 * index.html so client-side routes reload; `..` and encoded escapes can't leave the root.
 */
export function resolveStatic(root: string, urlPath: string): StaticFile | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const target = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
  if (target !== root && !target.startsWith(root + path.sep)) return null;
  const candidate = fs.existsSync(target) && fs.statSync(target).isFile() ? target : path.extname(target) ? null : path.join(root, 'index.html');
  if (!candidate || !fs.existsSync(candidate)) return null;
  return { file: candidate, type: TYPES[path.extname(candidate)] ?? 'application/octet-stream' };
}
