import type { CheckResult, WizardStep } from '../../shared/contract/wizard';
import { AppError } from '../core/errors';
import { isAllowedExternalUrl } from '../core/external-links';
import type { SettingsStore } from '../stores/settings-store';
import { SECRET_NAMES } from '../stores/secret-names';
import { MICROSOFT_365_ENDPOINTS, type TenantEndpoints } from '../tenant/endpoints';
import type { AdminSession, AppCredential } from '../tenant/tenant-ports';
import type { WizardRun } from './wizard-run';

/** The endpoints a wizard talks to: the integrated tenant's, else the configured ones, else Microsoft's. */
export function resolveEndpoints(settings: SettingsStore): TenantEndpoints {
  const s = settings.get();
  return s.tenant?.endpoints ?? s.tenantEndpoints ?? MICROSOFT_365_ENDPOINTS;
}

/**
 * How every wizard that completed, changed or disabled the integration ends: logged, announced with the one call
 * (the sync restarts, every UI is told), and the finished page with what happened.
 */
export function finishIntegrationChange(run: WizardRun, done: { log: string; fields?: Record<string, unknown>; title: string; outcomes: CheckResult[]; reload: boolean }): void {
  run.deps.log.info(done.log, done.fields);
  run.deps.integrationChanged();
  run.show({ kind: 'finished', title: done.title, reload: done.reload, outcomes: done.outcomes });
}

/** The sign-in page in its "ready" state. */
export function signInStep(note: string | null, canSkip: boolean): WizardStep {
  return { kind: 'sign-in', signIn: { phase: 'ready', url: null, adminUpn: null, note }, canSkip };
}

/**
 * Runs the interactive admin sign-in in the background: the page shows the URL (the web dashboard opens
 * it in a popup; Electron opens the system browser), then `onSession` continues the wizard.
 */
export function startSignIn(run: WizardRun, canSkip: boolean, onSession: (session: AdminSession) => Promise<void>): void {
  const note = run.state.step?.kind === 'sign-in' ? run.state.step.signIn.note : null;
  const endpoints = run.memory.endpoints ?? resolveEndpoints(run.deps.settings);
  run.memory.endpoints = endpoints;
  const abort = new AbortController();
  run.memory.signInAbort = abort;
  run.signal.addEventListener('abort', () => abort.abort(), { once: true });
  run.inBackground(async () => {
    let session: AdminSession;
    try {
      session = await run.deps.ports.signIn.signIn(
        endpoints,
        async (url) => {
          run.patch({ kind: 'sign-in', signIn: { phase: 'waiting', url, adminUpn: null, note }, canSkip });
          if (run.deps.mode === 'electron' && run.deps.openExternal && isAllowedExternalUrl(url, [new URL(endpoints.authorityHost).origin])) {
            await run.deps.openExternal(url);
          }
        },
        abort.signal,
      );
    } catch (error) {
      if (run.isClosed || abort.signal.aborted) return;
      run.show(signInStep(note, canSkip));
      run.fail(error);
      return;
    }
    if (run.isClosed || abort.signal.aborted) return;
    run.memory.signInAbort = undefined;
    run.memory.session = session;
    run.patch({ kind: 'sign-in', signIn: { phase: 'signed-in', url: null, adminUpn: session.adminUpn, note }, canSkip });
    try {
      await onSession(session);
    } catch (error) {
      run.show(signInStep(note, canSkip));
      run.fail(error);
    }
  });
}

/** Reads the app credential of the integrated tenant (settings + the key from the SecretStore). */
export async function appCredential(run: WizardRun): Promise<AppCredential> {
  const tenant = run.deps.settings.get().tenant;
  const privateKeyPem = await run.deps.secrets.get(SECRET_NAMES.appCertificateKey);
  if (!tenant?.clientId || !tenant.certificateThumbprintSha256 || !privateKeyPem) {
    throw new AppError('not-integrated', 'This server has no Microsoft 365 app credential yet.');
  }
  return { endpoints: tenant.endpoints, tenantId: tenant.tenantId, clientId: tenant.clientId, thumbprintSha256: tenant.certificateThumbprintSha256, privateKeyPem };
}

/** Retries `work` while the tenant replicates a new credential (Entra takes seconds to minutes). */
export async function withReplicationRetry<T>(work: () => Promise<T>, options: { attempts: number; firstDelayMs: number } = { attempts: 6, firstDelayMs: 500 }): Promise<T> {
  const { attempts } = options;
  let delay = options.firstDelayMs;
  for (let i = 1; ; i++) {
    try {
      return await work();
    } catch (error) {
      if (i >= attempts) throw error;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 8_000);
    }
  }
}
