// Fault injection: the failures a client meets on the internet, per route and rate.

/** One rule; the first matching rule that fires wins. */
export interface FaultRule {
  /** Regular expression tested against the request path (e.g. "^/v1.0/users$"); all paths if absent. */
  path?: string;
  method?: string;
  /** Probability 0..1 per request. */
  rate: number;
  kind: 'status' | 'reset' | 'slow';
  status?: 429 | 500 | 502 | 503 | 504;
  /** 'after' = the request is carried out, then the reply is lost or replaced (the ambiguous case). */
  phase?: 'before' | 'after';
  delayMs?: number;
  retryAfterSec?: number;
}

/** A set of rules plus an optional seed for reproducible runs. */
export interface FaultProfile {
  rules: FaultRule[];
  seed?: number;
}

/** Counters the benchmark reports. */
export interface FaultStats {
  requests: number;
  faulted: number;
}

/** Chooses faults; deterministic when seeded. */
export class FaultInjector {
  private rules: FaultRule[] = [];
  private rand: () => number = Math.random;
  stats: FaultStats = { requests: 0, faulted: 0 };

  set(profile: FaultProfile): void {
    this.rules = profile.rules;
    this.stats = { requests: 0, faulted: 0 };
    if (profile.seed !== undefined) {
      let a = profile.seed >>> 0;
      this.rand = () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
    } else this.rand = Math.random;
  }

  /** The fault to apply to this request, if any. */
  pick(method: string, path: string): FaultRule | undefined {
    this.stats.requests++;
    for (const r of this.rules) {
      if (r.method && r.method.toUpperCase() !== method) continue;
      if (r.path && !new RegExp(r.path).test(path)) continue;
      if (this.rand() < r.rate) {
        this.stats.faulted++;
        return r;
      }
    }
    return undefined;
  }
}
