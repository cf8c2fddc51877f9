/**
 * Rows fetched from the server page by page (offset/limit), keyed by page number. The table asks for the
 * rows it shows; only missing pages are fetched, each at most once until the cache is cleared.
 */
export class PageCache<T> {
  private readonly pages = new Map<number, T[]>();
  private readonly inFlight = new Set<number>();

  constructor(readonly pageSize: number) {}

  /** The row at an absolute index, or undefined while its page is not loaded. */
  get(index: number): T | undefined {
    return this.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  /** Page numbers covering [start, end) that are neither loaded nor being fetched. */
  missing(start: number, end: number): number[] {
    const out: number[] = [];
    if (end <= start) return out;
    for (let p = Math.floor(start / this.pageSize); p <= Math.floor((end - 1) / this.pageSize); p++) {
      if (!this.pages.has(p) && !this.inFlight.has(p)) out.push(p);
    }
    return out;
  }

  /** Marks a page as being fetched so overlapping scroll events don't fetch it twice. */
  begin(page: number): void {
    this.inFlight.add(page);
  }

  /** Stores a fetched page. */
  put(page: number, rows: T[]): void {
    this.inFlight.delete(page);
    this.pages.set(page, rows);
  }

  /** Forgets a failed fetch so the next scroll retries it. */
  fail(page: number): void {
    this.inFlight.delete(page);
  }

  /** Every loaded row (for "select all loaded"). */
  loaded(): T[] {
    return [...this.pages.keys()].sort((a, b) => a - b).flatMap((p) => this.pages.get(p) ?? []);
  }

  /** Page numbers covering [start, end), loaded or not. */
  pagesIn(start: number, end: number): number[] {
    const out: number[] = [];
    for (let p = Math.floor(start / this.pageSize); end > start && p <= Math.floor((end - 1) / this.pageSize); p++) out.push(p);
    return out;
  }

  /** Keeps only these pages (still on screen, shown until their refetch lands) and forgets the rest. */
  retain(pages: readonly number[]): void {
    for (const p of [...this.pages.keys()]) if (!pages.includes(p)) this.pages.delete(p);
    this.inFlight.clear();
  }

  /** Drops everything (new search, new tab, or the data changed). */
  clear(): void {
    this.pages.clear();
    this.inFlight.clear();
  }
}
