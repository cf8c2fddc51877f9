/** Which rows of a long list to render for a scroll position. */
export interface RowWindow {
  start: number;
  /** Exclusive. */
  end: number;
  padTop: number;
  padBottom: number;
}

/**
 * Fixed-height windowing: only the rows in view plus `overscan` on each side are rendered; the rest of the
 * list is two spacers, so 10,000 users cost the same DOM as 40.
 */
export function computeWindow(scrollTop: number, viewportHeight: number, rowHeight: number, total: number, overscan = 8): RowWindow {
  if (total <= 0 || rowHeight <= 0) return { start: 0, end: 0, padTop: 0, padBottom: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const visible = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.min(Math.max(0, first - overscan), Math.max(0, total - 1));
  const end = Math.min(total, first + visible + overscan);
  return { start, end: Math.max(start, end), padTop: start * rowHeight, padBottom: (total - Math.max(start, end)) * rowHeight };
}
