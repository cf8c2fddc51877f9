import type { PlanItem, StepOf } from '../../shared/contract/wizard';
import { AppError, toWireError, wrongStep } from '../core/errors';
import { SECRET_NAMES } from '../stores/secret-names';
import type { AdminSession } from '../tenant/tenant-ports';
import { bootstrapPlan, planItemId, runBootstrap, undoJournal } from './bootstrap';
import { connectDirectoryStep, ensureFacts, runChecks, saveDirectory, submitConnect, submitTrust } from './integrate-directory-steps';
import { appCredential, finishIntegrationChange, resolveEndpoints, signInStep, startSignIn, withReplicationRetry } from './wizard-common';
import type { WizardDraft } from './wizard-draft';
import { defineWizard, type WizardRun } from './wizard-run';

/** Where "I need a subscription" leads (on the external-link allowlist). */
export const SIGN_UP_URL = 'https://www.microsoft.com/microsoft-365/business/compare-all-microsoft-365-business-products';

const RESUME_NOTE = 'The dashboard was closed before setup finished. Sign in again to continue where you left off.';

function setStatus(items: PlanItem[], id: string, status: PlanItem['status']): PlanItem[] {
  return items.map((i) => (i.id === id ? { ...i, status } : i));
}

async function reviewPlan(run: WizardRun, session: AdminSession): Promise<void> {
  if (!(await session.canBootstrap())) {
    run.memory.session = undefined;
    throw new AppError('not-admin', `${session.adminUpn} is signed in but is not a Global Administrator, so it cannot register the app and grant its permissions. Sign in with a Global Administrator account.`);
  }
  run.show({ kind: 'review-plan', adminUpn: session.adminUpn, items: bootstrapPlan(run.deps.serverName), leftovers: run.memory.journal.length });
}

/** Undoes objects a previous attempt left (journal), then creates everything, then proves the credential works. */
async function bootstrap(run: WizardRun): Promise<void> {
  const session = run.memory.session;
  if (!session) throw new AppError('signed-out', 'Sign in again to continue.');
  const { deps } = run;
  if (run.memory.journal.length) {
    run.memory.journal = await undoJournal(session, run.memory.journal, () => undefined);
    run.persist();
    if (run.memory.journal.length) throw new AppError('leftovers', 'Objects from an earlier attempt could not be removed from Microsoft 365. Try again in a few minutes.');
  }
  let items = bootstrapPlan(deps.serverName);
  const title = 'Setting up Microsoft 365';
  run.patch({ kind: 'working', title, items });
  try {
    const result = await runBootstrap(session, deps.ports.certificates, deps.serverName, {
      progress: (id, status) => {
        items = setStatus(items, id, status);
        run.patch({ kind: 'working', title, items });
      },
      created: (entry) => {
        run.memory.journal.push(entry);
        run.persist();
      },
    });
    const endpoints = run.memory.endpoints ?? resolveEndpoints(deps.settings);
    const reader = deps.ports.reader({ endpoints, tenantId: session.tenantId, clientId: result.appId, thumbprintSha256: result.certificate.thumbprintSha256, privateKeyPem: result.certificate.privateKeyPem });
    await withReplicationRetry(() => reader.organization(), run.deps.ports.replicationRetry);
    await deps.secrets.set(SECRET_NAMES.appCertificateKey, result.certificate.privateKeyPem);
    deps.settings.update((s) => ({
      ...s,
      tenant: {
        endpoints,
        tenantId: session.tenantId,
        clientId: result.appId,
        applicationObjectId: result.objectId,
        servicePrincipalId: result.servicePrincipalId,
        certificateThumbprintSha256: result.certificate.thumbprintSha256,
        certificatePem: result.certificate.certificatePem,
        adminUpn: session.adminUpn,
      },
    }));
    deps.log.info('Microsoft 365 app registration created', { clientId: result.appId, tenantId: session.tenantId });
  } catch (error) {
    const failed = items.find((i) => i.status === 'failed');
    const raw = toWireError(error);
    const transient = ['unreachable', 'service-error', 'throttled'].includes(raw.code);
    const safe = {
      code: raw.code,
      message: failed
        ? `${failed.title} could not be created: ${transient ? 'Microsoft 365 did not complete the request.' : raw.message}`
        : raw.message,
    };
    deps.log.warn('Bootstrap failed; undoing what was created', { code: safe.code, created: run.memory.journal.length });
    run.memory.journal = await undoJournal(session, run.memory.journal, (entry, ok) => {
      items = setStatus(items, planItemId(entry), ok ? 'undone' : 'undo-failed');
      run.patch({ kind: 'working', title: 'Undoing the changes', items });
    });
    run.show({ kind: 'bootstrap-failed', message: safe.message, items, rolledBack: run.memory.journal.length === 0 });
    return;
  }
  await showScope(run);
}

