import { toApiError } from '../../stores/remote-value';

/** An account an action failed for, and the core's reason. */
export interface AccountFailure {
  name: string;
  reason: string;
}

/** What an action did across the selected accounts. */
export interface BulkOutcome {
  ok: number;
  failures: AccountFailure[];
}

/**
 * Runs a one-account call for each account, a few at a time, and never stops at the first failure: every
 * failure is kept with the account's name and the reason (an ApiError's message, or `ok: false`'s message).
 */
export async function runPerAccount<T>(
  items: readonly T[],
  nameOf: (item: T) => string,
  call: (item: T) => Promise<{ ok: boolean; message: string }>,
  concurrency = 4,
): Promise<BulkOutcome> {
  const failures: { index: number; failure: AccountFailure }[] = [];
  let ok = 0;
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      const item = items[index] as T;
      try {
        const result = await call(item);
        if (result.ok) ok += 1;
        else failures.push({ index, failure: { name: nameOf(item), reason: result.message } });
      } catch (error) {
        failures.push({ index, failure: { name: nameOf(item), reason: toApiError(error).message } });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return { ok, failures: failures.sort((a, b) => a.index - b.index).map((f) => f.failure) };
}
