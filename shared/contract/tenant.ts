import { z } from 'zod';
import { ErrorView, request, type EventMap, type RequestMap } from './define';
import { SyncState } from './sync';

/** A tenant domain with the status the Office 365 page shows. */
export const TenantDomain = z.object({
  name: z.string(),
  status: z.enum(['initial', 'verified', 'unverified']),
  isDefault: z.boolean(),
  isInitial: z.boolean(),
  isVerified: z.boolean(),
});
export type TenantDomain = z.infer<typeof TenantDomain>;

/** One subscription (SKU): used and free seats, for the license chart. */
export const LicenseSummary = z.object({
  skuId: z.string(),
  skuPartNumber: z.string(),
  displayName: z.string(),
  capabilityStatus: z.string(),
  total: z.number().int().nonnegative(),
  used: z.number().int().nonnegative(),
  free: z.number().int(),
});
export type LicenseSummary = z.infer<typeof LicenseSummary>;

/** How the server is connected: who integrated it, which app, and the sync's latest state. */
export const IntegrationStatus = z.object({
  integrated: z.boolean(),
  integratedAt: z.string().nullable(),
  adminUpn: z.string().nullable(),
  tenantId: z.string().nullable(),
  clientId: z.string().nullable(),
  certificateThumbprintSha256: z.string().nullable(),
  certificateExpiresAt: z.string().nullable(),
  defaultDomain: z.string().nullable(),
  scopeDns: z.array(z.string()),
  syncState: SyncState,
  lastSyncAt: z.string().nullable(),
  lastError: z.string().nullable(),
});
export type IntegrationStatus = z.infer<typeof IntegrationStatus>;

/**
 * Everything the Office 365 page shows in one call. `reachable` false (with `error`) still returns the
 * local integration status, so the page explains what's wrong instead of going blank.
 */
export const TenantOverview = z.object({
  integration: IntegrationStatus,
  reachable: z.boolean(),
  error: ErrorView.nullable(),
  organization: z.object({ id: z.string(), displayName: z.string(), countryLetterCode: z.string().nullable() }).nullable(),
  domains: z.array(TenantDomain),
  licenses: z.array(LicenseSummary),
  fetchedAt: z.string(),
});
export type TenantOverview = z.infer<typeof TenantOverview>;

/** `tenant:*` channels. */
export const tenantRequests = {
  'tenant:get-overview': request(z.tuple([]), TenantOverview),
} satisfies RequestMap;

/** `tenant:*` events (a change of integration is announced once, as `app:info-changed`). */
export const tenantEvents = {} satisfies EventMap;
