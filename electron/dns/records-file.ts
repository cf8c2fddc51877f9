// The seed's NewDNSRecords_<n>.txt for a DNS host the product can't write to: a readable table, a BIND zone-file
// fragment (many providers import one) and a CSV, for the admin to take to the registrar.
import { randomInt } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DnsError } from './dns-errors';
import type { PlanConflict, PlannedChange, RecordPlan } from './dns-plan';
import { recordValue, type DnsRecord, type UnavailableRecord } from './dns-records';

/** One line of the file: a record and what to do with it. */
interface Row {
  what: string;
  record: DnsRecord;
  why: string;
  remove: DnsRecord[];
}

const ACTION: Record<PlannedChange['action'], string> = { add: 'Add', replace: 'Replace', keep: 'Already there' };

function rows(plan: RecordPlan): Row[] {
  return [
    ...plan.changes.map((c) => ({
      what: ACTION[c.action], record: c.record, remove: c.replaces,
      why: c.replaces.length ? `${c.why} (Remove: ${c.replaces.map((r) => `${r.type} ${recordValue(r)}`).join('; ')}.)` : c.why,
    })),
    ...plan.conflicts.map((c: PlanConflict) => ({ what: 'Blocked', record: c.record, why: c.why, remove: [] })),
  ];
}

/** Host field as registrars ask for it: `@` for the domain itself, else the part before the domain. */
function host(name: string, domain: string): string {
  return name === domain ? '@' : name.endsWith(`.${domain}`) ? name.slice(0, -(domain.length + 1)) : `${name}.`;
}

/** Priority column registrars show separately for MX and SRV. */
function priority(r: DnsRecord): string {
  return r.type === 'MX' ? String(r.preference) : r.type === 'SRV' ? String(r.priority) : '';
}

/** Value column without the priority (registrars' forms take them apart). */
function formValue(r: DnsRecord): string {
  if (r.type === 'MX') return r.exchange;
  if (r.type === 'SRV') return `${r.weight} ${r.port} ${r.target}`;
  return recordValue(r);
}

function table(list: Row[], domain: string): string[] {
  const head = ['Action', 'Type', 'Host', 'Value', 'Priority', 'TTL'];
  const body = list.map((x) => [x.what, x.record.type, host(x.record.name, domain), formValue(x.record), priority(x.record), String(x.record.ttl)]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  ')];
  body.forEach((b, i) => out.push(line(b), `    Why: ${list[i]!.why}`));
  return out;
}

const csvCell = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** The file's text (pure, for tests and for the wizard's copyable table). */
export function renderRecordsFile(plan: RecordPlan, unavailable: UnavailableRecord[] = [], now = new Date()): string {
  const list = rows(plan);
  const toWrite = list.filter((x) => x.what === 'Add' || x.what === 'Replace');
  const out = [
    `DNS records for ${plan.domain} — Microsoft 365`,
    `Written by OpenEssentials on ${now.toISOString().slice(0, 10)}. Add these at your domain's DNS host (registrar);`,
    'changes can take up to 72 hours to be seen everywhere. Then choose "Check again" in the dashboard.',
    '',
    ...table(list, plan.domain),
  ];
  if (unavailable.length) {
    out.push('', 'Microsoft 365 could not generate these records yet:', ...unavailable.map((u) => `  ${u.label} (${u.service}): ${u.description}`));
  }
  out.push('', '; --- BIND zone-file fragment (records to add) ---', `$ORIGIN ${plan.domain}.`);
  const line = (r: DnsRecord): string => `${host(r.name, plan.domain).padEnd(24)} ${String(r.ttl).padEnd(6)} IN ${r.type.padEnd(5)} ${recordValue(r, { zoneFile: true })}`;
  for (const x of toWrite) {
    for (const r of x.remove) out.push(`; remove: ${line(r)}`);
    out.push(line(x.record));
  }
  out.push('', '# --- CSV ---', 'action,type,name,host,value,priority,ttl');
  for (const x of list) {
    out.push([x.what, x.record.type, x.record.name, host(x.record.name, plan.domain), formValue(x.record), priority(x.record), String(x.record.ttl)].map(csvCell).join(','));
  }
  return `${out.join('\n')}\n`;
}

/**
 * Writes NewDNSRecords_<n>.txt (n random, never overwriting a file) into `folder` — the admin's documents folder,
 * or the data dir on a headless server — creating the folder 0700 if needed. Returns the file's path.
 */
export function writeRecordsFile(folder: string, plan: RecordPlan, unavailable: UnavailableRecord[] = []): string {
  fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
  const text = renderRecordsFile(plan, unavailable);
  for (let attempt = 0; attempt < 20; attempt++) {
    const file = path.join(folder, `NewDNSRecords_${randomInt(1, 1_000_000)}.txt`);
    try {
      fs.writeFileSync(file, text, { flag: 'wx', mode: 0o644 });
      return file;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new DnsError('failed', `The records file could not be written to ${folder} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`, {}, { cause: e });
      }
    }
  }
  throw new DnsError('failed', `No free NewDNSRecords_<n>.txt name in ${folder}.`);
}
