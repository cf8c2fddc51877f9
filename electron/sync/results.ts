// The results file of a bulk run (seed: "Some accounts were not created" → one line per account and its reason).
import fs from 'node:fs';
import path from 'node:path';
import type { ResultRow } from './state-store';

/** RFC 4180 quoting, and a leading quote for cells Excel would run as formulas (=, +, -, @). */
export function csvCell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Renders the rows; header names are what an admin reads in Excel. */
export function resultsCsv(rows: readonly ResultRow[]): string {
  const header = ['Name', 'User name', 'Action', 'Result', 'Reason', 'Time', 'Directory object id'];
  const lines = rows.map((r) => [r.name, r.upn, r.action, r.outcome, r.reason, r.at, r.objectGuid].map(csvCell).join(','));
  return [header.join(','), ...lines].join('\r\n') + '\r\n';
}

/** Writes `<dir>/sync-run-<id>.csv` atomically (temp + rename) and returns its path. */
export function writeResultsFile(dir: string, runId: number, rows: readonly ResultRow[]): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `sync-run-${runId}.csv`);
  fs.writeFileSync(`${file}.tmp`, resultsCsv(rows));
  fs.renameSync(`${file}.tmp`, file);
  return file;
}
