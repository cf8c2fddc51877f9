import type { IntegrationStatus, LicenseSummary, TenantDomain } from '../../../../shared/contract';
import { formatLastRun } from '../../lib/health-display';

/** "22 Nov 2026, 09:00"-style local date and time for status facts; absent or unparsable values say so. */
export function formatDateTime(iso: string | null | undefined, fallback = 'Not recorded'): string {
  if (!iso) return fallback;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return fallback;
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(t);
}

/** Share of seats in use as a 0–100 bar width; an empty or over-assigned SKU still draws sensibly. */
export function usedPercent(license: Pick<LicenseSummary, 'total' | 'used'>): number {
  if (license.total <= 0) return license.used > 0 ? 100 : 0;
  return Math.min(100, Math.round((license.used / license.total) * 100));
}

/** The default domain first, then verified, initial (onmicrosoft.com) and unverified ones — the order admins scan. */
export function sortDomains(domains: TenantDomain[]): TenantDomain[] {
  const rank = { verified: 0, initial: 1, unverified: 2 } as const;
  return [...domains].sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || rank[a.status] - rank[b.status] || a.name.localeCompare(b.name));
}

/** The facts the integration card lists, in reading order (pure, so it can be checked without a DOM). */
export function integrationFacts(status: IntegrationStatus): { label: string; text: string }[] {
  const facts = [
    { label: 'Integrated on', text: formatDateTime(status.integratedAt) },
    { label: 'Administrator', text: status.adminUpn ?? 'Not recorded' },
    { label: 'Default domain', text: status.defaultDomain ?? 'Not recorded' },
    { label: 'Last sync', text: formatLastRun(status.lastSyncAt) },
    { label: 'Tenant ID', text: status.tenantId ?? 'Not recorded' },
  ];
  if (status.certificateExpiresAt) facts.push({ label: 'Certificate expires', text: formatDateTime(status.certificateExpiresAt) });
  return facts;
}
