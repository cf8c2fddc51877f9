// objectGUID conversions: AD stores GUIDs as 16 little-endian-mixed bytes; the product shows and stores them
// as lowercase canonical strings, and searches by them with byte-escaped filters.
import { EqualityFilter } from 'ldapts';

/** Converts AD's 16-byte objectGUID to the canonical lowercase string (as shown by Windows tools). */
export function guidToString(b: Buffer): string {
  if (b.length !== 16) throw new Error(`objectGUID must be 16 bytes, got ${b.length}`);
  const h = b.toString('hex');
  const sw = (s: string): string => (s.match(/../g) ?? []).reverse().join('');
  return `${sw(h.slice(0, 8))}-${sw(h.slice(8, 12))}-${sw(h.slice(12, 16))}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Inverse of guidToString; throws on anything that is not a GUID. */
export function guidToBuffer(guid: string): Buffer {
  const m = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i.exec(guid);
  if (!m) throw new Error('not a GUID');
  const sw = (s: string): string => (s.match(/../g) ?? []).reverse().join('');
  return Buffer.from(sw(m[1]!) + sw(m[2]!) + sw(m[3]!) + m[4]! + m[5]!, 'hex');
}

/**
 * Base DN that addresses an object by GUID (`<GUID=…>`, supported by AD and Samba). Why not a `(objectGUID=\xx…)`
 * string filter: ldapts decodes `\xx` escapes as characters and re-encodes them as UTF-8, corrupting bytes ≥ 0x80.
 */
export function guidBaseDn(guid: string): string {
  guidToBuffer(guid); // validates
  return `<GUID=${guid.toLowerCase()}>`;
}

/** Binary-safe equality filter object for objectGUID (for searches that cannot use a GUID base). */
export function guidFilter(guid: string): EqualityFilter {
  return new EqualityFilter({ attribute: 'objectGUID', value: guidToBuffer(guid) });
}
