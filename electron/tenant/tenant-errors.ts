// Microsoft 365's refusals as AppErrors: the UI and the sync engine branch on `code`, admins read `message` (from
// core/wording), support reads `details`.
import { AppError } from '../core/errors';
import { TENANT_TEXT } from '../core/wording';

/** What went wrong, in the app's terms. */
export type TenantErrorCode =
  | 'upn-conflict' | 'proxy-conflict' | 'immutable-id-conflict' | 'password-policy' | 'no-license-seats'
  | 'usage-location-required' | 'invalid-domain' | 'domain-in-use' | 'domain-not-verified' | 'forbidden' | 'unauthorized'
  | 'throttled' | 'unreachable' | 'not-found' | 'bad-request' | 'consent-declined' | 'wrong-password' | 'not-admin'
  | 'auth-failed' | 'service-error';

/** An error from the tenant with Graph's details kept for support (never secrets). */
export class TenantError extends AppError {
  override name = 'TenantError';
  declare readonly code: TenantErrorCode;
  constructor(
    code: TenantErrorCode,
    message: string,
    readonly details: { status?: number; graphCode?: string; graphMessage?: string; requestId?: string; retryAfterMs?: number } = {},
  ) {
    super(code, message, { retryAfterMs: details.retryAfterMs });
  }
  get status(): number | undefined { return this.details.status; }
  get graphCode(): string | undefined { return this.details.graphCode; }
  get requestId(): string | undefined { return this.details.requestId; }
}

const RULES: { test: RegExp; code: keyof typeof TENANT_TEXT & TenantErrorCode }[] = [
  { test: /same value for property userPrincipalName/i, code: 'upn-conflict' },
  { test: /same value for property proxyAddresses/i, code: 'proxy-conflict' },
  { test: /same value for property onPremisesImmutableId/i, code: 'immutable-id-conflict' },
  { test: /password complexity/i, code: 'password-policy' },
  { test: /does not have any available licenses/i, code: 'no-license-seats' },
  { test: /invalid usage location/i, code: 'usage-location-required' },
  { test: /domain portion of the userPrincipalName/i, code: 'invalid-domain' },
  { test: /has references|dependencies/i, code: 'domain-in-use' },
  { test: /Domain verification failed/i, code: 'domain-not-verified' },
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
  if (status === 429) return new TenantError('throttled', TENANT_TEXT.throttled, d);
  if (status === 401) return new TenantError('unauthorized', TENANT_TEXT.unauthorized, d);
  if (status === 403) return new TenantError('forbidden', TENANT_TEXT.forbidden, d);
  if (status === 404) return new TenantError('not-found', TENANT_TEXT['not-found'], d);
  if (status >= 500) return new TenantError('service-error', `Microsoft 365 reported a temporary error (HTTP ${status}).`, d);
  for (const r of RULES) if (r.test.test(graphMessage)) return new TenantError(r.code, TENANT_TEXT[r.code], d);
  return new TenantError('bad-request', `Microsoft 365 rejected the request: ${graphMessage || `HTTP ${status}`}`, d);
}
