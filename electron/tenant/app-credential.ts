import { ConfidentialClientApplication, LogLevel } from '@azure/msal-node';
import type { AuthenticationProvider } from '@microsoft/microsoft-graph-client';
import type { Agent } from 'node:https';
import type { SecretStore } from '../stores/secret-store';
import { authorityFor, GRAPH_DEFAULT_SCOPE, knownAuthoritiesFor, metadataFor, type TenantEndpoints } from './endpoints';
import { MsalNetworkClient } from './https-transport';
import { TenantError } from './tenant-errors';

/** The background service's credential: a certificate whose private key lives only in the SecretStore. */
export interface CertificateCredential {
  kind: 'certificate';
  thumbprintSha256: string;
  certificatePem: string;
  privateKeySecretName: string;
  secrets: SecretStore;
}

/** App-only tokens via MSAL's client-credentials flow with a PS256 client assertion. */
export class CertificateAuthProvider implements AuthenticationProvider {
  private app?: ConfidentialClientApplication;
  constructor(
    private readonly endpoints: TenantEndpoints,
    private readonly tenantId: string,
    private readonly clientId: string,
    private readonly cred: CertificateCredential,
    private readonly agent: Agent,
  ) {}

  private async msal(): Promise<ConfidentialClientApplication> {
    if (this.app) return this.app;
    const privateKey = await this.cred.secrets.get(this.cred.privateKeySecretName);
    if (!privateKey) throw new TenantError('auth-failed', 'The app certificate\'s private key is missing from the keychain. Re-run the Integrate wizard.');
    const metadata = metadataFor(this.endpoints, this.tenantId);
    this.app = new ConfidentialClientApplication({
      auth: {
        clientId: this.clientId,
        authority: authorityFor(this.endpoints, this.tenantId),
        knownAuthorities: knownAuthoritiesFor(this.endpoints),
        ...(metadata ? { authorityMetadata: metadata } : {}),
        clientCertificate: { thumbprintSha256: this.cred.thumbprintSha256, privateKey, x5c: this.cred.certificatePem },
      },
      system: {
        networkClient: new MsalNetworkClient(this.agent),
        // Never log PII or secrets; warnings only.
        loggerOptions: { logLevel: LogLevel.Warning, piiLoggingEnabled: false, loggerCallback: () => undefined },
      },
    });
    return this.app;
  }

  /** Graph SDK hook: a cached or fresh app-only token. */
  async getAccessToken(): Promise<string> {
    const app = await this.msal();
    try {
      const r = await app.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT_SCOPE] });
      if (!r?.accessToken) throw new Error('no token');
      return r.accessToken;
    } catch (e) {
      const code = (e as { errorCode?: string }).errorCode ?? '';
      // MSAL errors carry AADSTS text, never the key; keep only the first line.
      const desc = String((e as { errorMessage?: string }).errorMessage ?? (e as Error).message).split('\n')[0];
      if (/network|endpoints_resolution|ECONN|ETIMEDOUT/i.test(`${code} ${desc}`)) {
        throw new TenantError('unreachable', 'The Microsoft sign-in service could not be reached.', { graphCode: code });
      }
      throw new TenantError('auth-failed', `The app could not sign in to Microsoft 365: ${desc}`, { graphCode: code });
    }
  }
}
