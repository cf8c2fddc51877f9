import { bridge } from '../transport/api';

let popup: Window | null = null;
let shown: string | null = null;

/**
 * The web dashboard opens the Microsoft sign-in page in a popup. Browsers only allow popups from a click,
 * so the click opens an empty one and `showSignInUrl` points it at the URL once the core has it.
 * The desktop app opens the system browser from main, so nothing happens here.
 */
export function preparePopup(): void {
  if (bridge.kind !== 'web') return;
  if (popup && !popup.closed) return;
  popup = window.open('about:blank', 'oe-sign-in', 'popup,width=520,height=680');
  shown = null;
}

/** Sends the prepared popup to the sign-in URL; false when there is no popup (blocked), so the page shows a link. */
export function showSignInUrl(url: string): boolean {
  if (bridge.kind !== 'web') return true;
  if (!popup || popup.closed) return false;
  if (shown !== url) {
    popup.location.href = url;
    shown = url;
  }
  return true;
}

/** Closes the popup after sign-in finished (it may already be gone). */
export function closePopup(): void {
  try {
    popup?.close();
  } catch {
    // a cross-origin popup may refuse; it says "you can close this window"
  }
  popup = null;
  shown = null;
}
