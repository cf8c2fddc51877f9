import fs from 'node:fs';
import path from 'node:path';
import { redact } from './redact';

/** Levels an admin can filter on in the log file. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Structured log lines; every message and field passes through `redact` before it is written. */
export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Appends JSON lines to `<dataDir>/logs/openessentials.log` (and to stderr when `echo` is set). */
export function createFileLogger(dataDir: string, echo = false): Logger {
  const dir = path.join(dataDir, 'logs');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'openessentials.log');
  const log = (level: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    const line = redact(JSON.stringify({ at: new Date().toISOString(), level, message, ...fields }));
    fs.appendFileSync(file, line + '\n', { mode: 0o600 });
    if (echo) process.stderr.write(`[${level}] ${redact(message)}\n`);
  };
  return {
    log,
    info: (m, f) => log('info', m, f),
    warn: (m, f) => log('warn', m, f),
    error: (m, f) => log('error', m, f),
  };
}

/** A logger that keeps lines in memory, for tests that assert what was (not) logged. */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    lines.push(redact(JSON.stringify({ level, message, ...fields })));
  };
  return { lines, log, info: (m, f) => log('info', m, f), warn: (m, f) => log('warn', m, f), error: (m, f) => log('error', m, f) };
}
