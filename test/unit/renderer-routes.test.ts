import { describe, expect, it } from 'vitest';
import { parseRoute, routeHash, visiblePages } from '../../renderer/src/lib/routes';

describe('renderer routes', () => {
  it('shows Office 365 only once integrated', () => {
    expect(visiblePages(false)).toEqual(['home', 'users', 'storage']);
    expect(visiblePages(true)).toEqual(['home', 'users', 'storage', 'office-365']);
  });

  it('parses hashes and falls back to Home for unknown or hidden pages', () => {
    expect(parseRoute('#/users', false)).toBe('users');
    expect(parseRoute('#users', false)).toBe('users');
    expect(parseRoute('#/storage/folders?x=1', false)).toBe('storage');
    expect(parseRoute('', false)).toBe('home');
    expect(parseRoute('#/nope', true)).toBe('home');
    expect(parseRoute('#/office-365', false)).toBe('home');
    expect(parseRoute('#/office-365', true)).toBe('office-365');
  });

  it('round-trips every page through its hash', () => {
    for (const page of visiblePages(true)) expect(parseRoute(routeHash(page), true)).toBe(page);
  });
});
