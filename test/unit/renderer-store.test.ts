import { describe, expect, it, vi } from 'vitest';
import { createStore } from '../../renderer/src/stores/create-store';
import { toApiError } from '../../renderer/src/stores/remote-value';
import { ApiError } from '../../renderer/src/transport/api';

describe('renderer createStore', () => {
  it('notifies subscribers on change only, and stops after unsubscribe', () => {
    const store = createStore({ n: 1 });
    const listener = vi.fn();
    const off = store.subscribe(listener);
    const same = store.get();
    store.set(same);
    expect(listener).not.toHaveBeenCalled();
    store.set((c) => ({ n: c.n + 1 }));
    expect(store.get()).toEqual({ n: 2 });
    expect(listener).toHaveBeenCalledTimes(1);
    off();
    store.set({ n: 3 });
    expect(listener).toHaveBeenCalledTimes(1);
  });
});

describe('renderer toApiError', () => {
  it('keeps ApiErrors and wraps anything else with a code', () => {
    const original = new ApiError('forbidden', 'No.');
    expect(toApiError(original)).toBe(original);
    expect(toApiError(new Error('boom'))).toMatchObject({ code: 'unexpected', message: 'boom' });
    expect(toApiError('text')).toMatchObject({ code: 'unexpected', message: 'text' });
  });
});
