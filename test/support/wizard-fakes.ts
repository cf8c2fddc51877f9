// Hand-written fakes of the wizard ports (electron/wizards/ports.ts) plus a harness that runs the real
// wizard feature against them with file-backed settings and a file logger in a temp data dir.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EventChannel } from '../../shared/contract';
import type { WizardInput, WizardState } from '../../shared/contract/wizard';
import type { CoreContext } from '../../electron/core/core-context';
import { EventBus } from '../../electron/core/event-bus';
import { createFileLogger } from '../../electron/core/logger';
import { MemorySecretStore } from '../../electron/stores/secret-store';
import { openNodeSettings } from '../../electron/stores/settings-store';
import { AppError } from '../../electron/core/errors';
import { Signals, type CoreSignals } from '../../electron/core/signals';
import type { AdminDomain, AdminSession, AppCertificate } from '../../electron/tenant/tenant-ports';
import type { DirectoryFacts, WizardPorts } from '../../electron/wizards/ports';
import { announceIntegrationChanges } from '../../electron/host/app-feature';
import { createWizardFeature } from '../../electron/wizards/wizard-feature';

export const DIR_PASSWORD = 'Dir-Secret-Pa55!word';
export const ADMIN_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZG1pbi1mYWtlLXRva2VuIn0.c2lnbmF0dXJlLWZha2U';
export const FINGERPRINT = 'ab'.repeat(32);

/** A small in-memory tenant behind the admin's session: apps, service principals, grants, roles — and a call log in order. */
export class FakeAdminTenant {
  tenantId = 'tenant-1';
  reachable = true;
  calls: string[] = [];
  apps = new Map<string, { appId: string; certs: string[] }>();
  sps = new Map<string, string>();
  grants = new Map<string, string>();
  roles = new Map<string, string>();
  domains: AdminDomain[] = [
    { name: 'contoso.onmicrosoft.com', isDefault: true, isInitial: true, isVerified: true },
    { name: 'contoso.com', isDefault: false, isInitial: false, isVerified: true },
    { name: 'fabrikam-unverified.com', isDefault: false, isInitial: false, isVerified: false },
  ];
  /** `method:arg` that throws once reached, e.g. `grantAppRole:Domain.ReadWrite.All`. */
  failOn: string | null = null;
  private seq = 0;
  /** der → thumbprint of every certificate the fake factory made. */
  readonly thumbprints = new Map<string, string>();

  private id(prefix: string): string {
    return `${prefix}-${++this.seq}`;
  }

  private hit(name: string, arg = ''): void {
    if (!this.reachable) throw new AppError('unreachable', 'Microsoft 365 could not be reached.');
    this.calls.push(arg ? `${name}:${arg}` : name);
    if (this.failOn === `${name}:${arg}` || this.failOn === name) throw new AppError('graph-error', `The tenant refused ${name}.`);
  }

  session(adminUpn: string, admin: boolean, tenantId = this.tenantId): AdminSession & { token: string } {
    const t: FakeAdminTenant = this; // eslint-disable-line @typescript-eslint/no-this-alias -- the session's methods share this tenant
    return {
      adminUpn,
      tenantId,
      token: ADMIN_TOKEN,
      async canBootstrap() { t.hit('canBootstrap'); return admin; },
      async domains() { t.hit('domains'); return t.domains; },
      async organizationName() { return 'Contoso'; },
      async createApplication(input) {
        t.hit('createApplication', input.displayName);
        const objectId = t.id('app'); const appId = t.id('client');
        t.apps.set(objectId, { appId, certs: [input.certificateDerBase64] });
        return { objectId, appId };
      },
      async createServicePrincipal(appId) { t.hit('createServicePrincipal', appId); const id = t.id('sp'); t.sps.set(id, appId); return { id }; },
      async grantAppRole(sp, value) { t.hit('grantAppRole', value); const id = t.id('grant'); t.grants.set(id, `${sp}:${value}`); return { id }; },
      async assignDirectoryRole(sp, role) { t.hit('assignDirectoryRole', role); const id = t.id('role'); t.roles.set(id, `${sp}:${role}`); return { id }; },
      async getApplication(objectId) { t.hit('getApplication', objectId); const a = t.apps.get(objectId); return a ? { appId: a.appId, displayName: 'app' } : null; },
      async setCertificates(objectId, ders) { t.hit('setCertificates', String(ders.length)); const a = t.apps.get(objectId); if (!a) throw new AppError('not-found', 'no app'); a.certs = [...ders]; },
      async deleteApplication(objectId) {
        t.hit('deleteApplication', objectId);
        const app = t.apps.get(objectId);
        t.apps.delete(objectId);
        for (const [id, appId] of t.sps) if (appId === app?.appId) t.sps.delete(id);
      },
      async deleteServicePrincipal(id) { t.hit('deleteServicePrincipal', id); t.sps.delete(id); },
      async removeAppRole(_sp, id) { t.hit('removeAppRole', id); t.grants.delete(id); },
      async removeDirectoryRole(id) { t.hit('removeDirectoryRole', id); t.roles.delete(id); },
    };
  }

