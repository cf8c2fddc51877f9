import { describe, expect, it } from 'vitest';
import { createSenderCheck, forwardEvents, registerIpcHandlers, type IpcMainLike } from '../../electron/app/ipc-main';
import { EventBus } from '../../electron/core/event-bus';
import { requestChannels, type Handlers } from '../../shared/contract';

type Listener = (event: unknown, ...args: unknown[]) => Promise<unknown>;

function fakeIpcMain() {
  const handlers = new Map<string, Listener>();
  const ipc: IpcMainLike = {
    handle: (channel: string, listener: unknown) => void handlers.set(channel, listener as Listener),
    removeHandler: (channel: string) => void handlers.delete(channel),
  } as IpcMainLike;
  return { ipc, handlers };
}

const handlers = {
  'app:get-info': async () => ({ productName: 'OpenEssentials', version: '1', mode: 'electron', serverName: 'DC1', integrated: false }),
  'sync:get-status': async () => ({ state: 'idle', lastRunAt: null, lastError: null, pending: 0, message: 'ok', firstRunDone: true, pendingDeletes: [], lastRunId: null }),
  'app:open-external': async () => ({ allowed: true, opened: true }),
} as unknown as Handlers;

const ours = { id: 7 };
const trusted = { sender: { id: 7 }, senderFrame: { url: 'app://dashboard/index.html', parent: null } };

describe('IPC wiring in main', () => {
  const check = createSenderCheck('app://dashboard', () => [ours]);

  it('registers exactly one handler per contract channel, and removes them', () => {
    const { ipc, handlers: registered } = fakeIpcMain();
    const dispose = registerIpcHandlers(ipc, handlers, check);
    expect([...registered.keys()].sort()).toEqual(Object.keys(requestChannels).sort());
    dispose();
    expect(registered.size).toBe(0);
  });

  it('answers a trusted sender through the contract', async () => {
    const { ipc, handlers: registered } = fakeIpcMain();
    registerIpcHandlers(ipc, handlers, check);
    const out = await registered.get('app:get-info')!(trusted);
    expect(out).toMatchObject({ ok: true, result: { serverName: 'DC1' } });
  });

  it('refuses senders that are not our top frame on our origin', async () => {
    const { ipc, handlers: registered } = fakeIpcMain();
    registerIpcHandlers(ipc, handlers, check);
    const call = registered.get('app:get-info')!;
    for (const event of [
      { sender: { id: 7 }, senderFrame: { url: 'https://evil.example/', parent: null } },
      { sender: { id: 7 }, senderFrame: { url: 'app://dashboard/x', parent: {} } },
      { sender: { id: 99 }, senderFrame: { url: 'app://dashboard/', parent: null } },
      { sender: { id: 7 }, senderFrame: null },
    ]) {
      expect(await call(event)).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden' }) });
    }
  });

  it('validates every argument before the handler sees it', async () => {
    const { ipc, handlers: registered } = fakeIpcMain();
    registerIpcHandlers(ipc, handlers, check);
    const out = await registered.get('app:open-external')!(trusted, { toString: 'evil' });
    expect(out).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });

  it('forwards core events to live windows only', () => {
    const bus = new EventBus();
    const sent: Array<[string, unknown]> = [];
    const live = { isDestroyed: () => false, send: (c: string, p: unknown) => void sent.push([c, p]) };
    const dead = { isDestroyed: () => true, send: () => { throw new Error('sent to a destroyed window'); } };
    forwardEvents(bus, () => [live, dead]);
    const status = { state: 'running' as const, lastRunAt: null, lastError: null, pending: 3, message: 'Syncing', firstRunDone: true, pendingDeletes: [], lastRunId: null };
    bus.emit('sync:status-changed', status);
    expect(sent).toEqual([['sync:status-changed', status]]);
  });
});
