import { z } from 'zod';
import { Ok, request, type EventMap, type RequestMap } from './define';

const Guid = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'Not a directory object id.');

/** Where the sync stands, in one word (the status area's icon and colour). */
export const SyncState = z.enum(['not-configured', 'idle', 'running', 'paused', 'error']);
export type SyncState = z.infer<typeof SyncState>;

/** The sync's status, computed in one place in the core and pushed as `sync:status-changed` to every UI. */
export const SyncStatus = z.object({
  state: SyncState,
  message: z.string(),
  lastRunAt: z.string().nullable(),
  lastError: z.string().nullable(),
  pending: z.number().int().nonnegative(),
  /** False until the admin has previewed and run the first full sync; background sync waits for it. */
  firstRunDone: z.boolean(),
  /** Deletes waiting for the admin (over the threshold), with names. */
  pendingDeletes: z.array(z.object({ objectGuid: z.string(), displayName: z.string(), userPrincipalName: z.string() })),
  lastRunId: z.number().int().nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

/** The part of the status the tray and the status area show. */
export const SyncHealth = SyncStatus.pick({ state: true, message: true, lastRunAt: true, lastError: true, pending: true });
export type SyncHealth = z.infer<typeof SyncHealth>;

/** One line of a dry run: what would happen to whom. */
export const SyncPlanItem = z.object({
  objectGuid: z.string(),
  action: z.enum(['create', 'update', 'enable', 'disable', 'delete', 'hold-delete', 'skip']),
  name: z.string(),
  userPrincipalName: z.string(),
  detail: z.string(),
});
export type SyncPlanItem = z.infer<typeof SyncPlanItem>;

/** A dry run. `items` is capped (first 1,000); `counts` covers everything. */
export const SyncPreview = z.object({
  token: z.string(),
  counts: z.object({ creates: z.number(), updates: z.number(), enables: z.number(), disables: z.number(), deletes: z.number(), heldDeletes: z.number(), skipped: z.number() }),
  items: z.array(SyncPlanItem),
  truncated: z.boolean(),
});
export type SyncPreview = z.infer<typeof SyncPreview>;

/** What a started run reports back (its per-account results come from `sync:get-results`). */
export const RunOutcome = z.object({
  started: z.boolean(),
  refused: z.string().optional(),
  runId: z.number().int().optional(),
  ok: z.number().int().default(0),
  failed: z.number().int().default(0),
  paused: z.boolean().default(false),
});
export type RunOutcome = z.infer<typeof RunOutcome>;

/** A directory user with its online-account state (one row of the Users page). */
export const AccountRow = z.object({
  objectGuid: z.string(), displayName: z.string(), sAMAccountName: z.string(), directoryUpn: z.string().nullable(), enabled: z.boolean(),
  onlineId: z.string().nullable(), onlineUpn: z.string().nullable(), passwordSyncedAt: z.string().nullable(),
  pending: z.number().int(), issue: z.string().nullable(), deleteHold: z.boolean(),
});
export type AccountRow = z.infer<typeof AccountRow>;

/** Which accounts the Users page lists. */
export const AccountFilter = z.enum(['all', 'online', 'not-online', 'issues']);
export type AccountFilter = z.infer<typeof AccountFilter>;

/** One page of the accounts list; server-side search and filter keep 10,000 users smooth. */
export const AccountQuery = z.object({
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(100),
  search: z.string().max(200).optional(),
  filter: AccountFilter.default('all'),
});
export type AccountQuery = z.infer<typeof AccountQuery>;

/** An online account that may belong to a directory user (for the side-by-side link step). */
export const LinkCandidate = z.object({
  onlineId: z.string(), userPrincipalName: z.string(), displayName: z.string(), matchedBy: z.enum(['upn', 'mail']),
  /** Already anchored to a different directory object: linking is refused. */
  anchoredElsewhere: z.boolean(),
});
export type LinkCandidate = z.infer<typeof LinkCandidate>;

/** Result of a one-account action, in plain words. */
export const ActionResult = z.object({ ok: z.boolean(), message: z.string() });
export type ActionResult = z.infer<typeof ActionResult>;

/** One account's outcome in a run (also a line of the CSV results file). */
export const ResultLine = z.object({ objectGuid: z.string(), name: z.string(), upn: z.string(), action: z.string(), outcome: z.enum(['ok', 'failed', 'skipped']), reason: z.string(), at: z.string() });
/** A run and its per-account outcomes (latest run when no id is given). */
export const RunResults = z.object({
  run: z.object({ id: z.number().int(), kind: z.string(), startedAt: z.string(), finishedAt: z.string().nullable(), ok: z.number().int(), failed: z.number().int(), skipped: z.number().int(), resultsFile: z.string().nullable() }).nullable(),
  rows: z.array(ResultLine),
});

/** Progress of a running bulk operation. */
export const SyncProgress = z.object({ runId: z.number().int().nullable(), done: z.number().int(), failed: z.number().int(), pending: z.number().int() });

/** `sync:*` channels: the Users page and the status area are built directly on these. */
export const syncRequests = {
  'sync:get-status': request(z.tuple([]), SyncStatus),
  'sync:preview': request(z.tuple([]), SyncPreview),
  'sync:run-now': request(z.tuple([z.object({ previewToken: z.string().max(64).optional() }).default({})]), RunOutcome),
  'sync:approve-deletes': request(z.tuple([z.array(Guid).max(100_000)]), RunOutcome),
  'sync:reject-deletes': request(z.tuple([z.array(Guid).max(100_000).optional()]), Ok),
  'sync:list-accounts': request(z.tuple([AccountQuery]), z.object({ total: z.number().int(), rows: z.array(AccountRow) })),
  'sync:add-online-accounts': request(z.tuple([z.object({ guids: z.array(Guid).min(1).max(100_000), dryRun: z.boolean() })]), z.object({ preview: SyncPreview.optional(), outcome: RunOutcome.optional() })),
  'sync:find-matches': request(z.tuple([Guid]), z.array(LinkCandidate)),
  'sync:link-account': request(z.tuple([z.object({ objectGuid: Guid, onlineId: z.string().min(1).max(100) })]), ActionResult),
  'sync:reset-password': request(z.tuple([z.object({ objectGuid: Guid, password: z.string().min(1).max(256), mustChange: z.boolean().default(false) })]), ActionResult),
  'sync:deactivate-account': request(z.tuple([z.object({ objectGuid: Guid })]), ActionResult),
  'sync:remove-account': request(z.tuple([z.object({ objectGuid: Guid, dryRun: z.boolean() })]), ActionResult),
  'sync:get-results': request(z.tuple([z.number().int().optional()]), RunResults),
} satisfies RequestMap;

/** `sync:*` events. */
export const syncEvents = {
  'sync:status-changed': SyncStatus,
  'sync:progress': SyncProgress,
} satisfies EventMap;
