import type { Bridge, InvokeOutcome } from '../../../shared/bridge';

/**
 * The web dashboard's Bridge: POST /api/invoke/<channel> for calls and one EventSource for events.
 * The session cookie (HttpOnly, SameSite=Strict) authenticates both; nothing secret lives in JS.
 */
export function createWebBridge(base = ''): Bridge {
  const listeners = new Set<(channel: string, payload: unknown) => void>();
  let source: EventSource | null = null;

  const connect = (): void => {
    if (source) return;
    source = new EventSource(`${base}/api/events`);
    source.onmessage = (e: MessageEvent<string>) => {
      const { channel, payload } = JSON.parse(e.data) as { channel: string; payload: unknown };
      for (const l of listeners) l(channel, payload);
    };
  };

  return {
    kind: 'web',
    async invoke(channel, args): Promise<InvokeOutcome> {
      try {
        const res = await fetch(`${base}/api/invoke/${channel}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ args }),
          credentials: 'same-origin',
        });
        const body = (await res.json()) as InvokeOutcome | { error: { code: string; message: string; retryable?: boolean } };
        if ('ok' in body) return body;
        return { ok: false, error: { ...body.error, retryable: body.error.retryable ?? false } };
      } catch {
        return { ok: false, error: { code: 'disconnected', message: 'The dashboard lost its connection to the server. Is the OpenEssentials service running?', retryable: true } };
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      connect();
      return () => listeners.delete(listener);
    },
  };
}
