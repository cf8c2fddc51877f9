// Normalised shapes the rest of the product uses for AD objects; LDAP attribute quirks stay in this folder.
import type { Entry } from 'ldapts';
import { guidToString } from './guid';
import type { TlsTrust } from './tls-trust';

/** How to reach and authenticate to the DC. Exactly one of bindDn / bindUpn. */
export interface DirectoryConfig {
  url: string;
  bindDn?: string;
  bindUpn?: string;
  password: string;
  tls: TlsTrust;
  /** Defaults to the rootDSE defaultNamingContext. */
  baseDn?: string;
  timeoutMs?: number;
  connectTimeoutMs?: number;
  /** Reconnect backoff for unreachable DCs: initial delay, cap, attempts (default 250 ms, 5 s, 5). */
  reconnect?: { initialMs?: number; maxMs?: number; attempts?: number };
}

/** userAccountControl bits the product cares about. */
export const UAC = { ACCOUNTDISABLE: 0x2, NORMAL_ACCOUNT: 0x200, DONT_EXPIRE_PASSWORD: 0x10000, SERVER_TRUST_ACCOUNT: 0x2000 } as const;

/** A user as the product sees it; objectGuid is the stable key (lowercase canonical GUID). */
export interface DirectoryUser extends UserAttributes {
  objectGuid: string;
  dn: string;
  sAMAccountName: string;
  userAccountControl: number;
  enabled: boolean;
  whenChanged?: Date;
  uSNChanged?: number;
}

/** A security or distribution group. */
export interface DirectoryGroup {
  objectGuid: string;
  dn: string;
  name: string;
  sAMAccountName: string;
  description?: string;
  mail?: string;
  groupType: number;
}

/** One member of a group, typed so the UI can show users and nested groups differently. */
export interface GroupMember {
  objectGuid: string;
  dn: string;
  sAMAccountName: string;
  kind: 'user' | 'group' | 'computer' | 'other';
}

/** Editable user attributes (empty string clears the attribute). */
export interface UserAttributes {
  displayName?: string;
  givenName?: string;
  sn?: string;
  mail?: string;
  title?: string;
  department?: string;
  telephoneNumber?: string;
  mobile?: string;
  office?: string;
  userPrincipalName?: string;
}

/** Maps product attribute names to LDAP ones (only `office` differs). */
export const USER_ATTR_LDAP: Record<keyof UserAttributes, string> = {
  displayName: 'displayName', givenName: 'givenName', sn: 'sn', mail: 'mail', title: 'title', department: 'department',
  telephoneNumber: 'telephoneNumber', mobile: 'mobile', office: 'physicalDeliveryOfficeName', userPrincipalName: 'userPrincipalName',
};

/** Attributes fetched for every user read (list, get, change feed). */
export const USER_LDAP_ATTRIBUTES = [
  'objectGUID', 'sAMAccountName', 'userPrincipalName', 'displayName', 'givenName', 'sn', 'mail', 'title', 'department',
  'telephoneNumber', 'mobile', 'physicalDeliveryOfficeName', 'userAccountControl', 'whenChanged', 'uSNChanged',
];

/** First value of an attribute as a string, or undefined when absent (ldapts returns [] for missing). */
export function first(e: Entry, name: string): string | undefined {
  const v = e[name];
  const x = Array.isArray(v) ? v[0] : v;
  if (x === undefined) return undefined;
  return Buffer.isBuffer(x) ? x.toString('utf8') : String(x);
}

/** Entry's objectGUID as a string; throws if the search did not ask for it as a buffer. */
export function entryGuid(e: Entry): string {
  const v = e.objectGUID;
  const b = Array.isArray(v) ? v[0] : v;
  if (!Buffer.isBuffer(b)) throw new Error('objectGUID missing from entry');
  return guidToString(b);
}

/** AD GeneralizedTime (20261122193000.0Z) to Date. */
export function parseGeneralizedTime(s: string | undefined): Date | undefined {
  const m = s ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})/.exec(s) : null;
  return m ? new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!)) : undefined;
}

/** Normalises one LDAP user entry. */
export function toDirectoryUser(e: Entry): DirectoryUser {
  const uac = Number(first(e, 'userAccountControl') ?? 0);
  const usn = first(e, 'uSNChanged');
  const u: DirectoryUser = {
    objectGuid: entryGuid(e), dn: e.dn, sAMAccountName: first(e, 'sAMAccountName') ?? '',
    userAccountControl: uac, enabled: (uac & UAC.ACCOUNTDISABLE) === 0,
  };
  for (const [k, ldap] of Object.entries(USER_ATTR_LDAP) as [keyof UserAttributes, string][]) {
    const v = first(e, ldap);
    if (v !== undefined) u[k] = v;
  }
  const wc = parseGeneralizedTime(first(e, 'whenChanged'));
  if (wc) u.whenChanged = wc;
  if (usn !== undefined) u.uSNChanged = Number(usn);
  return u;
}