  /** True when `clientId` has a certificate with this thumbprint (what a token request would check). */
  accepts(clientId: string, thumbprint: string): boolean {
    if (!this.reachable) return false;
    return [...this.apps.values()].some((a) => a.appId === clientId && a.certs.some((d) => this.thumbprints.get(d) === thumbprint));
  }
}

/** Fake ports; `signInAs` decides who signs in next, `signInMode` whether it completes, waits or fails. */
export class FakePorts implements WizardPorts {
  certCount = 0;
  facts: DirectoryFacts = {
    dnsDomainName: 'corp.example.test',
    netbiosName: 'CORP',
    domainControllers: ['dc1.corp.example.test'],
    connectedDc: 'dc1.corp.example.test',
    thisHostIsDc: true,
    upnSuffixes: [{ suffix: 'corp.example.test', routable: true }, { suffix: 'corp.local', routable: false }],
    dcTime: null,
    ous: [
      { dn: 'OU=Staff,DC=corp,DC=example,DC=test', name: 'Staff', depth: 0 },
      { dn: 'OU=Sales,OU=Staff,DC=corp,DC=example,DC=test', name: 'Sales', depth: 1 },
    ],
  };
  certTrusted = false;
  signInAs = { upn: 'admin@contoso.onmicrosoft.com', admin: true, tenantId: '' };
  signInMode: 'complete' | 'wait' | 'fail' = 'complete';
  clock = new Date('2026-11-22T20:00:00Z');
  openedUrls: string[] = [];
  private release: (() => void) | null = null;

  constructor(readonly tenant: FakeAdminTenant) {}

  now = (): Date => this.clock;
  replicationRetry = { attempts: 3, firstDelayMs: 1 };

  directory = {
    probeCertificate: async (url: string, trust: { fingerprintSha256?: string }) => {
      if (url.includes('unreachable')) throw new AppError('unreachable', 'The domain controller cannot be reached.');
      const trusted = this.certTrusted || trust.fingerprintSha256 === FINGERPRINT;
      return {
        trusted,
        reason: trusted ? 'trusted' : 'The certificate is self-signed.',
        certificate: { fingerprintSha256: FINGERPRINT, subject: 'CN=dc1.corp.example.test', issuer: 'CN=Samba CA', validFrom: 'Nov 1 2026', validTo: 'Nov 1 2028', subjectAltNames: 'DNS:dc1.corp.example.test' },
      };
    },
    discover: async (c: { password: string; trust: { fingerprintSha256?: string } }) => {
      if (c.password !== DIR_PASSWORD) throw new AppError('invalid-credentials', 'The user name or password is incorrect.');
      return { ...this.facts, dcTime: this.clock };
    },
  };

  tenantProbe = {
    check: async () => {
      if (!this.tenant.reachable) throw new AppError('unreachable', 'Microsoft 365 could not be reached from this server.');
      return { serverTime: this.clock };
    },
  };

  signIn = {
    signIn: async (_e: unknown, openBrowser: (url: string) => Promise<void>, signal: AbortSignal): Promise<AdminSession> => {
      const url = `https://login.example.test/authorize?client_id=x&n=${this.openedUrls.length}`;
      this.openedUrls.push(url);
      await openBrowser(url);
      if (this.signInMode === 'fail' || !this.tenant.reachable) throw new AppError('unreachable', 'Microsoft 365 sign-in could not be reached.');
      if (this.signInMode === 'wait') {
        await new Promise<void>((resolve, reject) => {
          this.release = resolve;
          signal.addEventListener('abort', () => reject(new AppError('aborted', 'Sign-in was cancelled.')), { once: true });
        });
      }
      return this.tenant.session(this.signInAs.upn, this.signInAs.admin, this.signInAs.tenantId || this.tenant.tenantId);
    },
  };

