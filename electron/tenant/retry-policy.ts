import { TenantError } from './tenant-errors';

// Retry policy for Graph: honour Retry-After (sharing one gate across concurrent calls so a 429 slows
// everyone instead of spiralling), back off on 5xx and resets, and make non-idempotent creates safe by
// probing for the object after an ambiguous failure.

/** Tunables; tests shrink the delays. */
export interface RetryOptions {
  maxTransientRetries: number;
  /** 429s keep being honoured up to this many times per call (Microsoft: keep waiting while 429s continue). */
  maxThrottleRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Upper bound of concurrent requests; the limiter adapts below it when 429s appear (AIMD). */
  maxConcurrency?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Defaults suitable for Microsoft 365. */
export const DEFAULT_RETRY: RetryOptions = { maxTransientRetries: 6, maxThrottleRetries: 60, baseDelayMs: 400, maxDelayMs: 30_000, maxConcurrency: 16 };

/** One shared "not before" instant: after a 429 every caller waits, which keeps the 429 count flat. */
export class ThrottleGate {
  private notBefore = 0;
  push(ms: number): void { this.notBefore = Math.max(this.notBefore, Date.now() + ms); }
  async wait(sleep: (ms: number) => Promise<void>): Promise<void> {
    for (let d = this.notBefore - Date.now(); d > 0; d = this.notBefore - Date.now()) await sleep(d);
  }
}

/**
 * Adaptive concurrency (additive increase, multiplicative decrease): a 429 halves how many requests may be in
 * flight, each success adds back a little. Sharing Retry-After alone lets N waiting callers fire together and
 * collect N−1 new 429s; this keeps the 429 count flat at the ceiling.
 */
export class ConcurrencyLimiter {
  private limit: number;
  private inflight = 0;
  private lastDecrease = 0;
  private readonly waiters: (() => void)[] = [];
  constructor(private readonly max: number) { this.limit = max; }
  get current(): number { return this.limit; }
  async acquire(): Promise<void> {
    while (this.inflight >= Math.floor(this.limit)) await new Promise<void>((r) => this.waiters.push(r));
    this.inflight++;
  }
  release(outcome: 'ok' | 'throttled' | 'other', retryAfterMs = 0): void {
    this.inflight--;
    const now = Date.now();
    if (outcome === 'throttled' && now - this.lastDecrease > Math.max(50, retryAfterMs)) {
      this.limit = Math.max(1, this.limit / 2);
      this.lastDecrease = now;
    } else if (outcome === 'ok') {
      this.limit = Math.min(this.max, this.limit + 1 / this.limit);
    }
    this.waiters.splice(0).forEach((w) => w());
  }
}

/** Counters for the benchmark and diagnostics. */
export interface RetryStats { throttled: number; transient: number; probes: number; recoveredByProbe: number }

/** How an attempt failed. */
export type Failure =
  | { kind: 'throttled'; retryAfterMs?: number; error: TenantError }
  /** 5xx or transport: the request may have been carried out. */
  | { kind: 'transient'; retryAfterMs?: number; error: TenantError }
  | { kind: 'fatal'; error: TenantError };

/** For non-idempotent operations: find the object if an earlier attempt actually succeeded. */
export interface ProbeSpec<T> { probe: () => Promise<T | undefined> }

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs attempts under the policy. */
export class RetryPolicy {
  readonly stats: RetryStats = { throttled: 0, transient: 0, probes: 0, recoveredByProbe: 0 };
  readonly gate = new ThrottleGate();
  readonly limiter: ConcurrencyLimiter;
  private readonly sleep: (ms: number) => Promise<void>;
  constructor(private readonly opts: RetryOptions = DEFAULT_RETRY) {
    this.sleep = opts.sleep ?? realSleep;
    this.limiter = new ConcurrencyLimiter(opts.maxConcurrency ?? 16);
  }

  private async limited<T>(attempt: () => Promise<T>, classify: (e: unknown) => Failure): Promise<T> {
    await this.limiter.acquire();
    try {
      const r = await attempt();
      this.limiter.release('ok');
      return r;
    } catch (e) {
      const f = classify(e);
      this.limiter.release(f.kind === 'throttled' ? 'throttled' : 'other', f.kind === 'throttled' ? f.retryAfterMs : 0);
      throw e;
    }
  }

  private backoff(n: number): number {
    const exp = Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** n);
    return exp / 2 + Math.random() * (exp / 2);
  }

  /**
   * Run `attempt` until it succeeds or fails for good. With `probe`, an ambiguous failure (5xx/reset after
   * the request was sent) is followed by a probe before retrying, and a later conflict is resolved by probing.
   */
  async run<T>(attempt: () => Promise<T>, classify: (e: unknown) => Failure, probe?: ProbeSpec<T>): Promise<T> {
    let transient = 0, throttled = 0, ambiguous = false;
    for (;;) {
      await this.gate.wait(this.sleep);
      if (ambiguous && probe) {
        this.stats.probes++;
        const found = await this.run(probe.probe, classify);
        if (found !== undefined) { this.stats.recoveredByProbe++; return found; }
      }
      try {
        return await this.limited(attempt, classify);
      } catch (e) {
        const f = classify(e);
        if (f.kind === 'fatal') {
          if (ambiguous && probe) {
            this.stats.probes++;
            const found = await this.run(probe.probe, classify);
            if (found !== undefined) { this.stats.recoveredByProbe++; return found; }
          }
          throw f.error;
        }
        if (f.kind === 'throttled') {
          this.stats.throttled++;
          if (++throttled > this.opts.maxThrottleRetries) throw f.error;
          this.gate.push(f.retryAfterMs ?? this.backoff(Math.min(throttled, 6)));
          continue;
        }
        this.stats.transient++;
        ambiguous = true;
        if (++transient > this.opts.maxTransientRetries) {
          throw new TenantError('unreachable', 'Microsoft 365 could not be reached reliably; the change will be retried later.', f.error.details);
        }
        await this.sleep(f.retryAfterMs ?? this.backoff(transient - 1));
      }
    }
  }
}
