import { X509Certificate } from 'node:crypto';
import type { IntegrationStatus, SyncHealth, TenantOverview } from '../../shared/contract';
import { toWireError } from '../core/errors';
import type { SecretStore } from '../stores/secret-store';
import type { Settings } from '../stores/settings-store';
import { SECRET_NAMES } from '../stores/secret-names';
import type { TenantReaderFactory } from './tenant-ports';

/** Friendly names for the SKUs small businesses have; the part number is shown for the rest. */
const SKU_NAMES: Record<string, string> = {
  O365_BUSINESS_PREMIUM: 'Microsoft 365 Business Standard',
  O365_BUSINESS_ESSENTIALS: 'Microsoft 365 Business Basic',
  SPB: 'Microsoft 365 Business Premium',
  EXCHANGESTANDARD: 'Exchange Online (Plan 1)',
  EXCHANGEENTERPRISE: 'Exchange Online (Plan 2)',
  ENTERPRISEPACK: 'Office 365 E3',
};

function certificateExpiry(pem: string | undefined): string | null {
  if (!pem) return null;
  try {
    return new Date(new X509Certificate(pem).validTo).toISOString();
  } catch {
    return null;
  }
}

/** The local half of the overview: readable with the tenant unreachable or the server not integrated. */
export function integrationStatus(settings: Settings, health: SyncHealth): IntegrationStatus {
  const t = settings.tenant;
  const integrated = Boolean(t?.integratedAt);
  return {
    integrated,
    integratedAt: t?.integratedAt ?? null,
    adminUpn: t?.adminUpn ?? null,
    tenantId: t?.tenantId ?? null,
    clientId: t?.clientId ?? null,
    certificateThumbprintSha256: t?.certificateThumbprintSha256 ?? null,
    certificateExpiresAt: certificateExpiry(t?.certificatePem),
    defaultDomain: t?.defaultDomain ?? null,
    scopeDns: settings.directory?.scopeDns ?? [],
    syncState: integrated ? health.state : 'not-configured',
    lastSyncAt: health.lastRunAt,
    lastError: health.lastError,
  };
}

/**
 * Everything the Office 365 page shows: organisation, domains with status, licenses per SKU, and the
 * integration status. Tenant failures become `reachable: false` + an error, never a rejected call.
 */
export async function readOverview(settings: Settings, health: SyncHealth, secrets: SecretStore, reader: TenantReaderFactory, now: Date): Promise<TenantOverview> {
  const integration = integrationStatus(settings, health);
  const base: TenantOverview = { integration, reachable: false, error: null, organization: null, domains: [], licenses: [], fetchedAt: now.toISOString() };
  const t = settings.tenant;
  if (!integration.integrated || !t?.clientId || !t.certificateThumbprintSha256) {
    return { ...base, error: { code: 'not-integrated', message: 'This server is not connected to Microsoft 365. Run the Integrate with Microsoft 365 wizard.', retryable: false } };
  }
  const privateKeyPem = await secrets.get(SECRET_NAMES.appCertificateKey);
  if (!privateKeyPem) {
    return { ...base, error: { code: 'credential-missing', message: 'The app certificate\'s private key is missing from this server\'s credential store. Use Change the administrator account to create a new credential.', retryable: false } };
  }
  const r = reader({ endpoints: t.endpoints, tenantId: t.tenantId, clientId: t.clientId, thumbprintSha256: t.certificateThumbprintSha256, privateKeyPem });
  try {
    const [org, domains, skus] = await Promise.all([r.organization(), r.domains(), r.skus()]);
    return {
      ...base,
      reachable: true,
      organization: org,
      domains: domains
        .map((d) => ({ name: d.name, isDefault: d.isDefault, isInitial: d.isInitial, isVerified: d.isVerified, status: d.isInitial ? ('initial' as const) : d.isVerified ? ('verified' as const) : ('unverified' as const) }))
        .sort((a, b) => Number(b.isInitial) - Number(a.isInitial) || a.name.localeCompare(b.name)),
      licenses: skus.map((k) => ({
        skuId: k.skuId,
        skuPartNumber: k.skuPartNumber,
        displayName: SKU_NAMES[k.skuPartNumber] ?? k.skuPartNumber,
        capabilityStatus: k.capabilityStatus,
        total: Math.max(0, k.enabled),
        used: Math.max(0, k.consumed),
        free: k.enabled - k.consumed,
      })),
    };
  } catch (error) {
    return { ...base, error: toWireError(error) };
  }
}
