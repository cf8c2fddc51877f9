import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AccountRow } from './sync-types';
import type { ApiError } from '../../transport/api';
import { toApiError } from '../../stores/remote-value';
import { api } from '../../transport/api';
import { PageCache } from './page-cache';

/** Server-side filter of `sync:list-accounts`. */
export type AccountFilter = 'all' | 'online' | 'not-online' | 'issues';

/** Rows are fetched this many at a time (the contract allows up to 500). */
export const PAGE_SIZE = 200;

/** A paged, searchable view of the server's accounts; rows load as the table scrolls to them. */
export interface AccountRows {
  /** Null until the first page answered. */
  total: number | null;
  error: ApiError | null;
  /** Bumps whenever rows arrive, so the table re-renders. */
  version: number;
  row(index: number): AccountRow | undefined;
  ensure(start: number, end: number): void;
  loaded(): AccountRow[];
  refresh(): void;
}

/**
 * Pages `sync:list-accounts` for one filter + search: the first page on change, then whatever the table
 * scrolls to. A newer query or refresh discards answers to older ones.
 */
export function useAccountRows(filter: AccountFilter, search: string): AccountRows {
  const cache = useMemo(() => new PageCache<AccountRow>(PAGE_SIZE), []);
  const generation = useRef(0);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [version, setVersion] = useState(0);

  const fetchPage = useCallback(
    (page: number) => {
      const gen = generation.current;
      cache.begin(page);
      api['sync:list-accounts']({ offset: page * PAGE_SIZE, limit: PAGE_SIZE, filter, search: search.trim() || undefined })
        .then((result) => {
          if (gen !== generation.current) return;
          cache.put(page, result.rows);
          setTotal(result.total);
          setError(null);
          setVersion((v) => v + 1);
        })
        .catch((e: unknown) => {
          if (gen !== generation.current) return;
          cache.fail(page);
          setError(toApiError(e));
        });
    },
    [cache, filter, search],
  );

  // The range the table last showed, so a refresh refetches exactly what is on screen.
  const shown = useRef({ start: 0, end: PAGE_SIZE });
  const ensure = useCallback(
    (start: number, end: number) => {
      shown.current = { start, end };
      cache.missing(start, end).forEach(fetchPage);
    },
    [cache, fetchPage],
  );

  const refresh = useCallback(() => {
    generation.current += 1;
    const pages = [...new Set([0, ...cache.pagesIn(shown.current.start, shown.current.end)])];
    cache.retain(pages);
    pages.forEach(fetchPage);
  }, [cache, fetchPage]);

  useEffect(() => {
    generation.current += 1;
    cache.clear();
    setTotal(null);
    setError(null);
    setVersion((v) => v + 1);
    fetchPage(0);
  }, [cache, fetchPage]);

  return {
    total,
    error,
    version,
    row: (i) => cache.get(i),
    ensure,
    loaded: () => cache.loaded(),
    refresh,
  };
}
