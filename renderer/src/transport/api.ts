import { BRIDGE_GLOBAL, type Bridge } from '../../../shared/bridge';
import { isEventChannel, requestChannels, type Api, type EventChannel, type EventPayload } from '../../../shared/contract';
import { createWebBridge } from './web-bridge';

/** A failed call, with the core's stable code and its admin-readable message. */
export class ApiError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Picks the transport at start: the Electron preload's global when present, else the web dashboard's. */
export function pickBridge(): Bridge {
  const injected = (globalThis as Record<string, unknown>)[BRIDGE_GLOBAL] as Bridge | undefined;
  return injected ?? createWebBridge();
}

/** Derives the typed Api (one async function per contract channel) from a Bridge. */
export function createApi(bridge: Bridge): Api {
  const api = {} as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const channel of Object.keys(requestChannels)) {
    api[channel] = async (...args: unknown[]) => {
      const outcome = await bridge.invoke(channel, args);
      if (!outcome.ok) throw new ApiError(outcome.error.code, outcome.error.message);
      return outcome.result;
    };
  }
  return api as unknown as Api;
}

/** Subscribes to one event channel with a typed payload. */
export function onEvent<C extends EventChannel>(bridge: Bridge, channel: C, listener: (payload: EventPayload<C>) => void): () => void {
  return bridge.subscribe((name, payload) => {
    if (isEventChannel(name) && name === channel) listener(payload as EventPayload<C>);
  });
}

/** The app-wide bridge and API (one per page load). */
export const bridge = pickBridge();
export const api = createApi(bridge);
