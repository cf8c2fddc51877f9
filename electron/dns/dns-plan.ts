// The plan: what to write so DNS holds what Microsoft 365 wants, worked out against what DNS holds now, the way an
// expert would — mail keeps flowing during a migration, one SPF record, no CNAME beside other data. Pure: the
// preview shows exactly what the writers will do.
import { recordValue, sameRecord, type DnsRecord, type ExistingRecord, type WantedRecord } from './dns-records';
import { isSpf, mergeSpf, missingTerms, spfLookups } from './spf';

/** What happens to one wanted record. */
export interface PlannedChange {
  action: 'add' | 'replace' | 'keep';
  record: DnsRecord;
  /** Records this one replaces (removed in the same update). */
  replaces: DnsRecord[];
  purpose: WantedRecord['purpose'];
  service: string;
  /** One or two sentences for the preview. */
  why: string;
}

/** A wanted record that can't be written without removing something the admin must decide about. */
export interface PlanConflict {
  record: DnsRecord;
  blocking: ExistingRecord[];
  purpose: WantedRecord['purpose'];
  service: string;
  why: string;
}

/** The whole preview for a domain. */
export interface RecordPlan {
  domain: string;
  changes: PlannedChange[];
  conflicts: PlanConflict[];
}

/** Choices the admin makes in the wizard. */
export interface PlanOptions {
  /**
   * Mail already moved (or the domain never received mail): Microsoft's MX replaces the existing ones. Off by
   * default: an existing MX keeps precedence, as the seed's wizard required while mail is migrated.
   */
  replaceExistingMx?: boolean;
}

/** What the writers do for a plan: remove these, then add these, in one update where the server allows. */
export interface RecordWrites {
  add: DnsRecord[];
  remove: DnsRecord[];
}

const show = (r: ExistingRecord): string => `${r.type} ${recordValue(r)}`;

/** Why each kind of record exists, for the preview; unknown ones fall back to Graph's service name. */
function purposeOf(w: WantedRecord, domain: string): string {
  const r = w.record;
  const first = r.name.split('.')[0] ?? '';
  if (w.purpose === 'verification') return `Proves to Microsoft 365 that your organization owns ${domain}; it changes nothing else and may stay afterwards.`;
  if (r.type === 'MX') return `Delivers mail for @${domain} to Exchange Online.`;
  if (r.type === 'TXT' && isSpf(r.text)) return `Tells receiving mail servers that Exchange Online may send mail as @${domain}, so it isn't marked as spam.`;
  if (first === 'autodiscover') return 'Lets Outlook and phones find mailbox settings from just an e-mail address.';
  if (w.service === 'OfficeCommunicationsOnline') return 'Lets Teams and Skype for Business clients, and federated organizations, find your sign-in and chat service.';
  if (w.service === 'Intune') return 'Lets devices enroll in Intune and register with Microsoft Entra ID.';
  return `Needed by Microsoft 365 (${w.service}).`;
}

function planMx(w: WantedRecord, r: Extract<DnsRecord, { type: 'MX' }>, here: ExistingRecord[], base: string, opts: PlanOptions): PlannedChange {
  const mx = here.filter((x): x is Extract<DnsRecord, { type: 'MX' }> => x.type === 'MX');
  const same = mx.find((x) => x.exchange === r.exchange);
  const common = { purpose: w.purpose, service: w.service };
  if (same) return { ...common, action: 'keep', record: same, replaces: [], why: `${base} Already in place (preference ${same.preference}).` };
  if (!mx.length) return { ...common, action: 'add', record: r, replaces: [], why: base };
  if (opts.replaceExistingMx) {
    return { ...common, action: 'replace', record: r, replaces: mx, why: `${base} It replaces ${mx.map(show).join(', ')}: you said mail no longer goes there.` };
  }
  const current = mx.reduce((a, b) => (b.preference < a.preference ? b : a));
  const highest = Math.max(...mx.map((x) => x.preference));
  const preference = Math.min(65535, Math.max(highest + 10, r.preference));
  return {
    ...common, action: 'add', record: { ...r, preference }, replaces: [],
    why: `${base} Your current mail server ${current.exchange} (preference ${current.preference}) keeps receiving mail while mailboxes move: `
      + `this record gets preference ${preference}, so senders use it only if yours is unreachable. When the migration is done, `
      + `set it to ${r.preference} and remove the old MX.`,
  };
}

