// What the wizards (and the Office 365 page) use from the tenant layer: the admin's delegated session, the app's own
// reader, the reachability probe and the certificate factory. Declared once here; the adapters in
// tenant-adapters.ts map them onto the tenant client, and tests implement them with small fakes.
import type { TenantEndpoints } from './endpoints';

/** Reachability of the tenant's sign-in and Graph endpoints, plus its clock (from the HTTP Date header). */
export interface TenantProbe {
  check(endpoints: TenantEndpoints): Promise<{ serverTime: Date | null }>;
}

/** A verified domain as the admin session reads it. */
export interface AdminDomain {
  name: string;
  isDefault: boolean;
  isInitial: boolean;
  isVerified: boolean;
}

/**
 * The signed-in administrator's delegated Graph session: just the calls the bootstrap, the change and the
 * disable wizards make, each with its undo. Lives in memory only; nothing here is persisted.
 */
export interface AdminSession {
  readonly adminUpn: string;
  readonly tenantId: string;
  /** True when the admin holds a role that may register apps and grant permissions (Global Administrator). */
  canBootstrap(): Promise<boolean>;
  domains(): Promise<AdminDomain[]>;
  organizationName(): Promise<string | null>;
  createApplication(input: { displayName: string; certificateDerBase64: string; appRoleValues: string[] }): Promise<{ objectId: string; appId: string }>;
  createServicePrincipal(appId: string): Promise<{ id: string }>;
  grantAppRole(servicePrincipalId: string, roleValue: string): Promise<{ id: string }>;
  assignDirectoryRole(servicePrincipalId: string, roleTemplateId: string): Promise<{ id: string }>;
  getApplication(objectId: string): Promise<{ appId: string; displayName: string } | null>;
  /** Sets the app's certificate credentials to exactly these (rotation: old + new, then new only). */
  setCertificates(objectId: string, certificatesDerBase64: string[]): Promise<void>;
  deleteApplication(objectId: string): Promise<void>;
  deleteServicePrincipal(id: string): Promise<void>;
  removeAppRole(servicePrincipalId: string, assignmentId: string): Promise<void>;
  removeDirectoryRole(assignmentId: string): Promise<void>;
}

/** Interactive, MFA-capable admin sign-in; `openBrowser` shows the URL (system browser or dashboard popup). */
export interface AdminSignIn {
  signIn(endpoints: TenantEndpoints, openBrowser: (url: string) => Promise<void>, signal: AbortSignal): Promise<AdminSession>;
}

/** A freshly generated app certificate; `privateKeyPem` goes straight to the SecretStore. */
export interface AppCertificate {
  certificatePem: string;
  privateKeyPem: string;
  derBase64: string;
  thumbprintSha256: string;
  expiresAt: string;
}

/** Generates the app's self-signed certificate locally (the private key never leaves this machine). */
export interface CertificateFactory {
  create(subject: string): Promise<AppCertificate>;
}

/** The app's own (certificate) view of the tenant: what the Office 365 page and the final check read. */
export interface TenantReader {
  organization(): Promise<{ id: string; displayName: string; countryLetterCode: string | null }>;
  domains(): Promise<AdminDomain[]>;
  skus(): Promise<{ skuId: string; skuPartNumber: string; capabilityStatus: string; enabled: number; consumed: number }[]>;
}

/** What the app credential needs to sign in as itself. */
export interface AppCredential {
  endpoints: TenantEndpoints;
  tenantId: string;
  clientId: string;
  thumbprintSha256: string;
  privateKeyPem: string;
}

/** Builds a TenantReader from the app credential (MSAL client credentials + Graph). */
export type TenantReaderFactory = (credential: AppCredential) => TenantReader;
