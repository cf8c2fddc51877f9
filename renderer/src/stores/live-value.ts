import { useEffect } from 'react';
import type { EventChannel, EventPayload, RequestArgs, RequestChannel, RequestResult } from '../../../shared/contract';
import { api, bridge, onEvent } from '../transport/api';
import { createStore, useStore, type Store } from './create-store';
import { LOADING, toApiError, type RemoteValue } from './remote-value';

/** A value the core owns: fetched with a request channel, kept live by an event channel. */
export interface LiveValue<T> {
  readonly store: Store<RemoteValue<T>>;
  /** Fetches now (and starts following the event on first use); safe to call again to retry after an error. */
  load(): Promise<void>;
  /** A newer value the core returned from another call (e.g. the wizard state after a submit): kept if `accept` agrees. */
  offer(value: T): void;
  /** The value in a component (loads it on first use, or on every mount with `refetchOnMount`). */
  use(): RemoteValue<T>;
}

/** How an event relates to the value: it is the new value, or it only says "fetch again". */
export type EventMeaning<R extends RequestChannel, E extends EventChannel> = (payload: EventPayload<E>) => RequestResult<R> | 'refetch';

/**
 * The one fetch-then-follow helper. Ordering is guarded by a sequence number: a reply is kept only if nothing newer
 * (a push, or a later fetch) arrived since its request left, so a slow reply never overwrites a newer pushed state.
 * `accept` can veto a value (e.g. the wizard's epoch/rev ordering).
 */
export function createLiveValue<R extends RequestChannel, E extends EventChannel>(
  request: R,
  event: E,
  options: {
    meaning?: EventMeaning<R, E>;
    args?: () => RequestArgs<R>;
    accept?: (current: RequestResult<R> | null, next: RequestResult<R>) => boolean;
    /** Fetch again whenever a component using it mounts (a page's data that isn't pushed). */
    refetchOnMount?: boolean;
  } = {},
): LiveValue<RequestResult<R>> {
  type T = RequestResult<R>;
  const store = createStore<RemoteValue<T>>(LOADING);
  let seq = 0;
  let following = false;
  const set = (value: T): void => {
    if (options.accept && !options.accept(store.get().value, value)) return;
    store.set({ status: 'ready', value, error: null });
  };
  const load = async (): Promise<void> => {
    if (!following) {
      following = true;
      onEvent(bridge, event, (payload) => {
        const meaning = options.meaning ? options.meaning(payload) : (payload as unknown as T);
        if (meaning === 'refetch') {
          void load();
          return;
        }
        seq += 1;
        set(meaning);
      });
    }
    const mine = ++seq;
    try {
      const call = api[request] as (...a: unknown[]) => Promise<T>;
      const value = await call(...((options.args?.() ?? []) as unknown[]));
      if (seq === mine) set(value);
    } catch (error) {
      if (seq === mine) store.set((current) => ({ status: 'error', value: current.value, error: toApiError(error) }));
    }
  };
  let started = false;
  return {
    store,
    load,
    offer(value) {
      seq += 1;
      set(value);
    },
    use() {
      useEffect(() => {
        if (started && !options.refetchOnMount) return;
        started = true;
        void load();
      }, []);
      return useStore(store);
    },
  };
}
