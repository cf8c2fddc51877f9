// Typed DNS errors with messages an admin can act on. nsupdate's, kinit's, samba-tool's and c-ares' raw outputs are
// mapped here once so the wizard never parses `NOTAUTH(BADSIG)` itself. A DnsError is an AppError (core/errors.ts).
import { AppError } from '../core/errors';

/** Every failure the DNS layer reports; the wizard switches on `code`. */
export type DnsErrorCode =
  | 'invalid-name' // a domain or record name the DNS can't hold
  | 'invalid-record' // a record (from Graph or the plan) that is malformed or outside the zone
  | 'invalid-key' // a TSIG key name, algorithm or secret that isn't well-formed
  | 'bad-key' // the server rejected the TSIG signature or doesn't know the key
  | 'not-authorized' // signed/authenticated correctly, but not allowed to change this zone
  | 'zone-not-found' // the server isn't authoritative for the zone, or the DC doesn't hold it
  | 'bad-credentials' // Kerberos refused the directory account or password
  | 'unreachable' // the server didn't answer (refused, timed out, name not found)
  | 'readback-mismatch' // the server accepted the change, yet doesn't serve it (rolled back)
  | 'tool-missing' // nsupdate / kinit / samba-tool isn't installed
  | 'failed'; // anything else, with the tool's own words in details

/** Why a class: callers need a stable `code`, a safe message, and (for support) the tool's output without secrets. */
export class DnsError extends AppError {
  override name = 'DnsError';
  declare readonly code: DnsErrorCode;
  constructor(
    code: DnsErrorCode,
    message: string,
    readonly details: { output?: string; rcode?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}
