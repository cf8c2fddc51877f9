import { useSyncExternalStore } from 'react';
import { routeHash, type PageId } from '../lib/routes';

/** The current location hash; the hash is the navigation state, so Back/Forward and reloads just work. */
function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

function getHash(): string {
  return window.location.hash;
}

/** The raw hash in a component; pages resolve it with `parseRoute` once they know whether the server is integrated. */
export function useLocationHash(): string {
  return useSyncExternalStore(subscribe, getHash, () => '');
}

/** Switches page (the one way pages and wizards navigate). */
export function navigate(page: PageId): void {
  const hash = routeHash(page);
  if (window.location.hash !== hash) window.location.hash = hash;
}
