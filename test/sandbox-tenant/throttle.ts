// Identity & access throttling as documented for Microsoft Graph, with a time scale so tests run fast.

/** Limits in real Microsoft 365 units (per 10 s / 150 s / 300 s); the sandbox divides windows by timeScale. */
export interface ThrottleProfile {
  enabled: boolean;
  /** Resource units per app per tenant per 10 s; undefined = by tenant size (3,500 / 5,000 / 8,000). */
  resourceUnitsPer10s?: number;
  writesPerAppPer150s: number;
  writesPerTenantPer300s: number;
}

/** Defaults are Microsoft's published numbers. */
export const DEFAULT_THROTTLE: ThrottleProfile = { enabled: true, writesPerAppPer150s: 3000, writesPerTenantPer300s: 18000 };

/** A 429 decision. */
export interface ThrottleHit {
  retryAfterSec: number;
  information: 'ResourceUnitLimitExceeded' | 'WriteLimitExceeded';
  scope: string;
}

class Window {
  private readonly times: number[] = [];
  private readonly weights: number[] = [];
  private head = 0;
  private sum = 0;
  constructor(readonly windowMs: number) {}
  private prune(now: number): void {
    while (this.head < this.times.length && this.times[this.head]! <= now - this.windowMs) {
      this.sum -= this.weights[this.head]!;
      this.head++;
    }
    if (this.head > 4096) {
      this.times.splice(0, this.head);
      this.weights.splice(0, this.head);
      this.head = 0;
    }
  }
  /** Milliseconds until `cost` more would fit under `limit`, or 0 if it fits now. */
  waitFor(now: number, cost: number, limit: number): number {
    this.prune(now);
    if (this.sum + cost <= limit) return 0;
    let excess = this.sum + cost - limit;
    for (let i = this.head; i < this.times.length; i++) {
      excess -= this.weights[i]!;
      if (excess <= 0) return Math.max(1, this.times[i]! + this.windowMs - now);
    }
    return this.windowMs;
  }
  add(now: number, cost: number): void {
    this.times.push(now);
    this.weights.push(cost);
    this.sum += cost;
  }
}

/** Resource-unit cost of a request, per Microsoft's identity & access table. */
export function resourceUnitCost(method: string, path: string, query: URLSearchParams): number {
  let cost = 1;
  if (method === 'GET') {
    if (/^\/users(\/|$)/.test(path)) cost = 2;
    else if (/^\/subscribedSkus/.test(path)) cost = 3;
    else if (/^\/groups\/[^/]+\/members/.test(path)) cost = 3;
    if (query.has('$select')) cost -= 1;
    if (query.has('$expand')) cost += 1;
    const top = Number(query.get('$top'));
    if (query.has('$top') && top < 20) cost -= 1;
  }
  return Math.max(1, cost);
}

/** Sliding-window counters keyed by app+tenant and by tenant. */
export class Throttler {
  profile: ThrottleProfile = { ...DEFAULT_THROTTLE };
  private readonly ru = new Map<string, Window>();
  private readonly appWrites = new Map<string, Window>();
  private readonly tenantWrites = new Map<string, Window>();
  /** 429s answered since the profile was last set (how hard clients pushed against the limit). */
  throttled = 0;
  constructor(public timeScale: number) {}

  setProfile(p: Partial<ThrottleProfile>): void {
    this.profile = { ...this.profile, ...p };
    this.ru.clear(); this.appWrites.clear(); this.tenantWrites.clear();
    this.throttled = 0;
  }

  private win(map: Map<string, Window>, key: string, ms: number): Window {
    let w = map.get(key);
    if (!w) map.set(key, (w = new Window(ms / this.timeScale)));
    return w;
  }

  /** Charge a request or say how long to wait. */
  check(appId: string, tenantId: string, userCount: number, method: string, path: string, query: URLSearchParams): { cost: number; hit?: ThrottleHit } {
    const cost = resourceUnitCost(method, path, query);
    if (!this.profile.enabled) return { cost };
    const now = performance.now();
    const key = `${appId}/${tenantId}`;
    const isWrite = method !== 'GET' && method !== 'HEAD';
    const ruLimit = this.profile.resourceUnitsPer10s ?? (userCount < 50 ? 3500 : userCount <= 500 ? 5000 : 8000);
    const ru = this.win(this.ru, key, 10_000);
    const scope = `Tenant_Application/${isWrite ? 'ReadWrite' : 'Read'}/${appId}/${tenantId}`;
    let wait = ru.waitFor(now, cost, ruLimit);
    if (wait > 0) { this.throttled++; return { cost, hit: { retryAfterSec: wait / 1000, information: 'ResourceUnitLimitExceeded', scope } }; }
    if (isWrite) {
      const aw = this.win(this.appWrites, key, 150_000);
      const tw = this.win(this.tenantWrites, tenantId, 300_000);
      wait = Math.max(aw.waitFor(now, 1, this.profile.writesPerAppPer150s), tw.waitFor(now, 1, this.profile.writesPerTenantPer300s));
      if (wait > 0) { this.throttled++; return { cost, hit: { retryAfterSec: wait / 1000, information: 'WriteLimitExceeded', scope } }; }
      aw.add(now, 1);
      tw.add(now, 1);
    }
    ru.add(now, cost);
    return { cost };
  }
}