async function showScope(run: WizardRun): Promise<void> {
  await ensureFacts(run);
  const reader = run.deps.ports.reader(await appCredential(run));
  // Unverified domains are listed too (disabled), so the admin sees why contoso.com is not offered.
  const all = await reader.domains();
  const domains = all.filter((d) => d.isVerified);
  if (!domains.length) throw new AppError('no-verified-domain', 'Microsoft 365 reports no verified domain. Verify a domain in the Microsoft 365 admin center, then try again.');
  const current = run.deps.settings.get();
  const fallback = domains.find((d) => d.isDefault && !d.isInitial) ?? domains.find((d) => !d.isInitial) ?? domains.find((d) => d.isDefault) ?? domains[0]!;
  const kept = domains.find((d) => d.name === current.tenant?.defaultDomain);
  run.show({
    kind: 'choose-scope',
    domains: all.map((d) => ({ name: d.name, isDefault: d.isDefault, isInitial: d.isInitial, isVerified: d.isVerified })),
    defaultDomain: (kept ?? fallback).name,
    ous: run.memory.facts?.ous ?? [],
    scopeDns: current.directory?.scopeDns ?? [],
    nonRoutableSuffixes: run.memory.facts?.upnSuffixes.filter((s) => !s.routable).map((s) => s.suffix) ?? [],
  });
}

function finish(run: WizardRun, input: { defaultDomain: string; scopeDns: string[] }, step: StepOf<'choose-scope'>): void {
  if (!step.domains.some((d) => d.name === input.defaultDomain && d.isVerified)) {
    throw new AppError('invalid-input', `${input.defaultDomain || 'That domain'} is not a verified domain of this Microsoft 365 organisation. Choose one of the verified domains.`);
  }
  const known = new Set(step.ous.map((o) => o.dn.toLowerCase()));
  const unknown = input.scopeDns.find((dn) => !known.has(dn.toLowerCase()));
  if (unknown !== undefined) throw new AppError('invalid-input', 'Choose organisational units from the list.');
  const now = run.deps.ports.now().toISOString();
  run.deps.settings.update((s) => {
    if (!s.tenant) throw new AppError('not-integrated', 'The app credential is missing; run the wizard again.');
    return { ...s, integrationDisabledAt: null, tenant: { ...s.tenant, defaultDomain: input.defaultDomain, integratedAt: now }, directory: s.directory ? { ...s.directory, scopeDns: input.scopeDns } : s.directory };
  });
  run.memory.journal = [];
  finishIntegrationChange(run, {
    log: 'Integration with Microsoft 365 completed',
    fields: { defaultDomain: input.defaultDomain, scopeCount: input.scopeDns.length },
    title: 'This server is connected to Microsoft 365',
    reload: false,
    outcomes: [
      { id: 'pages', title: 'New pages', status: 'pass', detail: 'The Office 365 page, Users › Online accounts and Storage › SharePoint libraries are now on the dashboard.' },
      { id: 'domain', title: 'Default domain', status: 'pass', detail: `New online accounts use @${input.defaultDomain}.` },
      { id: 'scope', title: 'Managed users', status: 'pass', detail: input.scopeDns.length ? `Users in ${input.scopeDns.length} organisational unit(s).` : 'All users in the domain.' },
    ],
  });
}

const showGetStarted = (run: WizardRun): void => run.show({ kind: 'get-started', signUpUrl: SIGN_UP_URL });
const rerunChecks = (run: WizardRun): Promise<void> => runChecks(run, run.memory.directory?.trust.fingerprintSha256 ? 'fingerprint' : 'ca');

