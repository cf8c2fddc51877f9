import type { GraphCaller } from './graph-caller';
import { classifyGraphError } from './graph-caller';
import { TenantError } from './tenant-errors';

/** One inner request of a JSON batch (url relative to /v1.0, e.g. "/users/123"). */
export interface BatchRequest {
  id: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

/** One inner response. */
export interface BatchResponse { id: string; status: number; headers?: Record<string, string>; body?: unknown }

const IDEMPOTENT = new Set(['GET', 'PATCH', 'PUT', 'DELETE']);
const MAX = 20;

function retryAfterMs(h?: Record<string, string>): number | undefined {
  const v = h && (h['Retry-After'] ?? h['retry-after']);
  return v !== undefined && Number.isFinite(Number(v)) ? Number(v) * 1000 : undefined;
}

/**
 * Sends batches of ≤ 20 and retries what Graph throttled inside them (the SDK doesn't): inner 429s after
 * their Retry-After, with requests that failed only because a throttled dependency did (424).
 */
export class BatchRunner {
  constructor(private readonly graph: GraphCaller) {}

  async run(requests: BatchRequest[]): Promise<BatchResponse[]> {
    const ids = new Set<string>();
    for (const r of requests) {
      if (ids.has(r.id)) throw new TenantError('bad-request', `Duplicate batch request id ${r.id}.`);
      ids.add(r.id);
    }
    const results = new Map<string, BatchResponse>();
    for (let i = 0; i < requests.length; i += MAX) {
      const chunk = requests.slice(i, i + MAX).map((r) => ({ ...r, dependsOn: r.dependsOn?.filter((d) => {
        const prev = results.get(d);
        return !prev; // dependencies in earlier chunks are already done
      }) }));
      for (const r of chunk) {
        const failedDep = requests.find((x) => x.id === r.id)?.dependsOn?.some((d) => (results.get(d)?.status ?? 0) >= 400);
        if (failedDep) results.set(r.id, { id: r.id, status: 424, body: { error: { code: 'BadRequest', message: 'Failed dependency' } } });
      }
      await this.runChunk(chunk.filter((r) => !results.has(r.id)), results);
    }
    return requests.map((r) => results.get(r.id)!);
  }

  private async runChunk(chunk: BatchRequest[], results: Map<string, BatchResponse>): Promise<void> {
    let pending = chunk;
    let rounds = 0;
    while (pending.length) {
      const allIdempotent = pending.every((r) => IDEMPOTENT.has(r.method));
      const payload = {
        requests: pending.map((r) => ({
          id: r.id, method: r.method, url: r.url,
          ...(r.body !== undefined ? { body: r.body, headers: { 'Content-Type': 'application/json', ...(r.headers ?? {}) } } : r.headers ? { headers: r.headers } : {}),
          ...(r.dependsOn?.length ? { dependsOn: r.dependsOn.filter((d) => pending.some((p) => p.id === d)) } : {}),
        })),
      };
      let out: { responses: BatchResponse[] };
      if (allIdempotent) out = await this.graph.call('POST', '/$batch', payload);
      else {
        // A lost reply to a batch with creates is ambiguous: surface it instead of risking duplicates.
        out = await this.graph.policy.run(() => this.graph.once('POST', '/$batch', payload), (e) => {
          const f = classifyGraphError(e);
          return f.kind === 'transient' ? { kind: 'fatal', error: f.error } : f;
        });
      }
      const retry = new Set<string>();
      let wait = 0, transientWait = 0;
      for (const r of out.responses) {
        const req = pending.find((p) => p.id === r.id);
        if (!req) continue;
        if (r.status === 429) { retry.add(r.id); wait = Math.max(wait, retryAfterMs(r.headers) ?? 1000); }
        else if (r.status >= 500 && IDEMPOTENT.has(req.method)) { retry.add(r.id); transientWait = Math.max(transientWait, retryAfterMs(r.headers) ?? 500 * 2 ** Math.min(rounds, 5)); }
      }
      for (const r of out.responses) {
        const req = pending.find((p) => p.id === r.id);
        if (r.status === 424 && req?.dependsOn?.some((d) => retry.has(d))) retry.add(r.id);
      }
      for (const r of out.responses) if (!retry.has(r.id)) results.set(r.id, r);
      pending = pending.filter((p) => retry.has(p.id));
      if (!pending.length) break;
      if (++rounds > 60) {
        for (const p of pending) results.set(p.id, out.responses.find((r) => r.id === p.id)!);
        break;
      }
      if (wait) { this.graph.policy.stats.throttled++; this.graph.policy.gate.push(wait); }
      else await new Promise((r) => setTimeout(r, transientWait));
    }
  }
}
