// The one error taxonomy: every failure the core raises on purpose is an AppError with a stable `code` (the UI, the
// wizards and the sync engine branch on it), a `message` an admin can act on, and whether trying again later may
// succeed. Layers add details by extending it (TenantError, DirectoryError); nothing else is thrown on purpose.
import type { WireError } from '../../shared/bridge';
import { ContractError } from '../../shared/contract/validate';
import { redact } from './redact';

/** Codes that mean "not now": the service, the network or a sign-in may work on a later try. */
const RETRYABLE_CODES = new Set<string>(['unreachable', 'timeout', 'throttled', 'service-error', 'unauthorized', 'auth-failed', 'waiting']);

/** Why a class: callers need `code` and `retryable` without parsing text, and `message` is always safe to show. */
export class AppError extends Error {
  override name = 'AppError';
  readonly retryable: boolean;
  /** How long the other side asked us to wait (throttling), when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(readonly code: string, message: string, options: { retryable?: boolean; retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = options.retryable ?? RETRYABLE_CODES.has(code);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Whether a failed operation should be tried again later: AppErrors say so; anything unexpected gets the benefit of the doubt. */
export function isRetryable(error: unknown): boolean {
  return error instanceof AppError ? error.retryable : true;
}

/** The code of any thrown value (`internal` for what nobody raised on purpose). */
export function errorCode(error: unknown): string {
  if (error instanceof AppError) return error.code;
  if (error instanceof ContractError) return 'invalid-request';
  return 'internal';
}

/**
 * Turns any thrown value into what crosses to a UI (IPC, HTTP, a wizard page, the Office 365 page): code, redacted
 * message, retryable — never a stack trace or a secret. Unexpected errors keep their message only when it is a plain
 * sentence (the core's own libraries); a raw object becomes "Something went wrong."
 */
export function toWireError(error: unknown): WireError {
  if (error instanceof AppError) return { code: error.code, message: redact(error.message), retryable: error.retryable };
  if (error instanceof ContractError) return { code: 'invalid-request', message: redact(error.message), retryable: false };
  const message = error instanceof Error && error.message ? error.message : 'Something went wrong.';
  return { code: 'internal', message: redact(message), retryable: false };
}

/** A wizard action sent for a page that isn't the current one (a stale or forged request). */
export function wrongStep(): AppError {
  return new AppError('wrong-step', 'That action does not belong to this page. Reload the wizard.');
}
