/** Every top-level page of the dashboard, in navigation order. */
export const PAGE_IDS = ['home', 'users', 'storage', 'office-365'] as const;
export type PageId = (typeof PAGE_IDS)[number];

/** Pages shown in the navigation; Office 365 appears only once the server is integrated with Microsoft 365. */
export function visiblePages(integrated: boolean): PageId[] {
  return PAGE_IDS.filter((id) => id !== 'office-365' || integrated);
}

/** Reads the page from a location hash (`#/users`); unknown or hidden pages fall back to Home. */
export function parseRoute(hash: string, integrated: boolean): PageId {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  const page = (PAGE_IDS as readonly string[]).includes(name) ? (name as PageId) : 'home';
  return visiblePages(integrated).includes(page) ? page : 'home';
}

/** The hash for a page, so links and reloads land on the same page (works under app:// and http). */
export function routeHash(page: PageId): string {
  return `#/${page}`;
}
