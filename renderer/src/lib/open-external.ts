import { api, ApiError } from '../transport/api';

/**
 * Opens a Microsoft site for the admin. The core checks the allowlist; in the desktop app it opens the
 * system browser itself, in the web dashboard it answers "allowed, not opened" and the page opens a tab.
 */
export async function openExternal(url: string): Promise<void> {
  const result = await api['app:open-external'](url);
  if (!result.allowed) throw new ApiError('link-refused', result.reason ?? 'The dashboard may not open this link.');
  if (!result.opened) window.open(url, '_blank', 'noopener');
}
