// The records Microsoft 365 asks for, taken from Graph's verificationDnsRecords / serviceConfigurationRecords (never
// hard-coded), in one typed shape the planner, the writers, the records file and "Check again" share.
import { DnsError } from './dns-errors';
import { isWithin, normalizeRecordName } from './dns-names';

/** A record the product may write; names are FQDNs (lowercase, no trailing dot). */
export type DnsRecord =
  | { type: 'TXT'; name: string; ttl: number; text: string }
  | { type: 'MX'; name: string; ttl: number; preference: number; exchange: string }
  | { type: 'CNAME'; name: string; ttl: number; target: string }
  | { type: 'SRV'; name: string; ttl: number; priority: number; weight: number; port: number; target: string };

/** Record types the product only reads: they matter because a CNAME can't sit beside them. */
export interface OtherRecord {
  type: 'A' | 'AAAA' | 'NS' | 'SOA';
  name: string;
  ttl: number;
  value: string;
}

/** Whatever DNS holds at a name. */
export type ExistingRecord = DnsRecord | OtherRecord;

/** A record Microsoft 365 wants, with what it is for (shown in the preview). */
export interface WantedRecord {
  record: DnsRecord;
  purpose: 'verification' | 'service';
  /** Graph's supportedService (`Email`, `OfficeCommunicationsOnline`, `Intune`, …). */
  service: string;
  optional: boolean;
}

/** Graph's domainDnsUnavailableRecord: records Microsoft couldn't generate, with its reason. */
export interface UnavailableRecord {
  label: string;
  service: string;
  description: string;
}

/** One element of Graph's verificationDnsRecords / serviceConfigurationRecords, as it comes off the wire. */
export interface GraphDnsRecord {
  '@odata.type'?: string;
  recordType?: string | null;
  label?: string | null;
  ttl?: number | null;
  isOptional?: boolean | null;
  supportedService?: string | null;
  text?: string | null;
  mailExchange?: string | null;
  preference?: number | null;
  canonicalName?: string | null;
  nameTarget?: string | null;
  port?: number | null;
  priority?: number | null;
  weight?: number | null;
  service?: string | null;
  protocol?: string | null;
  description?: string | null;
}

/** What Graph returned for a domain, split into records to publish and the ones Microsoft couldn't generate. */
export interface DomainRecords {
  domain: string;
  records: WantedRecord[];
  unavailable: UnavailableRecord[];
}

const KINDS: Record<string, string> = {
  domaindnstxtrecord: 'txt', domaindnsmxrecord: 'mx', domaindnscnamerecord: 'cname', domaindnssrvrecord: 'srv', domaindnsunavailablerecord: 'unavailable',
};

/** `@odata.type` first (Graph's discriminator), then `recordType` (`Txt`, `Mx`, `CName`, `Srv`). */
function kindOf(g: GraphDnsRecord): string {
  const t = g['@odata.type']?.replace(/^#?microsoft\.graph\./i, '').toLowerCase();
  if (t && KINDS[t]) return KINDS[t]!;
  return (g.recordType ?? '').toLowerCase();
}

function uint(v: unknown, max: number, what: string, label: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
    throw new DnsError('invalid-record', `Microsoft 365 sent a ${what} of ${JSON.stringify(v)} for ${label}; expected a whole number 0–${max}.`);
  }
  return v;
}

function text(v: unknown, label: string): string {
  // A newline or a control character could end a line of an nsupdate script: refuse it here, once.
  if (typeof v !== 'string' || !v || v.length > 4000 || /[\u0000-\u001f\u007f]/.test(v)) {
    throw new DnsError('invalid-record', `Microsoft 365 sent an unusable TXT value for ${label}.`);
  }
  return v;
}

