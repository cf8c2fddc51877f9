import type { PlanItem } from '../../shared/contract/wizard';
import type { AdminSession, AppCertificate, CertificateFactory } from '../tenant/tenant-ports';
import type { JournalEntry } from './wizard-draft';

/** Graph application permissions the sync engine and the pages need — no more (least privilege). */
export const APP_ROLE_VALUES = [
  'User.ReadWrite.All',
  'User-PasswordProfile.ReadWrite.All',
  'Organization.Read.All',
  'Domain.ReadWrite.All',
  'LicenseAssignment.ReadWrite.All',
] as const;

/** Directory roles the app's service principal needs: Entra requires one for password writes. */
export const DIRECTORY_ROLES = [{ id: 'fe930be7-5e62-47db-91af-98c3a49a38b1', name: 'User Administrator' }] as const;

/** The app registration's name in the tenant: recognisable in the Entra admin center. */
export function applicationName(serverName: string): string {
  return `OpenEssentials (${serverName})`;
}

/** What the bootstrap will create, shown to the admin before anything is created. */
export function bootstrapPlan(serverName: string): PlanItem[] {
  const name = applicationName(serverName);
  return [
    { id: 'certificate', kind: 'certificate', title: 'A certificate for this server', detail: 'Generated here; its private key stays in this computer\'s credential store and never leaves it.', status: 'planned' },
    { id: 'application', kind: 'application', title: `App registration "${name}"`, detail: 'Signs in with the certificate above (no password, no secret).', status: 'planned' },
    { id: 'service-principal', kind: 'service-principal', title: `Enterprise application "${name}"`, detail: 'The app\'s identity in your organisation.', status: 'planned' },
    ...APP_ROLE_VALUES.map((v): PlanItem => ({ id: `app-role:${v}`, kind: 'app-role', title: `Microsoft Graph permission ${v}`, detail: 'Granted with admin consent.', status: 'planned' })),
    ...DIRECTORY_ROLES.map((r): PlanItem => ({ id: `directory-role:${r.id}`, kind: 'directory-role', title: `Directory role ${r.name}`, detail: 'Needed to set passwords of online accounts (not of administrators).', status: 'planned' })),
  ];
}

/** What a successful bootstrap leaves behind (all public except the private key, which the caller stores). */
export interface BootstrapResult {
  objectId: string;
  appId: string;
  servicePrincipalId: string;
  certificate: AppCertificate;
}

/** Progress callbacks: item status for the UI, and each created object for the journal (before the next call). */
export interface BootstrapHooks {
  progress(itemId: string, status: PlanItem['status']): void;
  created(entry: JournalEntry): void;
}

/**
 * Creates the app registration, service principal, permission grants and directory roles in order,
 * journaling each object the moment it exists. On failure it throws; the caller undoes the journal.
 */
export async function runBootstrap(session: AdminSession, certificates: CertificateFactory, serverName: string, hooks: BootstrapHooks): Promise<BootstrapResult> {
  const step = async <T>(itemId: string, work: () => Promise<T>): Promise<T> => {
    hooks.progress(itemId, 'running');
    try {
      const out = await work();
      hooks.progress(itemId, 'done');
      return out;
    } catch (error) {
      hooks.progress(itemId, 'failed');
      throw error;
    }
  };
  const name = applicationName(serverName);
  const certificate = await step('certificate', () => certificates.create(name));
  const app = await step('application', () => session.createApplication({ displayName: name, certificateDerBase64: certificate.derBase64, appRoleValues: [...APP_ROLE_VALUES] }));
  hooks.created({ kind: 'application', objectId: app.objectId, appId: app.appId });
  const sp = await step('service-principal', () => session.createServicePrincipal(app.appId));
  hooks.created({ kind: 'service-principal', id: sp.id });
  for (const value of APP_ROLE_VALUES) {
    const grant = await step(`app-role:${value}`, () => session.grantAppRole(sp.id, value));
    hooks.created({ kind: 'app-role', servicePrincipalId: sp.id, id: grant.id, value });
  }
  for (const role of DIRECTORY_ROLES) {
    const assignment = await step(`directory-role:${role.id}`, () => session.assignDirectoryRole(sp.id, role.id));
    hooks.created({ kind: 'directory-role', id: assignment.id, roleTemplateId: role.id });
  }
  return { objectId: app.objectId, appId: app.appId, servicePrincipalId: sp.id, certificate };
}

/** The plan item a journal entry corresponds to (for showing "undone" next to it). */
export function planItemId(entry: JournalEntry): string {
  switch (entry.kind) {
    case 'application':
      return 'application';
    case 'service-principal':
      return 'service-principal';
    case 'app-role':
      return `app-role:${entry.value}`;
    case 'directory-role':
      return `directory-role:${entry.roleTemplateId}`;
  }
}

/**
 * Undoes what the journal says was created, newest first. Keeps going past a failure so as much as
 * possible is removed; returns the entries that could not be undone (still in the tenant).
 */
export async function undoJournal(session: AdminSession, journal: readonly JournalEntry[], progress: (entry: JournalEntry, ok: boolean) => void): Promise<JournalEntry[]> {
  const left: JournalEntry[] = [];
  for (const entry of [...journal].reverse()) {
    try {
      switch (entry.kind) {
        case 'directory-role':
          await session.removeDirectoryRole(entry.id);
          break;
        case 'app-role':
          await session.removeAppRole(entry.servicePrincipalId, entry.id);
          break;
        case 'service-principal':
          await session.deleteServicePrincipal(entry.id);
          break;
        case 'application':
          await session.deleteApplication(entry.objectId);
          break;
      }
      progress(entry, true);
    } catch {
      progress(entry, false);
      left.unshift(entry);
    }
  }
  return left;
}