function planTxt(w: WantedRecord, r: Extract<DnsRecord, { type: 'TXT' }>, here: ExistingRecord[], base: string): PlannedChange {
  const common = { purpose: w.purpose, service: w.service };
  const txt = here.filter((x): x is Extract<DnsRecord, { type: 'TXT' }> => x.type === 'TXT');
  if (!isSpf(r.text)) {
    const same = txt.find((x) => x.text === r.text);
    return same ? { ...common, action: 'keep', record: same, replaces: [], why: `${base} Already in place.` } : { ...common, action: 'add', record: r, replaces: [], why: base };
  }
  const spf = txt.filter((x) => isSpf(x.text));
  if (!spf.length) return { ...common, action: 'add', record: r, replaces: [], why: base };
  if (spf.length === 1 && missingTerms(spf[0]!.text, r.text).length === 0) {
    return { ...common, action: 'keep', record: spf[0]!, replaces: [], why: `${base} Your SPF record already authorizes it.` };
  }
  const merged = mergeSpf(spf.map((s) => s.text), r.text);
  const lookups = spfLookups(merged);
  const had = spf.length === 1
    ? `${w.record.name} already has an SPF record ("${spf[0]!.text}"). A domain may publish only one (with two, receivers reject both), `
    : `${w.record.name} has ${spf.length} SPF records, which already makes receivers reject them all; `;
  return {
    ...common, action: 'replace', record: { ...r, text: merged }, replaces: spf,
    why: `${base} ${had}so Microsoft's part is merged into one record and your existing senders stay authorized.`
      + (lookups > 10 ? ` Warning: the merged record needs ${lookups} DNS lookups and SPF allows 10; remove includes you no longer use.` : ''),
  };
}

function planSingle(w: WantedRecord, here: ExistingRecord[], base: string): PlannedChange {
  const r = w.record;
  const common = { purpose: w.purpose, service: w.service };
  const sameType = here.filter((x): x is DnsRecord => x.type === r.type);
  const same = sameType.find((x) => sameRecord(x, r));
  if (same) return { ...common, action: 'keep', record: same, replaces: [], why: `${base} Already in place.` };
  // One CNAME per name by definition; a different SRV target for a Microsoft service would split its clients.
  if (sameType.length) return { ...common, action: 'replace', record: r, replaces: sameType, why: `${base} It replaces ${sameType.map(show).join(', ')}.` };
  return { ...common, action: 'add', record: r, replaces: [], why: base };
}

/** A CNAME must be alone at its name (RFC 1034 §3.6.2); so must whatever would sit beside an existing CNAME. */
function cnameConflict(w: WantedRecord, here: ExistingRecord[], wanted: WantedRecord[]): PlanConflict | undefined {
  const r = w.record;
  const common = { record: r, purpose: w.purpose, service: w.service };
  if (r.type === 'CNAME') {
    const others = here.filter((x) => x.type !== 'CNAME');
    if (others.length) {
      return { ...common, blocking: others, why: `${r.name} already has ${others.map(show).join(', ')}. A name with an alias (CNAME) can hold no other record, so remove ${others.length > 1 ? 'those' : 'it'} first${r.name.startsWith('autodiscover.') ? ' (it likely points at an old Exchange server)' : ''}, then plan again.` };
    }
    const beside = wanted.filter((o) => o !== w && o.record.name === r.name);
    if (beside.length) return { ...common, blocking: beside.map((o) => o.record), why: `Microsoft 365 asks for an alias at ${r.name} and other records at the same name, which DNS can't hold together.` };
    return undefined;
  }
  const alias = here.find((x) => x.type === 'CNAME');
  if (alias) return { ...common, blocking: [alias], why: `${r.name} is an alias (CNAME → ${recordValue(alias)}), so it can't also hold a ${r.type} record. Remove the alias first, then plan again.` };
  return undefined;
}

/**
 * Plans `wanted` against `existing` (every record DNS holds at the wanted names, as read by readRecords). Each
 * wanted record becomes a change (add / replace / keep) with a why, or a conflict the admin must resolve first.
 */
export function planRecords(domain: string, wanted: WantedRecord[], existing: ExistingRecord[], opts: PlanOptions = {}): RecordPlan {
  const plan: RecordPlan = { domain, changes: [], conflicts: [] };
  for (const w of wanted) {
    const here = existing.filter((x) => x.name === w.record.name);
    const conflict = cnameConflict(w, here, wanted);
    if (conflict) { plan.conflicts.push(conflict); continue; }
    const base = purposeOf(w, domain);
    const r = w.record;
    plan.changes.push(r.type === 'MX' ? planMx(w, r, here, base, opts) : r.type === 'TXT' ? planTxt(w, r, here, base) : planSingle(w, here, base));
  }
  return plan;
}

/** The removals and additions a plan needs (keeps and conflicts write nothing). */
export function planWrites(plan: RecordPlan): RecordWrites {
  const todo = plan.changes.filter((c) => c.action !== 'keep');
  return { add: todo.map((c) => c.record), remove: todo.flatMap((c) => c.replaces) };
}

/** What undoes `applied`: remove what was added, put back what was removed. */
export function inverseWrites(applied: RecordWrites): RecordWrites {
  return { add: applied.remove, remove: applied.add };
}
