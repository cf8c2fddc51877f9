import type { EventMap, RequestMap } from './define';

/** `sync:*` channels (filled in by the sync work). */
export const syncRequests = {} satisfies RequestMap;

/** `sync:*` events. */
export const syncEvents = {} satisfies EventMap;
