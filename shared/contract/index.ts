import type { z } from 'zod';
import { appEvents, appRequests } from './app';
import { syncEvents, syncRequests } from './sync';
import { tenantEvents, tenantRequests } from './tenant';
import { wizardEvents, wizardRequests } from './wizard';

/**
 * The one API between the core (main process / web server) and the renderer. Every transport —
 * Electron IPC, the web dashboard's HTTP + SSE — is derived from these two maps; nothing re-declares them.
 * Domains add their channels by spreading their own map in here.
 */
export const requestChannels = {
  ...appRequests,
  ...tenantRequests,
  ...wizardRequests,
  ...syncRequests,
} as const;

/** Events pushed from the core to every connected UI. */
export const eventChannels = {
  ...appEvents,
  ...tenantEvents,
  ...wizardEvents,
  ...syncEvents,
} as const;

export type RequestChannels = typeof requestChannels;
export type EventChannels = typeof eventChannels;
export type RequestChannel = keyof RequestChannels;
export type EventChannel = keyof EventChannels;

/** The argument tuple a channel takes (output type after validation). */
export type RequestArgs<C extends RequestChannel> = z.infer<RequestChannels[C]['args']>;
/** The result a channel resolves with. */
export type RequestResult<C extends RequestChannel> = z.infer<RequestChannels[C]['result']>;
/** The payload an event carries. */
export type EventPayload<C extends EventChannel> = z.infer<EventChannels[C]>;

/** The renderer's view of the API: one async function per channel. */
export type Api = { [C in RequestChannel]: (...args: RequestArgs<C>) => Promise<RequestResult<C>> };

/** What the core implements: the same signatures, after argument validation. */
export type Handlers = Api;

/** Guards an untrusted channel name (from IPC or HTTP). */
export function isRequestChannel(name: unknown): name is RequestChannel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(requestChannels, name);
}

/** Guards an untrusted event name. */
export function isEventChannel(name: unknown): name is EventChannel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(eventChannels, name);
}

export * from './define';
export * from './app';
export * from './tenant';
export * from './wizard';
export * from './sync';
