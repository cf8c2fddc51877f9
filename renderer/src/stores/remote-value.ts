import { ApiError } from '../transport/api';

/** A value fetched from the core: loading, loaded, or failed with the core's error code and message. */
export type RemoteValue<T> =
  | { status: 'loading'; value: null; error: null }
  | { status: 'ready'; value: T; error: null }
  | { status: 'error'; value: T | null; error: ApiError };

/** The initial state of every remote value. */
export const LOADING: RemoteValue<never> = { status: 'loading', value: null, error: null };

/** Turns anything thrown by a call into an ApiError, so the UI always has a code and a message to show. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError('unexpected', message || 'Something went wrong.');
}