  /** Completes a sign-in started in 'wait' mode (the admin finished in the browser). */
  finishSignIn(): void {
    this.release?.();
    this.release = null;
  }

  certificates = {
    create: async (subject: string): Promise<AppCertificate> => {
      const n = ++this.certCount;
      const der = Buffer.from(`cert-${n}-${subject}`).toString('base64');
      const thumb = `thumb-${n}`;
      this.tenant.thumbprints.set(der, thumb);
      return {
        certificatePem: `-----BEGIN CERTIFICATE-----\n${der}\n-----END CERTIFICATE-----\n`,
        privateKeyPem: `-----BEGIN PRIVATE KEY-----\nFAKE-PRIVATE-KEY-${n}-${'k'.repeat(40)}\n-----END PRIVATE KEY-----\n`,
        derBase64: der,
        thumbprintSha256: thumb,
        expiresAt: '2028-11-22T00:00:00.000Z',
      };
    },
  };

  reader = (cred: { clientId: string; thumbprintSha256: string }) => {
    const check = () => {
      if (!this.tenant.accepts(cred.clientId, cred.thumbprintSha256)) throw new AppError('credential-rejected', 'The app credential was rejected.');
    };
    return {
      organization: async () => (check(), { id: this.tenant.tenantId, displayName: 'Contoso', countryLetterCode: 'US' }),
      domains: async () => (check(), this.tenant.domains),
      skus: async () => (check(), [{ skuId: 'sku-1', skuPartNumber: 'O365_BUSINESS_PREMIUM', capabilityStatus: 'Enabled', enabled: 25, consumed: 3 }]),
    };
  };
}

/** The wizard feature over fakes, with everything it writes in one temp dir and every event recorded. */
export function makeHarness(dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oe-wizard-')), tenant = new FakeAdminTenant(), secrets = new MemorySecretStore()) {
  const ports = new FakePorts(tenant);
  const events = new EventBus();
  const seen: Array<[EventChannel, unknown]> = [];
  events.subscribe((channel, payload) => seen.push([channel, payload]));
  const signals = new Signals<CoreSignals>();
  const integrationChanged: number[] = [];
  signals.on('integrationChanged', () => integrationChanged.push(Date.now()));
  const ctx: CoreContext = {
    mode: 'web', dataDir, settings: openNodeSettings(dataDir), secrets, events, log: createFileLogger(dataDir),
    serverName: 'DC1', signals, extraExternalOrigins: [],
  };
  announceIntegrationChanges(ctx); // as the composition root does
  const feature = createWizardFeature(ctx, ports);
  const h = feature.handlers;
  // Sends the action from the page the core shows now, as the dashboard does.
  const submit = async (input: WizardInput): Promise<WizardState> => {
    await h['wizard:submit-step']((await h['wizard:get-state']()).step?.kind ?? 'get-started', input);
    await feature.controller.idle();
    return h['wizard:get-state']();
  };
  return { dataDir, ctx, ports, tenant, secrets, seen, integrationChanged, feature, h, submit, cleanup: () => fs.rmSync(dataDir, { recursive: true, force: true }) };
}

export type Harness = ReturnType<typeof makeHarness>;

/** Drives Integrate from the first page to the scope page (the happy path); returns the last state. */
export async function integrateToScope(t: Harness): Promise<WizardState> {
  await t.h['wizard:start']('integrate');
  await t.submit({ action: 'choose-subscription', choice: 'have' });
  await t.submit({ action: 'connect-directory', url: 'ldaps://dc1.corp.example.test', bindUpn: 'svc-oe@corp.example.test', password: DIR_PASSWORD });
  await t.submit({ action: 'trust-certificate', approve: true, fingerprintSha256: FINGERPRINT });
  await t.submit({ action: 'next' });
  await t.submit({ action: 'sign-in' });
  return t.submit({ action: 'create' });
}

/** Completes Integrate with contoso.com as the default domain. */
export async function integrate(t: Harness): Promise<WizardState> {
  await integrateToScope(t);
  const done = await t.submit({ action: 'choose-scope', defaultDomain: 'contoso.com', scopeDns: ['OU=Staff,DC=corp,DC=example,DC=test'] });
  await t.h['wizard:cancel']();
  return done;
}

/** Every file under `dir`, recursively. */
export function allFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? allFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
