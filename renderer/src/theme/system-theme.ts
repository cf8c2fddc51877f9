import { useSyncExternalStore } from 'react';

/** The three looks the dashboard supports, chosen by the OS, never by a setting. */
export type ThemeKind = 'light' | 'dark' | 'high-contrast';

/** What the OS tells us through media queries. */
export interface SystemPreferences {
  dark: boolean;
  forcedColors: boolean;
  moreContrast: boolean;
}

/** Picks a theme: Windows High Contrast (forced colors) or "more contrast" wins over dark/light. */
export function resolveThemeKind(prefs: SystemPreferences): ThemeKind {
  if (prefs.forcedColors || prefs.moreContrast) return 'high-contrast';
  return prefs.dark ? 'dark' : 'light';
}

const QUERIES = {
  dark: '(prefers-color-scheme: dark)',
  forcedColors: '(forced-colors: active)',
  moreContrast: '(prefers-contrast: more)',
} as const;

function matches(query: string): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia(query).matches;
}

function subscribe(listener: () => void): () => void {
  if (typeof window.matchMedia !== 'function') return () => undefined;
  const lists = Object.values(QUERIES).map((q) => window.matchMedia(q));
  for (const l of lists) l.addEventListener('change', listener);
  return () => {
    for (const l of lists) l.removeEventListener('change', listener);
  };
}

function snapshot(): ThemeKind {
  return resolveThemeKind({ dark: matches(QUERIES.dark), forcedColors: matches(QUERIES.forcedColors), moreContrast: matches(QUERIES.moreContrast) });
}

/** The OS theme, updated live when the admin switches light/dark or turns on high contrast. */
export function useSystemTheme(): ThemeKind {
  return useSyncExternalStore(subscribe, snapshot, () => 'light');
}
