import type { EventPayload, RequestResult } from '../../../../shared/contract';

// The Users page's types, derived from the sync channels themselves so a renamed schema export in
// shared/contract/sync.ts never breaks the page — only a changed channel shape does (as it should).

/** One directory user with its online-account state (a row of `sync:list-accounts`). */
export type AccountRow = RequestResult<'sync:list-accounts'>['rows'][number];
/** What a started run reports. */
export type RunOutcome = RequestResult<'sync:run-now'>;
/** A dry run: counts and the first named items. */
export type SyncPreview = RequestResult<'sync:preview'>;
/** An online account that may belong to a directory user. */
export type LinkCandidate = RequestResult<'sync:find-matches'>[number];
/** The engine's status. */
export type SyncStatus = RequestResult<'sync:get-status'>;
/** Progress of the run in flight. */
export type SyncProgress = EventPayload<'sync:progress'>;