/** Integrate with Microsoft 365: get started → DC → checks → admin sign-in → bootstrap → scope → done. */
export const integrateWizard = defineWizard({
  kind: 'integrate',
  pages: ['get-started', 'connect-directory', 'trust-certificate', 'prerequisites', 'sign-in', 'review-plan', 'working', 'choose-scope', 'finished'],
  detours: ['bootstrap-failed'],
  titles: {
    'get-started': 'Get started',
    'connect-directory': 'Domain controller',
    'trust-certificate': 'Trust the certificate',
    prerequisites: 'Prerequisites',
    'sign-in': 'Sign in',
    'review-plan': 'Review',
    working: 'Setting up',
    'bootstrap-failed': 'Setup failed',
    'choose-scope': 'Domain and users',
    finished: 'Done',
  },
  async begin(run) {
    if (run.deps.settings.get().tenant?.integratedAt) throw new AppError('already-integrated', 'This server is already connected to Microsoft 365. Use Change the administrator account or Disable integration.');
    showGetStarted(run);
  },
  transitions: {
    'get-started': {
      // "I need a subscription": the page opens SIGN_UP_URL through app:open-external and stays.
      'choose-subscription': async (run, input) => (input.choice === 'need' ? undefined : run.show(await connectDirectoryStep(run))),
    },
    'connect-directory': {
      'connect-directory': (run, input) => run.guarded(() => submitConnect(run, input)),
      back: showGetStarted,
    },
    'trust-certificate': {
      'trust-certificate': (run, input, step) => run.guarded(() => submitTrust(run, input, step)),
      back: async (run) => run.show(await connectDirectoryStep(run)),
    },
    prerequisites: {
      'rerun-checks': (run) => run.guarded(() => rerunChecks(run)),
      next: (run, _input, step) => {
        if (!step.canContinue) throw wrongStep();
        return run.guarded(async () => {
          await saveDirectory(run);
          run.show(signInStep(null, false));
        });
      },
      back: async (run) => run.show(await connectDirectoryStep(run)),
    },
    'sign-in': {
      'sign-in': (run) => startSignIn(run, false, (session) => reviewPlan(run, session)),
      back: (run) => {
        if (run.state.busy) throw wrongStep(); // the sign-in is still waiting: Cancel leaves it
        return run.guarded(() => rerunChecks(run));
      },
    },
    'review-plan': {
      create: (run) => run.inBackground(() => bootstrap(run)),
      back: (run) => run.show(signInStep(null, false)),
    },
    'bootstrap-failed': {
      retry: (run) => {
        const session = run.memory.session;
        return session ? run.guarded(() => reviewPlan(run, session)) : run.show(signInStep(null, false));
      },
      back: (run) => run.show(signInStep(null, false)),
    },
    'choose-scope': {
      'choose-scope': (run, input, step) => finish(run, input, step),
      retry: (run) => run.guarded(() => showScope(run)), // "Check again" after verifying a domain
    },
  },
  async resume(run, draft: WizardDraft) {
    run.memory.directory = draft.directory ?? undefined;
    run.memory.journal = draft.journal;
    const step = draft.stepKind;
    if (step === 'get-started') return showGetStarted(run);
    if (step === 'connect-directory' || step === 'trust-certificate' || step === 'prerequisites' || !draft.directory) return run.show(await connectDirectoryStep(run));
    if (step === 'choose-scope' && run.deps.settings.get().tenant?.clientId) {
      try {
        return await showScope(run);
      } catch (error) {
        run.show(signInStep(RESUME_NOTE, false), { error: toWireError(error) });
        return;
      }
    }
    run.show(signInStep(RESUME_NOTE, false));
  },
  async cancel(run) {
    const session = run.memory.session;
    const created = run.memory.journal.length > 0;
    if (created && session) run.memory.journal = await undoJournal(session, run.memory.journal, () => undefined);
    if (created && !run.deps.settings.get().tenant?.integratedAt) {
      await run.deps.secrets.delete(SECRET_NAMES.appCertificateKey);
      run.deps.settings.update((s) => ({ ...s, tenant: null }));
    }
    if (run.memory.journal.length) run.deps.log.warn('Integrate wizard cancelled; some objects remain in Microsoft 365', { remaining: run.memory.journal.length });
  },
});
