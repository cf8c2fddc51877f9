import type { EventMap, RequestMap } from './define';

/** `tenant:*` channels (filled in by the tenant work). */
export const tenantRequests = {} satisfies RequestMap;

/** `tenant:*` events. */
export const tenantEvents = {} satisfies EventMap;
