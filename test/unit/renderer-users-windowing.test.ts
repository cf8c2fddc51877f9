import { describe, expect, it } from 'vitest';
import { PageCache } from '../../renderer/src/pages/users/page-cache';
import { computeWindow } from '../../renderer/src/pages/users/windowing';

describe('computeWindow', () => {
  it('renders the rows in view plus overscan, and spacers for the rest', () => {
    const w = computeWindow(0, 480, 48, 10_000, 8);
    expect(w).toEqual({ start: 0, end: 19, padTop: 0, padBottom: (10_000 - 19) * 48 });
  });

  it('keeps the total height constant wherever the list is scrolled', () => {
    for (const top of [0, 4_800, 240_000, 479_500]) {
      const w = computeWindow(top, 600, 48, 10_000);
      expect(w.padTop + (w.end - w.start) * 48 + w.padBottom).toBe(10_000 * 48);
      expect(w.end - w.start).toBeLessThan(40);
    }
  });

  it('reaches the last row when scrolled to the bottom, and clamps overscrolling', () => {
    const bottom = computeWindow(10_000 * 48 - 600, 600, 48, 10_000);
    expect(bottom.end).toBe(10_000);
    expect(bottom.padBottom).toBe(0);
    const past = computeWindow(10_000_000, 600, 48, 10_000);
    expect(past.end).toBe(10_000);
    expect(past.start).toBeLessThan(past.end);
  });

  it('renders nothing for an empty list and tolerates a negative scroll (rubber-banding)', () => {
    expect(computeWindow(0, 600, 48, 0)).toEqual({ start: 0, end: 0, padTop: 0, padBottom: 0 });
    expect(computeWindow(-50, 600, 48, 3)).toEqual({ start: 0, end: 3, padTop: 0, padBottom: 0 });
  });
});

describe('PageCache', () => {
  it('asks only for pages that are neither loaded nor in flight', () => {
    const cache = new PageCache<number>(100);
    expect(cache.missing(0, 250)).toEqual([0, 1, 2]);
    cache.begin(0);
    cache.put(1, Array.from({ length: 100 }, (_, i) => 100 + i));
    expect(cache.missing(0, 250)).toEqual([2]);
    expect(cache.get(150)).toBe(150);
    expect(cache.get(50)).toBeUndefined();
  });

  it('retries a failed page and forgets everything on clear', () => {
    const cache = new PageCache<string>(10);
    cache.begin(3);
    expect(cache.missing(30, 40)).toEqual([]);
    cache.fail(3);
    expect(cache.missing(30, 40)).toEqual([3]);
    cache.put(0, ['a']);
    cache.clear();
    expect(cache.get(0)).toBeUndefined();
    expect(cache.loaded()).toEqual([]);
  });

  it('keeps on-screen pages during a refresh and lists loaded rows in order', () => {
    const cache = new PageCache<string>(2);
    cache.put(2, ['e', 'f']);
    cache.put(0, ['a', 'b']);
    cache.put(5, ['k', 'l']);
    expect(cache.loaded()).toEqual(['a', 'b', 'e', 'f', 'k', 'l']);
    cache.retain(cache.pagesIn(0, 5));
    expect(cache.loaded()).toEqual(['a', 'b', 'e', 'f']);
    expect(cache.pagesIn(3, 3)).toEqual([]);
  });
});
