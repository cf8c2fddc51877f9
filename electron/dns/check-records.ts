// "Check again": resolve each record Microsoft 365 wants from a given resolver and tick it off, or say what is
// missing or wrong in words an admin can take to the DNS host.
import { namesOf, readRecords, type LookupOptions } from './dns-lookup';
import { recordValue, sameRecord, type DnsRecord, type ExistingRecord } from './dns-records';
import { isSpf, missingTerms } from './spf';

/** One record's state in DNS. */
export interface RecordCheck {
  record: DnsRecord;
  status: 'ok' | 'missing' | 'wrong';
  /** What DNS holds at the name for this record's type (or the CNAME/other data in the way). */
  found: ExistingRecord[];
  message: string;
}

const show = (r: ExistingRecord): string => `${r.type} ${recordValue(r)}`;

function checkOne(want: DnsRecord, here: ExistingRecord[]): RecordCheck {
  const out = (status: RecordCheck['status'], found: ExistingRecord[], message: string): RecordCheck => ({ record: want, status, found, message });
  const alias = here.find((x) => x.type === 'CNAME');
  if (alias && want.type !== 'CNAME') return out('wrong', [alias], `${want.name} is an alias (CNAME → ${recordValue(alias)}), so it can't hold the ${want.type} record.`);
  const sameType = here.filter((x) => x.type === want.type);
  if (want.type === 'CNAME' && !sameType.length && here.length) {
    return out('wrong', here, `${want.name} holds ${here.map(show).join(', ')} instead of an alias to ${want.target}.`);
  }
  if (want.type === 'TXT' && isSpf(want.text)) {
    const spf = sameType.filter((x) => x.type === 'TXT' && isSpf(x.text));
    if (!spf.length) return out('missing', [], `No SPF record at ${want.name}; add "${want.text}".`);
    if (spf.length > 1) return out('wrong', spf, `${want.name} has ${spf.length} SPF records; receivers reject all of them. Merge them into one.`);
    const lacking = missingTerms((spf[0] as Extract<DnsRecord, { type: 'TXT' }>).text, want.text);
    return lacking.length ? out('wrong', spf, `The SPF record at ${want.name} lacks ${lacking.join(' ')}.`) : out('ok', spf, 'SPF authorizes Exchange Online.');
  }
  if (want.type === 'MX') {
    const hit = sameType.find((x) => x.type === 'MX' && x.exchange === want.exchange);
    if (hit && hit.type === 'MX') {
      const lowest = Math.min(...sameType.map((x) => (x.type === 'MX' ? x.preference : 65535)));
      return out('ok', sameType, hit.preference > lowest
        ? `Present with preference ${hit.preference}; mail still goes to your other mail server first (fine while migrating).`
        : 'Present.');
    }
    return sameType.length
      ? out('wrong', sameType, `Mail for ${want.name} goes to ${sameType.map((x) => recordValue(x)).join(', ')}, not to ${want.exchange}.`)
      : out('missing', [], `No MX record at ${want.name}; add ${recordValue(want)}.`);
  }
  if (sameType.some((x) => sameRecord(x, want))) return out('ok', sameType, 'Present.');
  if (sameType.length && want.type !== 'TXT') {
    return out('wrong', sameType, `${want.name} has ${sameType.map(show).join(', ')} instead of ${show(want)}.`);
  }
  return out('missing', [], `Not found: ${want.type} ${want.name} ${recordValue(want)}.`);
}

/** Resolves every record from `opts.servers` and reports each as ok, missing or wrong. */
export async function checkRecords(records: DnsRecord[], opts: LookupOptions): Promise<RecordCheck[]> {
  const existing = await readRecords(namesOf(records), opts);
  return records.map((r) => checkOne(r, existing.filter((x) => x.name === r.name)));
}
