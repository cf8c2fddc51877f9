import { AppError } from '../core/errors';
import type { Settings } from '../stores/settings-store';
import type { NormalizeOptions } from './normalize';
import type { TenantDomains } from './ports';

/** Settings the engine reads at the start of each run (they may change between runs). */
export interface EngineConfig {
  normalize: NormalizeOptions;
  skuId?: string;
  deleteThreshold: number;
}

/**
 * The one place settings become the engine's configuration. New accounts' names use the domain chosen in the wizard,
 * else the tenant's initial `…onmicrosoft.com` domain (always verified) — never a made-up name.
 */
export function engineConfig(settings: Settings, domains: TenantDomains): EngineConfig {
  const t = settings.tenant;
  if (!t) throw new AppError('not-integrated', 'This server is not connected to Microsoft 365.');
  const domain = t.defaultDomain ?? t.initialDomain ?? domains.initial ?? domains.verified[0];
  if (!domain) throw new AppError('no-verified-domain', 'Microsoft 365 reports no verified domain for new accounts. Verify a domain, then try again.');
  return {
    normalize: { domain, verifiedDomains: domains.verified.length ? domains.verified : [domain], tenantId: t.tenantId, ...(t.defaultUsageLocation ? { usageLocation: t.defaultUsageLocation } : {}) },
    ...(t.defaultSkuId ? { skuId: t.defaultSkuId } : {}),
    deleteThreshold: settings.sync.deleteThreshold,
  };
}
