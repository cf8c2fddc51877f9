import type { RequestResult, syncRequests } from '../../shared/contract';
import type { CoreContext } from '../core/core-context';
import type { Feature } from '../core/feature';
import { redact } from '../core/redact';
import { defaultPorts } from './default-ports';
import { explain } from './messages';
import { normalizeUser } from './normalize';
import { toPreview } from './preview';
import type { ResultRow, SyncStore } from './state-store';
import { SyncRuntime, type PortsFactory } from './sync-runtime';
import { planToken, type RunReport } from './engine';

// The `sync:*` channels over the runtime. Handlers validate nothing themselves (the transport already did) and never
// put a password in a result, event, log line or audit entry.

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

/** The `sync:*` handlers and background work; `ports` is injectable so tests run the real feature on fakes. */
export function createSyncFeature(ctx: CoreContext, opts: { ports?: PortsFactory; timers?: boolean; concurrency?: number; deleteSettleMs?: number } = {}): Feature<typeof syncRequests> {
  let rt: SyncRuntime | undefined;
  const runtime = (): SyncRuntime => (rt ??= new SyncRuntime(ctx, opts.ports ?? defaultPorts, opts));
  const ready = () => {
    const r = runtime();
    if (r.blocked || !r.engine || !r.ports) throw new Error(r.blocked ?? 'The sync engine is not running.');
    return { r, engine: r.engine, ports: r.ports, store: r.store };
  };
  const onIntegration = (): void => { void runtime().start(); };
  const previewedRemovals = new Map<string, number>();

  return {
    handlers: {
      'sync:get-status': async () => runtime().status(),
      'sync:preview': async () => {
        const { r, engine } = ready();
        const p = await r.track(() => engine.preview());
        if (!p) throw new Error(r.status().lastError ?? 'The preview failed.');
        return toPreview(p.plan, p.token, r.store);
      },
      'sync:run-now': async (args) => {
        const { r, engine } = ready();
        const out = outcomeOf(await r.track(() => engine.runFull(args.previewToken ? { previewToken: args.previewToken } : {})), r.store);
        if (out.started) await r.startBackground();
        r.publish();
        return out;
      },
      'sync:approve-deletes': async (guids) => {
        const { r, engine } = ready();
        return outcomeOf(await r.track(() => engine.approveDeletes(guids)), r.store);
      },
      'sync:reject-deletes': async (guids) => {
        const { r, engine } = ready();
        engine.rejectDeletes(guids);
        r.publish();
        return { ok: true as const };
      },
      'sync:list-accounts': async (q) => runtime().store.listAccounts(q),
      'sync:add-online-accounts': async ({ guids, dryRun }) => {
        const { r, engine } = ready();
        if (dryRun) {
          const plan = await r.track(() => engine.previewCreate(guids));
          if (!plan) throw new Error(r.status().lastError ?? 'The preview failed.');
          return { preview: toPreview(plan, planToken(plan), r.store) };
        }
        return { outcome: outcomeOf(await r.track(() => engine.addOnlineAccounts(guids)), r.store) };
      },
      'sync:find-matches': async (guid) => {
        const { ports, store } = ready();
        const user = store.getDirectoryUser(guid) ?? (await ports.directory.getUser(guid));
        if (!user) return [];
        const s = ctx.settings.get().tenant!;
        const domain = s.defaultDomain ?? `${s.tenantId}.onmicrosoft.com`;
        const d = normalizeUser(user, { domain, verifiedDomains: ports.verifiedDomains ?? [domain], tenantId: s.tenantId });
        const found = new Map<string, { onlineId: string; userPrincipalName: string; displayName: string; matchedBy: 'upn' | 'mail'; anchoredElsewhere: boolean }>();
        const add = (a: Awaited<ReturnType<typeof ports.tenant.findByUpn>>, by: 'upn' | 'mail'): void => {
          if (a && !found.has(a.id)) found.set(a.id, { onlineId: a.id, userPrincipalName: a.userPrincipalName, displayName: a.displayName ?? '', matchedBy: by, anchoredElsewhere: Boolean(a.immutableId && a.immutableId !== d.immutableId) });
        };
        add(await ports.tenant.findByUpn(d.userPrincipalName), 'upn');
        if (user.userPrincipalName && user.userPrincipalName.toLowerCase() !== d.userPrincipalName) add(await ports.tenant.findByUpn(user.userPrincipalName), 'upn');
        if (user.mail) add(await ports.tenant.findByMail(user.mail), 'mail');
        return [...found.values()];
      },
      'sync:link-account': async ({ objectGuid, onlineId }) => {
        const { r, engine, ports, store } = ready();
        const guid = objectGuid.toLowerCase();
        const user = store.getDirectoryUser(guid) ?? (await ports.directory.getUser(guid));
        if (!user) return { ok: false, message: 'This user is not in the directory (or not in the synced folders).' };
        if (store.getLink(guid)) return { ok: false, message: 'This user already has an online account.' };
        const account = await ports.tenant.getUser(onlineId);
        if (!account) return { ok: false, message: 'That online account no longer exists.' };
        const t = ctx.settings.get().tenant!;
        const domain = t.defaultDomain ?? `${t.tenantId}.onmicrosoft.com`;
        const d = normalizeUser(user, { domain, verifiedDomains: ports.verifiedDomains ?? [domain], tenantId: t.tenantId });
        if (account.immutableId && account.immutableId !== d.immutableId) return { ok: false, message: `${account.userPrincipalName} already belongs to another directory user.` };
        if ([...store.getLinks().values()].some((l) => l.onlineId === onlineId)) return { ok: false, message: `${account.userPrincipalName} is already linked to another directory user.` };
        try {
          await ports.tenant.updateUser(onlineId, { immutableId: d.immutableId }); // the anchor, so a later match is certain
        } catch (e) {
          return { ok: false, message: `Could not link: ${explain(e, { action: 'link', upn: account.userPrincipalName })}` };
        }
        store.saveLink({ objectGuid: guid, onlineId, userPrincipalName: account.userPrincipalName, displayName: account.displayName ?? d.attributes.displayName, hash: null, enabled: account.accountEnabled });
        store.audit({ objectGuid: guid, action: 'link', outcome: 'ok', detail: `linked to ${account.userPrincipalName}` });
        await r.track(() => engine.applyChanges([{ kind: 'upsert', objectGuid: guid }])); // bring its details in step
        return { ok: true, message: `${user.displayName ?? user.sAMAccountName} is now linked to ${account.userPrincipalName}. Their details will follow the directory.` };
      },
      'sync:reset-password': async ({ objectGuid, password, mustChange }) => {
        const { r, engine, ports, store } = ready();
        const guid = objectGuid.toLowerCase();
        try {
          await ports.directory.resetPassword(guid, password, { mustChange });
        } catch (e) {
          return { ok: false, message: `The directory refused the new password: ${redact(e instanceof Error ? e.message : 'unknown error')}` };
        }
        store.audit({ objectGuid: guid, action: 'reset-password', outcome: 'ok', detail: 'password reset in the directory' });
        if (!(await engine.queuePassword(guid, password, new Date(), mustChange))) return { ok: true, message: 'The password was changed in the directory. This user has no online account.' };
        store.clearIssue(guid);
        await r.track(() => engine.drain());
        const issue = store.getIssue(guid);
        if (issue) return { ok: false, message: `The password was changed in the directory, but not online: ${issue}` };
        return store.getLink(guid) && !store.hasOutbox(guid, 'password')
          ? { ok: true, message: 'The password was changed in the directory and online.' }
          : { ok: true, message: 'The password was changed in the directory; it will reach Microsoft 365 shortly.' };
      },
      'sync:deactivate-account': async ({ objectGuid }) => {
        const { r, engine, ports, store } = ready();
        const guid = objectGuid.toLowerCase();
        await ports.directory.setEnabled(guid, false);
        store.audit({ objectGuid: guid, action: 'deactivate', outcome: 'ok', detail: 'disabled in the directory' });
        await r.track(() => engine.applyChanges([{ kind: 'upsert', objectGuid: guid }]));
        const issue = store.getIssue(guid);
        if (!store.getLink(guid)) return { ok: true, message: 'The user was deactivated. They have no online account.' };
        return issue ? { ok: false, message: `The user was deactivated in the directory, but not online: ${issue}` } : { ok: true, message: 'The user was deactivated; sign-in to Microsoft 365 is blocked.' };
      },
      'sync:remove-account': async ({ objectGuid, dryRun }) => {
        const { r, engine, store } = ready();
        const link = store.getLink(objectGuid.toLowerCase());
        if (!link) return { ok: false, message: 'This user has no online account.' };
        if (dryRun) {
          previewedRemovals.set(link.objectGuid, Date.now());
          return { ok: true, message: `This will delete the online account ${link.userPrincipalName} (restorable for 30 days) and free its license. The directory user stays.` };
        }
        // A delete only after its dry run was shown (within the last 10 minutes).
        const shownAt = previewedRemovals.get(link.objectGuid);
        if (shownAt === undefined || Date.now() - shownAt > 600_000) return { ok: false, message: 'Review what will be deleted first (preview), then confirm.' };
        previewedRemovals.delete(link.objectGuid);
        const rep = await r.track(() => engine.removeOnlineAccount(link.objectGuid));
        const issue = store.getIssue(link.objectGuid);
        return rep && !store.getLink(link.objectGuid) ? { ok: true, message: `The online account ${link.userPrincipalName} was deleted. It can be restored for 30 days.` } : { ok: false, message: issue ?? 'The online account could not be deleted; it will be retried.' };
      },
      'sync:get-results': async (runId) => {
        const store = runtime().store;
        const id = runId ?? store.lastRunId();
        const run = id === undefined ? undefined : store.getRun(id);
        return { run: run ?? null, rows: run ? store.listResults(run.id).slice(0, 10_000) : [] };
      },
    },
    async start() {
      ctx.signals.on('integrationChanged', onIntegration);
      await runtime().start();
    },
    async dispose() {
      ctx.signals.off('integrationChanged', onIntegration);
      await rt?.dispose();
    },
  };
}
