import type { AppInfo, Handlers, SyncHealth } from '../../shared/contract';
import type { CoreContext } from './core-context';
import { isAllowedExternalUrl } from './external-links';

type AppHandlers = Pick<Handlers, 'app:get-info' | 'app:get-health' | 'app:open-external'>;

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

/** Health before the sync engine has reported anything. */
export function initialHealth(ctx: CoreContext): SyncHealth {
  const integrated = readAppInfo(ctx).integrated;
  return {
    state: integrated ? 'idle' : 'not-configured',
    lastRunAt: null,
    lastError: null,
    pending: 0,
    message: integrated ? 'Waiting for the first sync.' : 'Not connected to Microsoft 365 yet.',
  };
}

/** Handlers for the `app:*` channels. */
export function createAppHandlers(ctx: CoreContext, health: () => SyncHealth): AppHandlers {
  return {
    'app:get-info': async () => readAppInfo(ctx),
    'app:get-health': async () => health(),
    'app:open-external': async (url) => {
      if (!isAllowedExternalUrl(url, ctx.extraExternalOrigins)) {
        ctx.log.warn('Refused to open a link outside the allowlist', { host: safeHost(url) });
        return { allowed: false, opened: false, reason: 'This link is not on the list of Microsoft sites the dashboard may open.' };
      }
      if (!ctx.openExternal) return { allowed: true, opened: false };
      await ctx.openExternal(url);
      return { allowed: true, opened: true };
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
