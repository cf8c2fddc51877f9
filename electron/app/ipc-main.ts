import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { eventChannels, requestChannels, type EventChannel, type Handlers } from '../../shared/contract';
import { invokeOutcome } from '../core/dispatch';
import type { EventBus } from '../core/event-bus';

/** The part of ipcMain we use; a fake of it is enough to test the wiring under plain Node. */
export type IpcMainLike = Pick<IpcMain, 'handle' | 'removeHandler'>;

/** Decides whether an IPC message comes from a frame the app created (GitHub Desktop's trusted-sender rule). */
export type SenderCheck = (event: Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>) => boolean;

/** Trusts only the main frame of our own windows showing our own `app://` origin. */
export function createSenderCheck(trustedOrigin: string, ownWebContents: () => readonly Pick<WebContents, 'id'>[]): SenderCheck {
  return (event) => {
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null) return false;
    return originOf(frame.url) === trustedOrigin && ownWebContents().some((w) => w.id === event.sender.id);
  };
}

/** scheme://host of a URL; `URL.origin` is "null" for custom schemes outside Electron. */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return null;
  }
}

/**
 * Registers one `ipcMain.handle` per contract channel, derived from the contract (never listed by hand).
 * Each call is sender-checked, then validated and dispatched like any web request.
 */
export function registerIpcHandlers(ipc: IpcMainLike, handlers: Handlers, isTrusted: SenderCheck): () => void {
  const channels = Object.keys(requestChannels);
  for (const channel of channels) {
    ipc.handle(channel, async (event, ...args: unknown[]) => {
      if (!isTrusted(event)) return { ok: false, error: { code: 'forbidden', message: 'This window may not call the dashboard API.' } };
      return invokeOutcome(handlers, channel, args);
    });
  }
  return () => channels.forEach((c) => ipc.removeHandler(c));
}

/** Forwards every core event to the given windows, on the event's own channel name. */
export function forwardEvents(events: EventBus, targets: () => readonly Pick<WebContents, 'send' | 'isDestroyed'>[]): () => void {
  return events.subscribe((channel: EventChannel, payload) => {
    if (!(channel in eventChannels)) return;
    for (const t of targets()) if (!t.isDestroyed()) t.send(channel, payload);
  });
}
