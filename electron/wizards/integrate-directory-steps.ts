// The Integrate wizard's directory half: connect to the DC, trust its certificate on first use, and run
// the prerequisites. Split from integrate-wizard.ts to keep each file readable.
import type { StepOf, WizardStep } from '../../shared/contract/wizard';
import { AppError, toWireError, wrongStep } from '../core/errors';
import { SECRET_NAMES } from '../stores/secret-names';
import type { DirectoryConnection } from './ports';
import { canContinue, evaluatePrerequisites } from './prerequisites';
import { resolveEndpoints } from './wizard-common';
import type { WizardRun } from './wizard-run';

/** The connect page, prefilled from what the wizard or the settings already know. */
export async function connectDirectoryStep(run: WizardRun): Promise<WizardStep> {
  const saved = run.deps.settings.get().directory;
  const url = run.memory.directory?.url ?? saved?.url ?? `ldaps://${run.deps.serverName}:636`;
  const bindUpn = run.memory.directory?.bindUpn ?? saved?.bindUpn ?? '';
  const passwordStored = Boolean(run.memory.directoryPassword) || (saved?.url === url && (await run.deps.secrets.get(SECRET_NAMES.directoryBindPassword)) !== null);
  return { kind: 'connect-directory', url, bindUpn, passwordStored };
}

function trustFromSettings(run: WizardRun, url: string): DirectoryConnection['trust'] {
  const saved = run.deps.settings.get().directory;
  if (!saved || saved.url !== url) return {};
  return { caPem: saved.caPem, fingerprintSha256: saved.fingerprintSha256, serverName: saved.serverName };
}

/** Checks the address, then looks at the certificate before any credential is sent. */
export async function submitConnect(run: WizardRun, input: { url: string; bindUpn: string; password?: string }): Promise<void> {
  const url = input.url.trim();
  const bindUpn = input.bindUpn.trim();
  if (!/^ldaps:\/\/[^\s/]+(:\d+)?\/?$/i.test(url)) throw new AppError('invalid-input', 'Enter the domain controller as ldaps://name or ldaps://name:636 — only encrypted connections are used.');
  if (!/^[^@\s]+@[^@\s]+$/.test(bindUpn)) throw new AppError('invalid-input', 'Enter the service account as name@domain.');
  const saved = run.deps.settings.get().directory;
  const password = input.password || run.memory.directoryPassword || (saved?.url === url ? await run.deps.secrets.get(SECRET_NAMES.directoryBindPassword) : null);
  if (!password) throw new AppError('password-required', 'Enter the service account\'s password.');
  const trust = trustFromSettings(run, url);
  const probe = await run.deps.ports.directory.probeCertificate(url, trust);
  run.memory.directoryPassword = password;
  run.memory.directory = { url, bindUpn, trust };
  if (probe.trusted) {
    await runChecks(run, trust.caPem ? 'ca' : trust.fingerprintSha256 ? 'fingerprint' : 'ca');
    return;
  }
  run.show({ kind: 'trust-certificate', url, certificate: probe.certificate, reason: probe.reason });
}

/** The admin approved (or refused) the certificate they were shown; only that exact fingerprint is pinned. */
export async function submitTrust(run: WizardRun, input: { approve: boolean; fingerprintSha256: string }, step: StepOf<'trust-certificate'>): Promise<void> {
  if (!run.memory.directory) throw wrongStep();
  if (!input.approve) {
    run.show(await connectDirectoryStep(run), { error: { code: 'certificate-refused', message: 'The certificate was not approved, so nothing was sent to that server. Check the address or ask who manages the domain controller.', retryable: false } });
    return;
  }
  const shown = step.certificate.fingerprintSha256.toLowerCase();
  if (input.fingerprintSha256.replace(/[^0-9a-f]/gi, '').toLowerCase() !== shown) throw new AppError('fingerprint-changed', 'The certificate changed while you were reviewing it. Connect again and review the new one.');
  run.memory.directory = { ...run.memory.directory, trust: { fingerprintSha256: shown } };
  await runChecks(run, 'fingerprint');
}

/** Reads the domain and the tenant, evaluates every prerequisite, and shows the result page. */
export async function runChecks(run: WizardRun, trustedBy: 'ca' | 'fingerprint'): Promise<void> {
  const dir = run.memory.directory;
  const password = run.memory.directoryPassword;
  if (!dir || !password) throw new AppError('wrong-step', 'Connect to the domain controller first.');
  const { ports } = run.deps;
  let directoryError: { code: string; message: string } | null = null;
  try {
    run.memory.facts = await ports.directory.discover({ ...dir, password });
  } catch (error) {
    run.memory.facts = undefined;
    directoryError = toWireError(error);
  }
  const endpoints = resolveEndpoints(run.deps.settings);
  run.memory.endpoints = endpoints;
  let tenantTime: Date | null = null;
  let tenantError: { code: string; message: string } | null = null;
  try {
    tenantTime = (await ports.tenantProbe.check(endpoints)).serverTime;
  } catch (error) {
    tenantError = error instanceof AppError ? toWireError(error) : { code: 'unreachable', message: 'Microsoft 365 could not be reached from this server.' };
  }
  const checks = evaluatePrerequisites({ facts: run.memory.facts ?? null, directoryError, trustedBy, tenantTime, tenantError, localTime: ports.now() });
  run.show({ kind: 'prerequisites', checks, canContinue: canContinue(checks) });
}

/** Saves the approved DC connection (settings + the password in the SecretStore) once checks pass. */
export async function saveDirectory(run: WizardRun): Promise<void> {
  const dir = run.memory.directory;
  const password = run.memory.directoryPassword;
  if (!dir || !password) throw new AppError('wrong-step', 'Connect to the domain controller first.');
  await run.deps.secrets.set(SECRET_NAMES.directoryBindPassword, password);
  run.deps.settings.update((s) => ({
    ...s,
    directory: {
      url: dir.url,
      bindUpn: dir.bindUpn,
      caPem: dir.trust.caPem,
      fingerprintSha256: dir.trust.fingerprintSha256,
      serverName: dir.trust.serverName ?? run.memory.facts?.connectedDc,
      scopeDns: s.directory?.url === dir.url ? s.directory.scopeDns : [],
    },
  }));
}

/** Re-reads the domain after a restart (the facts are not persisted); needs the stored password. */
export async function ensureFacts(run: WizardRun): Promise<void> {
  if (run.memory.facts) return;
  const dir = run.memory.directory;
  const password = run.memory.directoryPassword ?? (await run.deps.secrets.get(SECRET_NAMES.directoryBindPassword));
  if (!dir || !password) throw new AppError('directory-not-configured', 'Connect to the domain controller again.');
  run.memory.directoryPassword = password;
  run.memory.facts = await run.deps.ports.directory.discover({ ...dir, password });
}
