// Escaping for LDAP search filters (RFC 4515) and distinguished names (RFC 4514). Every filter or DN this
// product builds from user-supplied text goes through here, so `*)(objectClass=*` can never widen a search.

/** Escapes a value for use inside a filter assertion: `(cn=${escapeFilterValue(x)})`. Non-ASCII stays UTF-8. */
export function escapeFilterValue(value: string): string {
  return value.replace(/[\\*()\u0000]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Escapes raw bytes (e.g. an objectGUID) as `\xx` pairs for an exact-match filter assertion. */
export function escapeFilterBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => `\\${b.toString(16).padStart(2, '0')}`).join('');
}

/**
 * Tagged template that escapes every interpolated value: ldapFilter`(sAMAccountName=${name})`.
 * Why: makes the safe path the short one, so nobody concatenates raw input into a filter.
 */
export function ldapFilter(strings: TemplateStringsArray, ...values: (string | number)[]): string {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += escapeFilterValue(String(v)) + (strings[i + 1] ?? '');
  });
  return out;
}

/** Escapes an attribute value for one RDN (`CN=${escapeDnValue(name)},OU=…`), per RFC 4514 section 2.4. */
export function escapeDnValue(value: string): string {
  let out = value.replace(/[\\,+"<>;=\u0000]/g, (c) => (c === '\u0000' ? '\\00' : `\\${c}`));
  if (out.startsWith(' ') || out.startsWith('#')) out = `\\${out}`;
  if (out.endsWith(' ') && !out.endsWith('\\ ')) out = `${out.slice(0, -1)}\\ `;
  return out;
}

/** Builds one RDN such as `CN=Müller\, Anna` from an attribute type and raw value. */
export function rdn(type: string, value: string): string {
  if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(type)) throw new Error(`invalid RDN attribute type: ${type}`);
  return `${type}=${escapeDnValue(value)}`;
}

/** Splits a DN into its first RDN and the parent DN, honouring backslash escapes. */
export function splitDn(dn: string): { rdn: string; parent: string } {
  for (let i = 0; i < dn.length; i++) {
    if (dn[i] === '\\') { i++; continue; }
    if (dn[i] === ',') return { rdn: dn.slice(0, i), parent: dn.slice(i + 1) };
  }
  return { rdn: dn, parent: '' };
}
