// Typed errors: the UI and the sync engine branch on `code`, admins read `message`.

/** What went wrong, in the app's terms. */
export type TenantErrorCode =
  | 'upn-conflict' | 'proxy-conflict' | 'immutable-id-conflict' | 'password-policy' | 'no-license-seats'
  | 'usage-location-required' | 'invalid-domain' | 'domain-in-use' | 'domain-not-verified' | 'forbidden' | 'unauthorized'
  | 'throttled' | 'unreachable' | 'not-found' | 'bad-request' | 'consent-declined' | 'wrong-password' | 'not-admin'
  | 'auth-failed' | 'service-error';

/** An error from the tenant with Graph's details kept for support (never secrets). */
export class TenantError extends Error {
  override readonly name = 'TenantError';
  constructor(
    readonly code: TenantErrorCode,
    message: string,
    readonly details: { status?: number; graphCode?: string; graphMessage?: string; requestId?: string; retryAfterMs?: number } = {},
  ) {
    super(message);
  }
  get status(): number | undefined { return this.details.status; }
  get graphCode(): string | undefined { return this.details.graphCode; }
  get requestId(): string | undefined { return this.details.requestId; }
}

const RULES: { test: RegExp; code: TenantErrorCode; message: string }[] = [
  { test: /same value for property userPrincipalName/i, code: 'upn-conflict', message: 'An online account with this user name already exists.' },
  { test: /same value for property proxyAddresses/i, code: 'proxy-conflict', message: 'Another online account already uses one of this account\'s email addresses.' },
  { test: /same value for property onPremisesImmutableId/i, code: 'immutable-id-conflict', message: 'Another online account is already linked to this directory user.' },
  { test: /password complexity/i, code: 'password-policy', message: 'The password does not meet Microsoft 365\'s password requirements.' },
  { test: /does not have any available licenses/i, code: 'no-license-seats', message: 'There are no free licenses left in this subscription.' },
  { test: /invalid usage location/i, code: 'usage-location-required', message: 'Set the user\'s location before assigning a license.' },
  { test: /domain portion of the userPrincipalName/i, code: 'invalid-domain', message: 'The user name must use one of the organization\'s verified domains.' },
  { test: /has references|dependencies/i, code: 'domain-in-use', message: 'The domain is still used by accounts and cannot be removed.' },
  { test: /Domain verification failed/i, code: 'domain-not-verified', message: 'Microsoft 365 could not find the verification record in DNS yet.' },
];

/** Parse a Graph error body (string or object) into code + message. */
export function parseGraphErrorBody(body: unknown): { code?: string; message?: string } {
  let b = body;
  if (typeof b === 'string') { try { b = JSON.parse(b); } catch { return {}; } }
  const e = (b as { error?: { code?: string; message?: string } } | undefined)?.error;
  return { code: e?.code, message: e?.message };
}

/** Map an HTTP status + Graph error to a TenantError. */
export function toTenantError(status: number, body: unknown, requestId?: string, retryAfterMs?: number): TenantError {
  const { code: graphCode, message: graphMessage = '' } = parseGraphErrorBody(body);
  const d = { status, graphCode, graphMessage, requestId, retryAfterMs };
  if (status === 429) return new TenantError('throttled', 'Microsoft 365 is limiting requests; the operation will be retried later.', d);
  if (status === 401) return new TenantError('unauthorized', 'Microsoft 365 did not accept the app\'s sign-in.', d);
  if (status === 403) return new TenantError('forbidden', 'The app is not allowed to do this in Microsoft 365. Re-run the Integrate wizard to grant permissions.', d);
  if (status === 404) return new TenantError('not-found', 'The object was not found in Microsoft 365.', d);
  if (status >= 500) return new TenantError('service-error', `Microsoft 365 reported a temporary error (HTTP ${status}).`, d);
  for (const r of RULES) if (r.test.test(graphMessage)) return new TenantError(r.code, r.message, d);
  return new TenantError('bad-request', `Microsoft 365 rejected the request: ${graphMessage || `HTTP ${status}`}`, d);
}
