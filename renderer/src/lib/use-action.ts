import { useCallback, useState } from 'react';
import type { ApiError } from '../transport/api';
import { toApiError } from '../stores/remote-value';

/** State of a button's call to the core: busy while running, the error to show afterwards. */
export interface ActionState {
  busy: boolean;
  error: ApiError | null;
  run(action: () => Promise<void>): void;
  dismiss(): void;
}

/** Runs a call for a button and keeps its failure for a MessageBar, so no error is ever swallowed. */
export function useAction(): ActionState {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = useCallback((action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    action()
      .catch((e: unknown) => setError(toApiError(e)))
      .finally(() => setBusy(false));
  }, []);
  const dismiss = useCallback(() => setError(null), []);
  return { busy, error, run, dismiss };
}
