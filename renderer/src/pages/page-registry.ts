import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { PageId } from '../lib/routes';

/** Each page is its own chunk: the dashboard loads Home first and the rest on first visit. */
export const PAGES: Record<PageId, LazyExoticComponent<ComponentType>> = {
  home: lazy(() => import('./home-page').then((m) => ({ default: m.HomePage }))),
  users: lazy(() => import('./users-page').then((m) => ({ default: m.UsersPage }))),
  storage: lazy(() => import('./storage-page').then((m) => ({ default: m.StoragePage }))),
  'office-365': lazy(() => import('./office-365-page').then((m) => ({ default: m.Office365Page }))),
};
