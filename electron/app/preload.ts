import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { BRIDGE_GLOBAL, type Bridge, type InvokeOutcome } from '../../shared/bridge';
import { eventChannels, isRequestChannel } from '../../shared/contract';

// The preload exposes exactly one global, `openEssentials`, derived from the contract: calls only to
// contract channels, events only from contract channels. No Node or Electron object reaches the page.
const bridge: Bridge = {
  kind: 'electron',
  invoke(channel: string, args: unknown[]): Promise<InvokeOutcome> {
    if (!isRequestChannel(channel)) {
      return Promise.resolve({ ok: false, error: { code: 'invalid-request', message: `Unknown channel ${String(channel).slice(0, 60)}`, retryable: false } });
    }
    return ipcRenderer.invoke(channel, ...(Array.isArray(args) ? args : []));
  },
  subscribe(listener) {
    const handlers = Object.keys(eventChannels).map((channel) => {
      const h = (_e: IpcRendererEvent, payload: unknown): void => listener(channel, payload);
      ipcRenderer.on(channel, h);
      return [channel, h] as const;
    });
    return () => handlers.forEach(([c, h]) => ipcRenderer.removeListener(c, h));
  },
};

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);
