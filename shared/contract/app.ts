import { z } from 'zod';
import { request, type EventMap, type RequestMap } from './define';

/** Which pages the dashboard may show; Office 365 pages appear only once integrated. */
export const AppInfo = z.object({
  productName: z.string(),
  version: z.string(),
  mode: z.enum(['electron', 'web', 'headless']),
  serverName: z.string(),
  integrated: z.boolean(),
});
export type AppInfo = z.infer<typeof AppInfo>;

/** Health of the background sync, shown in the status area of every page. */
export const SyncHealth = z.object({
  state: z.enum(['not-configured', 'idle', 'running', 'paused', 'error']),
  lastRunAt: z.string().nullable(),
  lastError: z.string().nullable(),
  pending: z.number().int().nonnegative(),
  message: z.string(),
});
export type SyncHealth = z.infer<typeof SyncHealth>;

/** A URL the admin asked to open (help pages, admin portal); checked against an allowlist in main. */
export const ExternalUrl = z
  .string()
  .max(2048)
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'Only http(s) links can be opened.');

/** `allowed` false: refused by the allowlist. `opened` false but allowed: the caller (web UI) opens it itself. */
export const OpenExternalResult = z.object({ allowed: z.boolean(), opened: z.boolean(), reason: z.string().optional() });

/** App-level channels: identity of the server and global status. */
export const appRequests = {
  'app:get-info': request(z.tuple([]), AppInfo),
  'app:get-health': request(z.tuple([]), SyncHealth),
  'app:open-external': request(z.tuple([ExternalUrl]), OpenExternalResult),
} satisfies RequestMap;

/** App-level events pushed to every window. */
export const appEvents = {
  'app:health-changed': SyncHealth,
  'app:info-changed': AppInfo,
} satisfies EventMap;
