/**
 * Hosts the app may open in the system browser: Microsoft's admin, sign-up and help sites. Anything
 * else (a link injected into tenant data, a typo) is refused, in Electron and in the web dashboard.
 */
export const EXTERNAL_HOST_ALLOWLIST = [
  'admin.microsoft.com',
  'portal.office.com',
  'signup.microsoft.com',
  'www.microsoft.com',
  'learn.microsoft.com',
  'go.microsoft.com',
  'entra.microsoft.com',
  'login.microsoftonline.com',
] as const;

/** True when `url` is https and its host is allowlisted (or is one of `extraOrigins`, e.g. the sandbox tenant). */
export function isAllowedExternalUrl(url: string, extraOrigins: readonly string[] = []): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (extraOrigins.includes(parsed.origin)) return true;
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password) return false;
  return (EXTERNAL_HOST_ALLOWLIST as readonly string[]).includes(parsed.hostname.toLowerCase());
}
