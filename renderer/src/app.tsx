import { FluentProvider, teamsHighContrastTheme, webDarkTheme, webLightTheme, type Theme } from '@fluentui/react-components';
import { useEffect } from 'react';
import { AppShell } from './shell/app-shell';
import { useSystemTheme, type ThemeKind } from './theme/system-theme';

const THEMES: Record<ThemeKind, Theme> = {
  light: webLightTheme,
  dark: webDarkTheme,
  'high-contrast': teamsHighContrastTheme,
};

/** The dashboard root: Fluent UI with the OS theme (light, dark, high contrast), updated live. */
export function App() {
  const kind = useSystemTheme();
  useEffect(() => {
    document.documentElement.dataset.theme = kind;
    document.documentElement.style.colorScheme = kind === 'light' ? 'light' : 'dark';
  }, [kind]);
  return (
    <FluentProvider theme={THEMES[kind]} style={{ minHeight: '100vh' }}>
      <AppShell />
    </FluentProvider>
  );
}
