import type { EventMap, RequestMap } from './define';

/** `directory:*` channels (filled in by the directory work). */
export const directoryRequests = {} satisfies RequestMap;

/** `directory:*` events. */
export const directoryEvents = {} satisfies EventMap;