/** One Graph record → our shape; `undefined` for an unavailable record (reported separately). */
function fromGraph(g: GraphDnsRecord, domain: string): DnsRecord | undefined {
  const kind = kindOf(g);
  if (kind === 'unavailable') return undefined;
  const label = normalizeRecordName(g.label ?? '', 'The record name');
  const ttl = uint(g.ttl ?? 3600, 2_147_483_647, 'TTL', label);
  let rec: DnsRecord;
  switch (kind) {
    case 'txt': rec = { type: 'TXT', name: label, ttl, text: text(g.text, label) }; break;
    case 'mx':
      rec = { type: 'MX', name: label, ttl, preference: uint(g.preference ?? 0, 65535, 'preference', label), exchange: normalizeRecordName(g.mailExchange ?? '', 'The mail server') };
      break;
    case 'cname': rec = { type: 'CNAME', name: label, ttl, target: normalizeRecordName(g.canonicalName ?? '', 'The alias target') }; break;
    case 'srv': {
      // Graph's label is the full owner (`_sip._tls.contoso.com`); older answers gave the domain and service/protocol apart.
      const service = g.service ?? '';
      const protocol = g.protocol ?? '';
      const name = label.startsWith('_') || !service ? label : normalizeRecordName(`${service}.${protocol}.${label}`, 'The SRV name');
      rec = {
        type: 'SRV', name, ttl, priority: uint(g.priority, 65535, 'priority', label), weight: uint(g.weight, 65535, 'weight', label),
        port: uint(g.port, 65535, 'port', label), target: normalizeRecordName(g.nameTarget ?? '', 'The SRV target'),
      };
      break;
    }
    default: throw new DnsError('invalid-record', `Microsoft 365 asked for a record of an unknown type (${g.recordType ?? g['@odata.type'] ?? '?'}) at ${label}.`);
  }
  if (!isWithin(rec.name, domain)) throw new DnsError('invalid-record', `Microsoft 365 asked for a record at ${rec.name}, which is not part of ${domain}.`);
  return rec;
}

/**
 * Graph's two lists for `domain` → the records to publish. Of the verification alternatives only the TXT is kept
 * (the MX alternative exists for DNS hosts without TXT); `domainDnsUnavailableRecord`s are returned with their reason.
 */
export function recordsFromGraph(domain: string, graph: { verification: GraphDnsRecord[]; service: GraphDnsRecord[] }): DomainRecords {
  const verification = graph.verification.map((g) => ({ g, rec: fromGraph(g, domain) }));
  const txt = verification.find((v) => v.rec?.type === 'TXT') ?? verification.find((v) => v.rec);
  const records: WantedRecord[] = txt?.rec ? [{ record: txt.rec, purpose: 'verification', service: 'Verification', optional: false }] : [];
  const unavailable: UnavailableRecord[] = [];
  for (const g of graph.service) {
    const rec = fromGraph(g, domain);
    const service = g.supportedService ?? 'Unknown';
    if (!rec) {
      unavailable.push({ label: g.label ?? domain, service, description: g.description ?? 'Microsoft 365 did not say why.' });
      continue;
    }
    if (!records.some((w) => sameRecord(w.record, rec))) records.push({ record: rec, purpose: 'service', service, optional: g.isOptional === true });
  }
  return { domain, records, unavailable };
}

/** The record's data in zone-file presentation (`10 mail.contoso.com.`, `"v=spf1 …"`). */
export function recordValue(r: ExistingRecord, opts: { zoneFile?: boolean } = {}): string {
  const dot = opts.zoneFile ? '.' : '';
  switch (r.type) {
    case 'TXT': return opts.zoneFile ? txtStrings(r.text).map(quoteTxt).join(' ') : r.text;
    case 'MX': return `${r.preference} ${r.exchange}${dot}`;
    case 'CNAME': return `${r.target}${dot}`;
    case 'SRV': return `${r.priority} ${r.weight} ${r.port} ${r.target}${dot}`;
    default: return r.value;
  }
}

/** A TXT value as DNS carries it: strings of at most 255 bytes (longer SPF records are split, receivers join them). */
export function txtStrings(value: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (const ch of value) {
    if (Buffer.byteLength(cur + ch) > 255) { out.push(cur); cur = ''; }
    cur += ch;
  }
  out.push(cur);
  return out;
}

/** One TXT string in zone-file / nsupdate quoting. */
export function quoteTxt(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Same record (type, owner, data); TTLs may differ, host names compare case-insensitively. */
export function sameRecord(a: ExistingRecord, b: ExistingRecord): boolean {
  return a.type === b.type && a.name === b.name && recordValue(a).toLowerCase() === recordValue(b).toLowerCase()
    && (a.type !== 'TXT' || recordValue(a) === recordValue(b));
}
