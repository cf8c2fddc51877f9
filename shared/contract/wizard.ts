import type { EventMap, RequestMap } from './define';

/** `wizard:*` channels (filled in by the wizard work). */
export const wizardRequests = {} satisfies RequestMap;

/** `wizard:*` events. */
export const wizardEvents = {} satisfies EventMap;
