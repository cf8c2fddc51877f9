// DNS names as the product handles them: lowercase, ASCII (IDNs in punycode), no trailing dot. Validation happens
// once here, so nothing malformed ever reaches a zone file, an nsupdate script or a samba-tool command line.
import { domainToASCII } from 'node:url';
import { DnsError } from './dns-errors';

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** Record owner and target labels may also carry underscores (`_sip._tls`, DKIM selectors). */
const RECORD_LABEL = /^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?|\*)$/;

const invalid = (input: string, why: string): DnsError => new DnsError('invalid-name', `"${input}" is not a domain name you can add: ${why}`);

/** Obvious mistakes get a hint instead of a grammar lesson (an e-mail address, a URL, an IP address). */
function hint(input: string): string | undefined {
  if (input.includes('@')) return 'that looks like an e-mail address; enter only the part after the @ (for example contoso.com).';
  if (/^[a-z]+:\/\//i.test(input) || input.includes('/')) return 'enter just the domain name, without http:// or a path (for example contoso.com).';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(input) || input.includes(':')) return 'that is an IP address; enter the domain name instead.';
  if (/\s/.test(input)) return 'a domain name has no spaces.';
  return undefined;
}

/**
 * The domain an admin typed, as Microsoft 365 and DNS will know it (`Contoso.COM.` → `contoso.com`,
 * `bücher.de` → `xn--bcher-kva.de`). Throws `invalid-name` with the reason; subdomains are allowed (see findZone).
 */
export function normalizeDomainName(input: string): string {
  const raw = input.trim();
  if (!raw) throw invalid(input, 'it is empty.');
  const h = hint(raw);
  if (h) throw invalid(raw, h);
  // (checked first: the URL parser would take a numeric last part for an IPv4 address and give up)
  if (/\.\d+\.?$/.test(raw)) throw invalid(raw, 'the last part can\'t be a number.');
  const ascii = domainToASCII(raw.replace(/\.$/, '').toLowerCase());
  if (!ascii) throw invalid(raw, 'it contains characters a domain name can\'t have.');
  if (ascii.length > 253) throw invalid(raw, 'it is longer than 253 characters.');
  const labels = ascii.split('.');
  if (labels.length < 2) throw invalid(raw, 'it needs at least one dot (for example contoso.com).');
  for (const l of labels) {
    if (!l) throw invalid(raw, 'it has an empty part between two dots.');
    if (l.length > 63) throw invalid(raw, `the part "${l.slice(0, 20)}…" is longer than 63 characters.`);
    if (!LABEL.test(l)) throw invalid(raw, `the part "${l}" may contain only letters, digits and hyphens, and can't start or end with a hyphen.`);
  }
  if (ascii === 'onmicrosoft.com' || ascii.endsWith('.onmicrosoft.com')) {
    throw invalid(raw, 'onmicrosoft.com domains belong to Microsoft; your organization already has one.');
  }
  return ascii;
}

/** A record's owner or target name (underscores and a leading `*` label allowed); `what` names it in the error. */
export function normalizeRecordName(input: string, what: string): string {
  const name = input.trim().replace(/\.$/, '').toLowerCase();
  const bad = (why: string): DnsError => new DnsError('invalid-record', `${what} "${input}" is not a valid DNS name: ${why}`);
  if (!name || name.length > 253) throw bad('it is empty or longer than 253 characters.');
  for (const l of name.split('.')) {
    if (!RECORD_LABEL.test(l)) throw bad(`the part "${l}" is not allowed.`);
  }
  return name;
}

/** Whether `name` is `zone` itself or lies below it. */
export function isWithin(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

/** Zone-relative form for zone files and samba-tool (`contoso.com` in `contoso.com` → `@`, `autodiscover.contoso.com` → `autodiscover`). */
export function relativeName(name: string, zone: string): string {
  if (name === zone) return '@';
  if (!name.endsWith(`.${zone}`)) throw new DnsError('invalid-record', `${name} is not inside the zone ${zone}.`);
  return name.slice(0, -(zone.length + 1));
}

/** Every enclosing name from `name` up to its last two labels, longest first (candidates for the zone apex). */
export function enclosingNames(name: string): string[] {
  const labels = name.split('.');
  const out: string[] = [];
  for (let i = 0; i <= labels.length - 2; i++) out.push(labels.slice(i).join('.'));
  return out;
}
