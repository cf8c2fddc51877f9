import { describe, expect, it } from 'vitest';
import { escapeDnValue, escapeFilterBytes, escapeFilterValue, ldapFilter, rdn, splitDn } from '../../electron/directory/ldap-escape';
import { guidBaseDn, guidToBuffer, guidToString } from '../../electron/directory/guid';
import { parseSyncPasswordsLdif } from '../../electron/directory/password-capture';
import { isNonRoutableSuffix, dnToDnsName } from '../../electron/directory/directory-discovery';
import { toDirectoryError } from '../../electron/directory/directory-errors';
import { normalizeFingerprint } from '../../electron/directory/tls-trust';

describe('LDAP filter escaping', () => {
  it('neutralises filter metacharacters in hostile input', () => {
    expect(escapeFilterValue('*)(objectClass=*')).toBe('\\2a\\29\\28objectClass=\\2a');
    expect(escapeFilterValue('a\\b\u0000c')).toBe('a\\5cb\\00c');
    expect(ldapFilter`(&(sAMAccountName=${'x*)(|(cn=*'})(mail=${'a@b'}))`).toBe('(&(sAMAccountName=x\\2a\\29\\28|\\28cn=\\2a)(mail=a@b))');
  });
  it('keeps non-ASCII characters as UTF-8 text', () => {
    expect(escapeFilterValue('Zoë Müller-Łukasz')).toBe('Zoë Müller-Łukasz');
    expect(escapeFilterBytes(Buffer.from([0x00, 0xff, 0x2a]))).toBe('\\00\\ff\\2a');
  });
});

describe('DN escaping', () => {
  it('escapes RFC 4514 specials, leading/trailing blanks and #', () => {
    expect(escapeDnValue('Müller, Anna (Sales)')).toBe('Müller\\, Anna (Sales)');
    expect(escapeDnValue('a+b="c"<d>;e\\f')).toBe('a\\+b\\=\\"c\\"\\<d\\>\\;e\\\\f');
    expect(escapeDnValue(' #lead trail ')).toBe('\\ #lead trail\\ ');
    expect(escapeDnValue('#x')).toBe('\\#x');
    expect(rdn('CN', 'O\'Brien, Seán')).toBe('CN=O\'Brien\\, Seán');
    expect(() => rdn('CN=x,', 'y')).toThrow();
  });
  it('splits a DN at the first unescaped comma', () => {
    expect(splitDn('CN=Müller\\, Anna,OU=Staff,DC=corp')).toEqual({ rdn: 'CN=Müller\\, Anna', parent: 'OU=Staff,DC=corp' });
    expect(splitDn('DC=corp')).toEqual({ rdn: 'DC=corp', parent: '' });
  });
});

describe('GUIDs', () => {
  it('round-trips AD byte order (mixed endian) to the canonical lowercase string', () => {
    const bytes = Buffer.from('0c5ff5d1a2b3c4d5e6f708090a0b0c0d', 'hex');
    const s = guidToString(bytes);
    expect(s).toBe('d1f55f0c-b3a2-d5c4-e6f7-08090a0b0c0d');
    expect(guidToBuffer(s).equals(bytes)).toBe(true);
    expect(guidToBuffer(s.toUpperCase()).equals(bytes)).toBe(true);
    expect(guidBaseDn(s.toUpperCase())).toBe(`<GUID=${s}>`);
    expect(() => guidBaseDn('x>,CN=evil')).toThrow();
    expect(() => guidToString(Buffer.alloc(15))).toThrow();
  });
});

describe('syncpasswords LDIF', () => {
  it('decodes the cleartext, GUID, pwdLastSet and folded lines', () => {
    const pw = 'Pässwörd!1 with a long tail to force folding in the LDIF output ok';
    const b64 = Buffer.from(pw, 'utf8').toString('base64');
    const ldif = `dn: CN=x,DC=corp\nobjectGUID: 043C9AD0-d2b6-48e8-92f8-f7fc798e292f\npwdLastSet: 134000\nvirtualClearTextUTF8:: ${b64.slice(0, 40)}\n ${b64.slice(40)}\n`;
    expect(parseSyncPasswordsLdif(ldif)).toEqual({ objectGuid: '043c9ad0-d2b6-48e8-92f8-f7fc798e292f', password: pw, pwdLastSet: '134000', deleted: false });
    expect(parseSyncPasswordsLdif('objectGUID: a\nisDeleted: TRUE\n').deleted).toBe(true);
  });
});

describe('discovery helpers', () => {
  it('flags suffixes Microsoft 365 cannot verify', () => {
    for (const s of ['corp.local', 'contoso.lan', 'ad.internal', 'CORP', 'corp.example.test', 'x.localdomain']) expect(isNonRoutableSuffix(s)).toBe(true);
    for (const s of ['contoso.com', 'mail.contoso.co.uk', 'example.org']) expect(isNonRoutableSuffix(s)).toBe(false);
    expect(dnToDnsName('DC=Corp,DC=Example,DC=Test')).toBe('corp.example.test');
  });
});

describe('error mapping', () => {
  const ldapErr = (code: number, message: string) => Object.assign(new Error(message), { code });
  it('maps AD bind sub-codes to admin-readable errors', () => {
    expect(toDirectoryError(ldapErr(49, '80090308: LdapErr: DSID-0C09041C, comment: AcceptSecurityContext error, data 52e, v4563')).code).toBe('invalid-credentials');
    expect(toDirectoryError(ldapErr(49, 'AcceptSecurityContext error, data 533, v893')).code).toBe('account-disabled');
    expect(toDirectoryError(ldapErr(49, 'AcceptSecurityContext error, data 775, v893')).code).toBe('account-locked');
    expect(toDirectoryError(ldapErr(19, '0000052D: Constraint violation')).code).toBe('weak-password');
    expect(toDirectoryError(ldapErr(68, 'exists')).code).toBe('already-exists');
    expect(toDirectoryError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).code).toBe('unreachable');
  });
  it('never copies the raw server text (which could echo input) into the message', () => {
    const e = toDirectoryError(ldapErr(19, '0000052D: secret-looking-input'), 'Setting the password');
    expect(e.message).not.toContain('secret-looking-input');
  });
  it('normalises fingerprints', () => {
    expect(normalizeFingerprint('AB:cd:01')).toBe('abcd01');
  });
});
