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

/** A URL the admin asked to open (help pages, admin portal); checked against an allowlist in main. */
export const ExternalUrl = z
  .string()
  .max(2048)
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'Only http(s) links can be opened.');

/** `allowed` false: refused by the allowlist. `opened` false but allowed: the caller (web UI) opens it itself. */
export const OpenExternalResult = z.object({ allowed: z.boolean(), opened: z.boolean(), reason: z.string().optional() });

/** App-level channels: identity of the server (the sync's status is `sync:get-status`). */
export const appRequests = {
  'app:get-info': request(z.tuple([]), AppInfo),
  'app:open-external': request(z.tuple([ExternalUrl]), OpenExternalResult),
} satisfies RequestMap;

/** App-level events pushed to every window: `app:info-changed` is also the one announcement that integration changed. */
export const appEvents = {
  'app:info-changed': AppInfo,
} satisfies EventMap;
