import { describe, expect, it } from 'vitest';
import { describeHealth, formatLastRun } from '../../renderer/src/lib/health-display';
import { resolveThemeKind } from '../../renderer/src/theme/system-theme';

describe('renderer theme resolution', () => {
  it('follows light/dark and lets high contrast win', () => {
    expect(resolveThemeKind({ dark: false, forcedColors: false, moreContrast: false })).toBe('light');
    expect(resolveThemeKind({ dark: true, forcedColors: false, moreContrast: false })).toBe('dark');
    expect(resolveThemeKind({ dark: true, forcedColors: true, moreContrast: false })).toBe('high-contrast');
    expect(resolveThemeKind({ dark: false, forcedColors: false, moreContrast: true })).toBe('high-contrast');
  });
});

describe('renderer health display', () => {
  it('gives every sync state a label and a tone', () => {
    expect(describeHealth('idle')).toEqual({ label: 'Healthy', tone: 'success' });
    expect(describeHealth('error')).toEqual({ label: 'Needs attention', tone: 'danger' });
    expect(describeHealth('not-configured').tone).toBe('subtle');
    expect(describeHealth('running').label).toBe('Syncing');
    expect(describeHealth('paused').tone).toBe('warning');
  });

  it('formats the last run relative to now', () => {
    const now = Date.parse('2026-11-22T12:00:00Z');
    expect(formatLastRun(null, now)).toBe('Never');
    expect(formatLastRun('garbage', now)).toBe('Unknown');
    expect(formatLastRun('2026-11-22T11:59:50Z', now)).toBe('Just now');
    expect(formatLastRun('2026-11-22T11:59:00Z', now)).toBe('1 minute ago');
    expect(formatLastRun('2026-11-22T11:15:00Z', now)).toBe('45 minutes ago');
    expect(formatLastRun('2026-11-22T09:00:00Z', now)).toBe('3 hours ago');
    expect(formatLastRun('2026-11-20T12:00:00Z', now)).toBe('2 days ago');
  });
});
