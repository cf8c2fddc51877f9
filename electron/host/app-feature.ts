import type { AppInfo, appRequests } from '../../shared/contract';
import type { CoreContext } from '../core/core-context';
import { isAllowedExternalUrl } from '../core/external-links';
import type { Feature } from '../core/feature';

/** The server's identity as the dashboard shows it; `integrated` decides whether the Office 365 pages appear. */
export function readAppInfo(ctx: CoreContext): AppInfo {
  const tenant = ctx.settings.get().tenant;
  return {
    productName: 'OpenEssentials',
    version: process.env.npm_package_version ?? '0.1.0',
    mode: ctx.mode,
    serverName: ctx.serverName,
    integrated: Boolean(tenant?.integratedAt),
  };
}

/** The one announcement that integration changed: each `integrationChanged` signal becomes one `app:info-changed` event. */
export function announceIntegrationChanges(ctx: CoreContext): () => void {
  return ctx.signals.on('integrationChanged', () => ctx.events.emit('app:info-changed', readAppInfo(ctx)));
}

/** The `app:*` handlers: who this server is, and opening allowlisted links. */
export function createAppFeature(ctx: CoreContext): Feature<typeof appRequests> {
  return {
    handlers: {
      'app:get-info': async () => readAppInfo(ctx),
      'app:open-external': async (url) => {
        if (!isAllowedExternalUrl(url, ctx.extraExternalOrigins)) {
          ctx.log.warn('Refused to open a link outside the allowlist', { host: safeHost(url) });
          return { allowed: false, opened: false, reason: 'This link is not on the list of Microsoft sites the dashboard may open.' };
        }
        if (!ctx.openExternal) return { allowed: true, opened: false };
        await ctx.openExternal(url);
        return { allowed: true, opened: true };
      },
    },
  };
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid)';
  }
}
