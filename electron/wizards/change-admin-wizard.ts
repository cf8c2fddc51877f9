import { AppError, wrongStep } from '../core/errors';
import { SECRET_NAMES } from '../stores/secret-names';
import type { AdminSession } from '../tenant/tenant-ports';
import { applicationName } from './bootstrap';
import { finishIntegrationChange, signInStep, startSignIn, withReplicationRetry } from './wizard-common';
import { defineWizard, type WizardRun } from './wizard-run';

function pemToDerBase64(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

function integrated(run: WizardRun) {
  const tenant = run.deps.settings.get().tenant;
  if (!tenant?.integratedAt || !tenant.clientId || !tenant.applicationObjectId) throw new AppError('not-integrated', 'This server is not connected to Microsoft 365.');
  return { ...tenant, clientId: tenant.clientId, applicationObjectId: tenant.applicationObjectId };
}

async function afterSignIn(run: WizardRun, session: AdminSession): Promise<void> {
  const tenant = integrated(run);
  if (session.tenantId !== tenant.tenantId) {
    run.memory.session = undefined;
    throw new AppError('wrong-tenant', `${session.adminUpn} belongs to a different Microsoft 365 organisation. Sign in with an administrator of the organisation this server is connected to.`);
  }
  if (!(await session.canBootstrap())) {
    run.memory.session = undefined;
    throw new AppError('not-admin', `${session.adminUpn} is not a Global Administrator, so it cannot manage this server's app registration.`);
  }
  const app = await session.getApplication(tenant.applicationObjectId);
  run.show({ kind: 'change-admin-choose', adminUpn: session.adminUpn, appFound: app !== null });
}

function done(run: WizardRun, adminUpn: string, rotated: boolean): void {
  finishIntegrationChange(run, {
    log: 'Microsoft 365 administrator account changed',
    fields: { rotated },
    title: 'The administrator account was changed',
    reload: true,
    outcomes: [
      { id: 'admin', title: 'Administrator', status: 'pass', detail: `${adminUpn} now manages this server's connection.` },
      rotated
        ? { id: 'credential', title: 'App credential', status: 'pass', detail: 'A new certificate replaced the old one; the old one no longer works.' }
        : { id: 'credential', title: 'App credential', status: 'pass', detail: 'The existing certificate still signs in.' },
      { id: 'reload', title: 'Dashboard', status: 'pass', detail: 'The dashboard reloads when you close this wizard.' },
    ],
  });
}

async function rebind(run: WizardRun, session: AdminSession): Promise<void> {
  const tenant = integrated(run);
  const privateKeyPem = await run.deps.secrets.get(SECRET_NAMES.appCertificateKey);
  if (!privateKeyPem || !tenant.certificateThumbprintSha256) throw new AppError('credential-missing', 'This server\'s app credential is missing. Choose "Create a new credential" instead.');
  const reader = run.deps.ports.reader({ endpoints: tenant.endpoints, tenantId: tenant.tenantId, clientId: tenant.clientId, thumbprintSha256: tenant.certificateThumbprintSha256, privateKeyPem });
  try {
    await reader.organization();
  } catch {
    throw new AppError('credential-rejected', 'Microsoft 365 no longer accepts this server\'s certificate. Choose "Create a new credential" instead.');
  }
  run.deps.settings.update((s) => (s.tenant ? { ...s, tenant: { ...s.tenant, adminUpn: session.adminUpn } } : s));
  done(run, session.adminUpn, false);
}

/** New certificate: added beside the old one, proven to work, stored, then the old one is removed. */
async function rotate(run: WizardRun, session: AdminSession): Promise<void> {
  const tenant = integrated(run);
  const { ports } = run.deps;
  const cert = await ports.certificates.create(applicationName(run.deps.serverName));
  const oldDer = tenant.certificatePem ? pemToDerBase64(tenant.certificatePem) : null;
  await session.setCertificates(tenant.applicationObjectId, oldDer ? [oldDer, cert.derBase64] : [cert.derBase64]);
  const reader = ports.reader({ endpoints: tenant.endpoints, tenantId: tenant.tenantId, clientId: tenant.clientId, thumbprintSha256: cert.thumbprintSha256, privateKeyPem: cert.privateKeyPem });
  try {
    await withReplicationRetry(() => reader.organization(), run.deps.ports.replicationRetry);
  } catch (error) {
    if (oldDer) await session.setCertificates(tenant.applicationObjectId, [oldDer]).catch(() => undefined);
    throw error;
  }
  await run.deps.secrets.set(SECRET_NAMES.appCertificateKey, cert.privateKeyPem);
  run.deps.settings.update((s) =>
    s.tenant ? { ...s, tenant: { ...s.tenant, adminUpn: session.adminUpn, certificateThumbprintSha256: cert.thumbprintSha256, certificatePem: cert.certificatePem } } : s,
  );
  try {
    await session.setCertificates(tenant.applicationObjectId, [cert.derBase64]);
  } catch {
    run.deps.log.warn('The old certificate could not be removed from the app registration; it will expire on its own');
  }
  done(run, session.adminUpn, true);
}

async function showIntro(run: WizardRun): Promise<void> {
  const tenant = integrated(run);
  run.show({ kind: 'change-admin-intro', currentAdminUpn: tenant.adminUpn ?? null, clientId: tenant.clientId });
}

/** Change the administrator account: sign in as another admin, re-bind or rotate the app credential. */
export const changeAdminWizard = defineWizard({
  kind: 'change-admin',
  pages: ['change-admin-intro', 'sign-in', 'change-admin-choose', 'finished'],
  titles: { 'change-admin-intro': 'Overview', 'sign-in': 'Sign in', 'change-admin-choose': 'Credential', finished: 'Done' },
  begin: showIntro,
  transitions: {
    'change-admin-intro': { next: (run) => run.show(signInStep(null, false)) },
    'sign-in': {
      'sign-in': (run) => startSignIn(run, false, (session) => afterSignIn(run, session)),
      back: (run) => {
        if (run.state.busy) throw wrongStep(); // the sign-in is still waiting: Cancel leaves it
        return showIntro(run);
      },
    },
    'change-admin-choose': {
      'change-admin': (run, input, step) => {
        const session = run.memory.session;
        if (!session) return run.show(signInStep('Sign in again to continue.', false));
        if (input.mode === 'rebind' && !step.appFound) throw new AppError('app-missing', 'The app registration was removed from Microsoft 365. Disable the integration, then run Integrate again.');
        return run.inBackground(() => (input.mode === 'rebind' ? rebind(run, session) : rotate(run, session)));
      },
      back: (run) => run.show(signInStep(null, false)),
    },
  },
  async resume(run) {
    integrated(run);
    run.show(signInStep('The dashboard was closed midway. Sign in again to continue.', false));
  },
  async cancel() {
    // nothing is changed before the last step, which is all-or-nothing
  },
});
