import { beforeAll, describe, expect, it, vi } from 'vitest';
import { eventChannels } from '../../shared/contract';

const exposed: Record<string, unknown> = {};
const invoke = vi.fn(async () => ({ ok: true, result: 'x' }));
const on = vi.fn();
const removeListener = vi.fn();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void (exposed[key] = api) },
  ipcRenderer: { invoke, on, removeListener },
}));

describe('the preload', () => {
  beforeAll(async () => {
    await import('../../electron/app/preload');
  });

  it('exposes exactly one global with only invoke, subscribe and kind', () => {
    expect(Object.keys(exposed)).toEqual(['openEssentials']);
    expect(Object.keys(exposed.openEssentials as object).sort()).toEqual(['invoke', 'kind', 'subscribe']);
  });

  it('forwards contract channels and refuses others without touching IPC', async () => {
    const bridge = exposed.openEssentials as { invoke(c: string, a: unknown[]): Promise<unknown> };
    await expect(bridge.invoke('app:get-info', [])).resolves.toEqual({ ok: true, result: 'x' });
    expect(invoke).toHaveBeenCalledWith('app:get-info');
    invoke.mockClear();
    await expect(bridge.invoke('shell:open', ['/etc/passwd'])).resolves.toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    expect(invoke).not.toHaveBeenCalled();
  });

  it('subscribes to every contract event channel and unsubscribes them all', () => {
    const bridge = exposed.openEssentials as { subscribe(l: () => void): () => void };
    const off = bridge.subscribe(() => undefined);
    expect(on.mock.calls.map((c) => c[0]).sort()).toEqual(Object.keys(eventChannels).sort());
    off();
    expect(removeListener).toHaveBeenCalledTimes(Object.keys(eventChannels).length);
  });
});
