import type { CheckResult } from '../../shared/contract/wizard';
import { AppError, toWireError } from '../core/errors';
import { SECRET_NAMES } from '../stores/secret-names';
import { MICROSOFT_365_ENDPOINTS } from '../tenant/endpoints';
import type { AdminSession } from '../tenant/tenant-ports';
import { applicationName } from './bootstrap';
import { finishIntegrationChange, signInStep, startSignIn } from './wizard-common';
import { defineWizard, type WizardRun } from './wizard-run';

/** What disabling never touches in the tenant (product features §L). */
export const KEPT_IN_TENANT = [
  'Your subscription, licenses and billing',
  'Online accounts, their mailboxes and files',
  'Domains linked to Microsoft 365',
  'Mail settings and mobile device policies',
];

const REMOVE_TIMEOUT_MS = 30_000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Microsoft 365 did not answer in time.')), ms);
    work.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e)),
    );
  });
}

function tenantOrThrow(run: WizardRun) {
  const tenant = run.deps.settings.get().tenant;
  if (!tenant) throw new AppError('not-integrated', 'This server is not connected to Microsoft 365.');
  return tenant;
}

/**
 * The local half of disabling: never touches the network, so it completes with the tenant unreachable.
 * Removes the app credential and the tenant settings, and signals the sync engine to stop and drop its state.
 */
async function disableLocally(run: WizardRun, remote: CheckResult): Promise<void> {
  const tenant = tenantOrThrow(run);
  const sandboxEndpoints = tenant.endpoints.authorityHost !== MICROSOFT_365_ENDPOINTS.authorityHost ? tenant.endpoints : null;
  await run.deps.secrets.delete(SECRET_NAMES.appCertificateKey);
  run.deps.settings.update((s) => ({ ...s, tenant: null, integrationDisabledAt: run.deps.ports.now().toISOString(), tenantEndpoints: s.tenantEndpoints ?? sandboxEndpoints }));
  finishIntegrationChange(run, {
    log: 'Microsoft 365 integration disabled',
    fields: { appRemoved: remote.status === 'pass' },
    title: 'Integration with Microsoft 365 is disabled',
    reload: true,
    outcomes: [
      { id: 'sync', title: 'Password and account sync', status: 'pass', detail: 'Stopped. Changes on this server no longer reach Microsoft 365.' },
      { id: 'credential', title: 'Credentials on this server', status: 'pass', detail: 'The app certificate\'s private key was removed from this server\'s credential store, and the sync engine was told to stop and discard its state.' },
      remote,
      { id: 'kept', title: 'Left as they are in Microsoft 365', status: 'pass', detail: KEPT_IN_TENANT.join('; ') + '.' },
    ],
  });
}

function appLeft(run: WizardRun, why: string): CheckResult {
  const tenant = run.deps.settings.get().tenant;
  return {
    id: 'app',
    title: 'App registration',
    status: 'warn',
    detail: `${why} "${applicationName(run.deps.serverName)}"${tenant?.clientId ? ` (application ID ${tenant.clientId})` : ''} is still in Microsoft 365; it can no longer sign in from this server.`,
    fix: 'Delete it in the Microsoft Entra admin center under App registrations when convenient.',
  };
}

async function removeApp(run: WizardRun, session: AdminSession): Promise<void> {
  const tenant = tenantOrThrow(run);
  run.show({ kind: 'working', title: 'Disabling integration', items: [] });
  run.setBusy(true);
  let remote: CheckResult;
  if (session.tenantId !== tenant.tenantId) {
    remote = appLeft(run, 'You signed in to a different organisation, so');
  } else if (!tenant.applicationObjectId) {
    remote = { id: 'app', title: 'App registration', status: 'pass', detail: 'There was no app registration to remove.' };
  } else {
    try {
      await withTimeout(session.deleteApplication(tenant.applicationObjectId), REMOVE_TIMEOUT_MS);
      remote = { id: 'app', title: 'App registration', status: 'pass', detail: `"${applicationName(run.deps.serverName)}" and its permissions were removed from Microsoft 365.` };
    } catch (error) {
      remote = appLeft(run, `It could not be removed (${toWireError(error).message}), so`);
    }
  }
  await disableLocally(run, remote);
}

async function showConfirm(run: WizardRun): Promise<void> {
  const tenant = tenantOrThrow(run);
  run.show({ kind: 'disable-confirm', tenantName: tenant.defaultDomain ?? null, applicationName: tenant.clientId ? applicationName(run.deps.serverName) : null, keeps: KEPT_IN_TENANT });
}

/** Disable integration: stop sync and remove local credentials; optionally remove the app registration. */
export const disableWizard = defineWizard({
  kind: 'disable',
  pages: ['disable-confirm', 'sign-in', 'finished'],
  detours: ['working'],
  titles: { 'disable-confirm': 'Confirm', 'sign-in': 'Sign in', working: 'Disabling', finished: 'Done' },
  begin: showConfirm,
  transitions: {
    'disable-confirm': {
      disable: (run, input) => {
        if (input.removeAppRegistration && tenantOrThrow(run).applicationObjectId) {
          return run.show(signInStep('Sign in as a Global Administrator to remove the app registration.', true));
        }
        return run.guarded(() => disableLocally(run, appLeft(run, 'You chose to keep it, so')));
      },
    },
    'sign-in': {
      'sign-in': (run) => startSignIn(run, true, (session) => removeApp(run, session)),
      'skip-sign-in': async (run) => {
        run.memory.signInAbort?.abort();
        await run.idle();
        return run.guarded(() => disableLocally(run, appLeft(run, 'You continued without signing in, so')));
      },
      back: async (run) => {
        run.memory.signInAbort?.abort();
        await run.idle();
        return showConfirm(run);
      },
    },
  },
  resume: showConfirm,
  async cancel() {
    // nothing changes before the admin confirms
  },
});
