// Typed directory errors with messages a non-expert admin can act on. Raw LDAP errors are mapped here once so the
// wizard, the sync engine and the dashboard never parse `80090308: LdapErr: … data 52e` themselves.
import { AppError } from '../core/errors';

/** Every failure the directory layer reports; the UI switches on `code`. */
export type DirectoryErrorCode =
  | 'invalid-credentials' | 'account-disabled' | 'account-locked' | 'account-expired' | 'password-expired'
  | 'password-must-change' | 'tls-untrusted' | 'tls-name-mismatch' | 'fingerprint-mismatch' | 'unreachable'
  | 'timeout' | 'weak-password' | 'already-exists' | 'not-found' | 'access-denied' | 'strong-auth-required'
  | 'invalid-input' | 'unwilling' | 'protocol';

/** Certificate facts shown to the admin for trust-on-first-use (never secret). */
export interface CertificateInfo {
  fingerprintSha256: string;
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  subjectAltNames: string;
  pem: string;
}

/** Why a class: callers need a stable `code`, optional certificate details, and a safe human message. */
export class DirectoryError extends AppError {
  override name = 'DirectoryError';
  declare readonly code: DirectoryErrorCode;
  constructor(
    code: DirectoryErrorCode,
    message: string,
    readonly details: { certificate?: CertificateInfo; ldapCode?: number; tlsReason?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

const AD_BIND_DATA: Record<string, [DirectoryErrorCode, string]> = {
  '52e': ['invalid-credentials', 'The user name or password is incorrect.'],
  '525': ['invalid-credentials', 'The user name or password is incorrect.'],
  '530': ['access-denied', 'This account may not sign in at this time of day.'],
  '531': ['access-denied', 'This account may not sign in from this computer.'],
  '532': ['password-expired', 'The account\'s password has expired. Set a new password for it in Active Directory.'],
  '533': ['account-disabled', 'The account is disabled. Enable it in Active Directory or use another account.'],
  '701': ['account-expired', 'The account has expired. Extend it in Active Directory or use another account.'],
  '773': ['password-must-change', 'The account must change its password before it can sign in.'],
  '775': ['account-locked', 'The account is locked out after too many wrong passwords. Unlock it or wait, then try again.'],
};

const NET_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE', 'EADDRNOTAVAIL']);

/** Maps anything thrown by ldapts / net / tls to a DirectoryError; `what` names the operation for context. */
export function toDirectoryError(err: unknown, what = 'The directory operation'): DirectoryError {
  if (err instanceof DirectoryError) return err;
  const e = err as { code?: unknown; message?: unknown; name?: unknown };
  const msg = typeof e?.message === 'string' ? e.message : String(err);
  const code = typeof e?.code === 'number' ? e.code : undefined;
  const sysCode = typeof e?.code === 'string' ? e.code : undefined;
  if (code !== undefined) {
    const opts = { cause: err };
    const d = { ldapCode: code };
    switch (code) {
      case 49: {
        const m = /data ([0-9a-f]{3,4})/i.exec(msg);
        const hit = m ? AD_BIND_DATA[m[1]!.toLowerCase()] : undefined;
        return new DirectoryError(hit?.[0] ?? 'invalid-credentials', hit?.[1] ?? 'The user name or password is incorrect.', d, opts);
      }
      case 19:
        if (/0000052D/i.test(msg)) {
          return new DirectoryError('weak-password', 'The password does not meet the domain\'s password policy (length, complexity or history).', d, opts);
        }
        return new DirectoryError('invalid-input', `${what} was refused by a directory constraint.`, d, opts);
      case 68: return new DirectoryError('already-exists', `${what} failed: an object with that name already exists.`, d, opts);
      case 32: return new DirectoryError('not-found', `${what} failed: the object was not found in the directory.`, d, opts);
      case 50: return new DirectoryError('access-denied', `${what} failed: the service account lacks permission.`, d, opts);
      case 8: return new DirectoryError('strong-auth-required', 'The domain controller requires an encrypted connection (LDAPS or StartTLS).', d, opts);
      case 53: return new DirectoryError('unwilling', `${what} was refused by the domain controller.`, d, opts);
      case 21: case 34: case 64: case 65: case 17:
        return new DirectoryError('invalid-input', `${what} failed: a value is not valid for Active Directory.`, d, opts);
      case 3: return new DirectoryError('timeout', `${what} timed out on the domain controller.`, d, opts);
      default: return new DirectoryError('protocol', `${what} failed (LDAP error ${code}).`, d, opts);
    }
  }
  if (sysCode && NET_CODES.has(sysCode)) {
    return new DirectoryError('unreachable', 'The domain controller cannot be reached. Check its address and that it is running.', {}, { cause: err });
  }
  if (sysCode === 'ETIMEDOUT' || /timeout|timed out/i.test(msg)) {
    return new DirectoryError('unreachable', 'The domain controller did not answer in time.', {}, { cause: err });
  }
  if (/socket|connection|closed/i.test(msg)) {
    return new DirectoryError('unreachable', 'The connection to the domain controller was lost.', {}, { cause: err });
  }
  return new DirectoryError('protocol', `${what} failed unexpectedly.`, {}, { cause: err });
}
