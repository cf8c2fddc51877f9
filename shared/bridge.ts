/**
 * The one low-level surface both transports implement (the Electron preload and the web dashboard's
 * HTTP + SSE client). The typed `Api` is derived from it in the renderer; nothing else crosses the boundary.
 */
export interface WireError {
  code: string;
  message: string;
  /** Trying again later may succeed (the service was unreachable, busy or throttling). */
  retryable: boolean;
}

/** Calls never reject across the boundary (Electron IPC drops error properties); they resolve to an outcome. */
export type InvokeOutcome = { ok: true; result: unknown } | { ok: false; error: WireError };

/** What `window.openEssentials` (preload) and the web client both provide. */
export interface Bridge {
  readonly kind: 'electron' | 'web';
  invoke(channel: string, args: unknown[]): Promise<InvokeOutcome>;
  subscribe(listener: (channel: string, payload: unknown) => void): () => void;
}

/** Name of the global the preload exposes. */
export const BRIDGE_GLOBAL = 'openEssentials';
