// read → NORMALIZE: a directory user becomes the online account it should be (pure; no I/O).
import { createHash } from 'node:crypto';
import type { OnlineAttributes, SourceUser } from './ports';

/** Tenant-side choices made in the wizard that shape every account. */
export interface NormalizeOptions {
  /** Verified domain used for users whose UPN suffix is not verified online (e.g. `corp.local`). */
  domain: string;
  verifiedDomains: readonly string[];
  usageLocation?: string;
  /** Included in the hash so a new target tenant re-pushes everything (Bitwarden's rule). */
  tenantId: string;
}

/** The account a directory user should have online, plus the hash of what is pushed. */
export interface DesiredAccount {
  objectGuid: string;
  userPrincipalName: string;
  mailNickname: string;
  immutableId: string;
  usageLocation?: string;
  enabled: boolean;
  attributes: OnlineAttributes;
  hash: string;
  /** True when the on-premises UPN suffix was rewritten to the chosen domain. */
  upnRewritten: boolean;
}

const NON_ROUTABLE = /\.(local|lan|internal|corp|home|localdomain|intranet|private)$/i;

/** Why: Graph only accepts `A–Z a–z 0–9 ' . - _ ! # ^ ~` in the alias; accents are folded, the rest dropped. */
export function sanitizeAlias(alias: string): string {
  const folded = alias.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  return folded.replace(/[^A-Za-z0-9'._!#^~-]/g, '').replace(/^\.+|\.+$/g, '').replace(/\.{2,}/g, '.');
}

/** Why: `.local` and other unverified suffixes would land on onmicrosoft.com; map them to the chosen domain. */
export function mapUpn(user: Pick<SourceUser, 'userPrincipalName' | 'sAMAccountName'>, opts: Pick<NormalizeOptions, 'domain' | 'verifiedDomains'>): { upn: string; rewritten: boolean } {
  const raw = user.userPrincipalName?.trim() || `${user.sAMAccountName}@${opts.domain}`;
  const at = raw.lastIndexOf('@');
  const alias = sanitizeAlias(at >= 0 ? raw.slice(0, at) : raw) || sanitizeAlias(user.sAMAccountName);
  const suffix = (at >= 0 ? raw.slice(at + 1) : '').toLowerCase();
  const verified = opts.verifiedDomains.map((d) => d.toLowerCase());
  const keep = suffix !== '' && !NON_ROUTABLE.test(suffix) && verified.includes(suffix);
  const upn = `${alias}@${keep ? suffix : opts.domain.toLowerCase()}`;
  return { upn, rewritten: !keep && suffix !== opts.domain.toLowerCase() && user.userPrincipalName !== undefined };
}

/** Why: the anchor recorded in `onPremisesImmutableId` is base64 of the objectGUID bytes in AD's (mixed-endian) order. */
export function immutableIdOf(objectGuid: string): string {
  const m = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i.exec(objectGuid);
  if (!m) throw new Error('not a GUID');
  const sw = (s: string): string => (s.match(/../g) ?? []).reverse().join('');
  return Buffer.from(sw(m[1]!) + sw(m[2]!) + sw(m[3]!) + m[4]! + m[5]!, 'hex').toString('base64');
}

const clean = (v: string | undefined): string | null => {
  const t = v?.trim();
  return t ? t : null;
};

/** Maps a directory user to the attributes kept in step online. */
export function toAttributes(u: SourceUser): OnlineAttributes {
  const fallback = [u.givenName, u.sn].filter(Boolean).join(' ') || u.sAMAccountName;
  const phone = clean(u.telephoneNumber);
  return {
    displayName: clean(u.displayName) ?? fallback,
    givenName: clean(u.givenName),
    surname: clean(u.sn),
    jobTitle: clean(u.title),
    department: clean(u.department),
    businessPhones: phone ? [phone] : [],
    mobilePhone: clean(u.mobile),
    officeLocation: clean(u.office),
  };
}

/** Hash of what is pushed (attributes + UPN + tenant); unchanged hash → nothing to do. */
export function hashAccount(parts: { tenantId: string; upn: string; usageLocation?: string; attributes: OnlineAttributes }): string {
  const a = parts.attributes;
  const canonical = JSON.stringify([parts.tenantId, parts.upn.toLowerCase(), parts.usageLocation ?? null, a.displayName, a.givenName, a.surname, a.jobTitle, a.department, a.businessPhones, a.mobilePhone, a.officeLocation]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** The whole normalization of one user. */
export function normalizeUser(u: SourceUser, opts: NormalizeOptions): DesiredAccount {
  const { upn, rewritten } = mapUpn(u, opts);
  const attributes = toAttributes(u);
  const out: DesiredAccount = {
    objectGuid: u.objectGuid.toLowerCase(),
    userPrincipalName: upn,
    mailNickname: upn.slice(0, upn.indexOf('@')),
    immutableId: immutableIdOf(u.objectGuid),
    enabled: u.enabled,
    attributes,
    hash: hashAccount({ tenantId: opts.tenantId, upn, usageLocation: opts.usageLocation, attributes }),
    upnRewritten: rewritten,
  };
  if (opts.usageLocation) out.usageLocation = opts.usageLocation;
  return out;
}
