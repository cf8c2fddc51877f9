import type { RequestResult, SyncStatus, syncRequests } from '../../shared/contract';
import type { CoreContext } from '../core/core-context';
import { AppError } from '../core/errors';
import type { Feature } from '../core/feature';
import { defaultPorts } from './default-ports';
import { planToken, type RunReport } from './engine';
import { toPreview } from './preview';
import type { ResultRow, SyncStore } from './state-store';
import { SyncRuntime, type PortsFactory } from './sync-runtime';

// The `sync:*` channels over the runtime: each handler asks the engine to do the work (under its serialisation) and
// shapes the answer. Handlers validate nothing themselves (the transport already did) and never put a password in a
// result, event, log line or audit entry.

type Outcome = RequestResult<'sync:run-now'>;

/** Counts accounts, not Graph operations: a create and its follow-up license are one account. */
function accountCounts(results: readonly ResultRow[]): { ok: number; failed: number } {
  const failed = new Set(results.filter((x) => x.outcome === 'failed').map((x) => x.objectGuid));
  const ok = new Set(results.filter((x) => x.outcome === 'ok' && !failed.has(x.objectGuid)).map((x) => x.objectGuid));
  return { ok: ok.size, failed: failed.size };
}

function outcomeOf(r: RunReport | { refused: string } | undefined, store: SyncStore): Outcome {
  if (!r) return { started: false, refused: 'The sync could not run; see the status for the reason.', ok: 0, failed: 0, paused: false };
  if ('refused' in r) return { started: false, refused: r.refused, ok: 0, failed: 0, paused: false };
  return { started: true, runId: r.runId, ...accountCounts(store.listResults(r.runId)), paused: r.paused };
}

/** How long a removal's dry run stays valid for its confirmation. */
const REMOVAL_PREVIEW_MS = 600_000;

/** The `sync:*` handlers and background work; `ports` is injectable so tests run the real feature on fakes. */
export function createSyncFeature(ctx: CoreContext, opts: { ports?: PortsFactory; timers?: boolean; concurrency?: number; deleteSettleMs?: number } = {}): Feature<typeof syncRequests> & { status(): SyncStatus } {
  const runtime = new SyncRuntime(ctx, opts.ports ?? defaultPorts, opts);
  const { store } = runtime;
  const previewedRemovals = new Map<string, number>();
  const tracked = async <T>(work: () => Promise<T>, failure: string): Promise<T> => {
    const out = await runtime.track(work);
    if (out === undefined) throw new AppError('sync-failed', runtime.status().lastError ?? failure);
    return out;
  };

  return {
    status: () => runtime.status(),
    handlers: {
      'sync:get-status': async () => runtime.status(),
      'sync:preview': async () => {
        const engine = runtime.ready();
        const p = await tracked(() => engine.preview(), 'The preview failed.');
        return toPreview(p.plan, p.token, store);
      },
      'sync:run-now': async (args) => {
        const engine = runtime.ready();
        const out = outcomeOf(await runtime.track(() => engine.runFull(args.previewToken ? { previewToken: args.previewToken } : {})), store);
        if (out.started) await runtime.startBackground();
        runtime.publish();
        return out;
      },
      'sync:approve-deletes': async (guids) => {
        const engine = runtime.ready();
        return outcomeOf(await runtime.track(() => engine.approveDeletes(guids)), store);
      },
      'sync:reject-deletes': async (guids) => {
        runtime.ready().rejectDeletes(guids);
        runtime.publish();
        return { ok: true as const };
      },
      'sync:list-accounts': async (q) => store.listAccounts(q),
      'sync:add-online-accounts': async ({ guids, dryRun }) => {
        const engine = runtime.ready();
        if (dryRun) {
          const plan = await tracked(() => engine.previewCreate(guids), 'The preview failed.');
          return { preview: toPreview(plan, planToken(plan), store) };
        }
        return { outcome: outcomeOf(await runtime.track(() => engine.addOnlineAccounts(guids)), store) };
      },
      'sync:find-matches': async (guid) => runtime.ready().findMatches(guid),
      'sync:link-account': async ({ objectGuid, onlineId }) => {
        const engine = runtime.ready();
        return tracked(() => engine.link(objectGuid, onlineId), 'The account could not be linked.');
      },
      'sync:reset-password': async ({ objectGuid, password, mustChange }) => {
        const engine = runtime.ready();
        return tracked(() => engine.resetPassword(objectGuid, password, mustChange), 'The password could not be reset.');
      },
      'sync:deactivate-account': async ({ objectGuid }) => {
        const engine = runtime.ready();
        return tracked(() => engine.deactivate(objectGuid), 'The user could not be deactivated.');
      },
      'sync:remove-account': async ({ objectGuid, dryRun }) => {
        const engine = runtime.ready();
        const link = store.getLink(objectGuid.toLowerCase());
        if (!link) return { ok: false, message: 'This user has no online account.' };
        if (dryRun) {
          previewedRemovals.set(link.objectGuid, Date.now());
          return { ok: true, message: `This will delete the online account ${link.userPrincipalName} (restorable for 30 days) and free its license. The directory user stays.` };
        }
        // A delete only after its dry run was shown (within the last 10 minutes).
        const shownAt = previewedRemovals.get(link.objectGuid);
        if (shownAt === undefined || Date.now() - shownAt > REMOVAL_PREVIEW_MS) return { ok: false, message: 'Review what will be deleted first (preview), then confirm.' };
        previewedRemovals.delete(link.objectGuid);
        const rep = await runtime.track(() => engine.removeOnlineAccount(link.objectGuid));
        const issue = store.getIssue(link.objectGuid);
        return rep && !store.getLink(link.objectGuid) ? { ok: true, message: `The online account ${link.userPrincipalName} was deleted. It can be restored for 30 days.` } : { ok: false, message: issue ?? 'The online account could not be deleted; it will be retried.' };
      },
      'sync:get-results': async (runId) => {
        const id = runId ?? store.lastRunId();
        const run = id === undefined ? undefined : store.getRun(id);
        return { run: run ?? null, rows: run ? store.listResults(run.id).slice(0, 10_000) : [] };
      },
    },
    start() {
      ctx.signals.on('integrationChanged', onIntegration);
      return runtime.start();
    },
    async dispose() {
      ctx.signals.off('integrationChanged', onIntegration);
      await runtime.dispose();
    },
  };

  function onIntegration(): void {
    void runtime.start();
  }
}
