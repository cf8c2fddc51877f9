// SPF (RFC 7208) just far enough to merge Microsoft's include into a domain's existing policy: a domain may publish
// only one SPF record (two make receivers return permerror, §3.2), and at most 10 DNS-querying terms (§4.6.4).

/** Whether a TXT value is an SPF record. */
export function isSpf(text: string): boolean {
  return /^v=spf1(\s|$)/i.test(text.trim());
}

interface Parsed {
  terms: string[];
  all?: string;
  redirect?: string;
  exp?: string;
}

function parse(text: string): Parsed {
  const out: Parsed = { terms: [] };
  for (const t of text.trim().split(/\s+/).slice(1)) {
    if (/^[+\-~?]?all$/i.test(t)) out.all ??= t;
    else if (/^redirect=/i.test(t)) out.redirect ??= t;
    else if (/^exp=/i.test(t)) out.exp ??= t;
    else out.terms.push(t);
  }
  return out;
}

const has = (list: string[], t: string): boolean => list.some((x) => x.toLowerCase() === t.toLowerCase());

/** Terms of `wanted` (other than its `all`) that `existing` lacks. */
export function missingTerms(existing: string, wanted: string): string[] {
  const have = parse(existing).terms;
  return parse(wanted).terms.filter((t) => !has(have, t));
}

/** How many DNS lookups evaluating the record costs (include, a, mx, ptr, exists, redirect), RFC 7208 §4.6.4. */
export function spfLookups(text: string): number {
  return text.trim().split(/\s+/).filter((t) => /^[+\-~?]?(include:|a$|a[:/]|mx$|mx[:/]|ptr|exists:)/i.test(t) || /^redirect=/i.test(t)).length;
}

/**
 * One SPF record from the domain's existing ones plus Microsoft's: the existing senders first, the missing
 * terms of `wanted` after them, then the existing policy's `all` (the admin's choice) or else Microsoft's.
 */
export function mergeSpf(existing: string[], wanted: string): string {
  const parsed = existing.map(parse);
  const terms: string[] = [];
  for (const t of parsed.flatMap((p) => p.terms)) if (!has(terms, t)) terms.push(t);
  for (const t of parse(wanted).terms) if (!has(terms, t)) terms.push(t);
  const all = parsed.find((p) => p.all)?.all;
  const redirect = parsed.find((p) => p.redirect)?.redirect;
  const exp = parsed.find((p) => p.exp)?.exp;
  // A redirect= is the existing policy's fallback; Microsoft's `all` would silently override it (§6.1).
  const tail = all ?? redirect ?? parse(wanted).all;
  return ['v=spf1', ...terms, ...(tail ? [tail] : []), ...(exp ? [exp] : [])].join(' ');
}
