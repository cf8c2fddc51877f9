import type { CertificateInfo } from '../directory/directory-errors';
import type { AdminSignIn, CertificateFactory, TenantProbe, TenantReaderFactory } from '../tenant/tenant-ports';

// The narrow surfaces the wizards need from the directory and the tenant. The state machines only see
// these, so they are unit-tested with small fakes; thin adapters map them onto the real clients.

/** How to reach the DC. The password is held in memory and in the SecretStore, never in state files. */
export interface DirectoryConnection {
  url: string;
  bindUpn: string;
  password: string;
  trust: { caPem?: string; fingerprintSha256?: string; serverName?: string };
}

/** The DC's certificate as the TLS probe saw it; `trusted` false means the admin must approve it. */
export interface ProbedCertificate {
  trusted: boolean;
  reason: string;
  /** The directory layer's certificate facts, without the PEM. */
  certificate: Omit<CertificateInfo, 'pem'>;
}

/** What the prerequisites and the scope page need to know about the domain. */
export interface DirectoryFacts {
  dnsDomainName: string;
  netbiosName: string;
  domainControllers: string[];
  connectedDc: string;
  thisHostIsDc: boolean;
  upnSuffixes: { suffix: string; routable: boolean }[];
  /** The DC's clock, when it could be read (for the skew check). */
  dcTime: Date | null;
  ous: { dn: string; name: string; depth: number }[];
}

/** Talks to the DC for the wizard: certificate first (no credentials sent), then bind + discovery. */
export interface DirectoryProbe {
  probeCertificate(url: string, trust: DirectoryConnection['trust']): Promise<ProbedCertificate>;
  discover(connection: DirectoryConnection): Promise<DirectoryFacts>;
}

/** Everything the wizards use from outside; the feature builds the real set, tests pass fakes. */
export interface WizardPorts {
  directory: DirectoryProbe;
  tenantProbe: TenantProbe;
  signIn: AdminSignIn;
  certificates: CertificateFactory;
  reader: TenantReaderFactory;
  /** This machine's clock (tests move it). */
  now(): Date;
  /** How long to wait for a new app credential to replicate (tests shorten it). */
  replicationRetry?: { attempts: number; firstDelayMs: number };
}

