// Plain HTTPS to a running sandbox for tests that check the wire itself (status, headers, exact texts),
// with an admin's delegated `.default` token by the resource-owner grant.
import type { Agent } from 'node:https';
import { createAgent, send } from '../../electron/tenant/https-transport';
import type { SandboxTenant } from '../sandbox-tenant/sandbox';
import { SANDBOX_PUBLIC_CLIENT_ID } from '../sandbox-tenant/state';

/** A parsed reply. */
export interface Reply { status: number; headers: Record<string, string>; text: string; json: Record<string, unknown> }

/** Requests against one sandbox. */
export interface SandboxHttp {
  agent: Agent;
  token(scope?: string, user?: { upn: string; password: string }): Promise<string>;
  form(path: string, fields: Record<string, string>, headers?: Record<string, string>): Promise<Reply>;
  graph(method: string, path: string, opts?: { body?: unknown; headers?: Record<string, string>; token?: string | null }): Promise<Reply>;
  close(): void;
}

const ADMIN = { upn: 'admin@contoso.onmicrosoft.com', password: 'Sandbox-Admin-1!' };

function parse(r: { status: number; headers: Record<string, string>; body: string }): Reply {
  let json: Record<string, unknown> = {};
  try { json = JSON.parse(r.body) as Record<string, unknown>; } catch { /* not JSON */ }
  return { status: r.status, headers: r.headers, text: r.body, json };
}

/** HTTP helpers for `sb`; `graph` uses the admin's `.default` token unless told otherwise. */
export function sandboxHttp(sb: SandboxTenant): SandboxHttp {
  const agent = createAgent(sb.caPem);
  let cached: string | undefined;
  const form = async (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) => parse(await send(`${sb.url}${path}`, agent, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(fields).toString(), timeoutMs: 10_000,
  }));
  const token = async (scope = 'https://graph.microsoft.com/.default openid', user = ADMIN) => {
    const r = await form(`/${sb.tenantId}/oauth2/v2.0/token`, { grant_type: 'password', client_id: SANDBOX_PUBLIC_CLIENT_ID, username: user.upn, password: user.password, scope });
    if (r.status !== 200) throw new Error(`token: ${r.text}`);
    return String(r.json.access_token);
  };
  return {
    agent, token, form,
    async graph(method, path, opts = {}) {
      const bearer = opts.token === null ? undefined : opts.token ?? (cached ??= await token());
      const headers: Record<string, string> = { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers };
      return parse(await send(`${sb.url}${path}`, agent, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body), timeoutMs: 10_000 }));
    },
    close: () => agent.destroy(),
  };
}

/** The claims of a JWT (no verification: the sandbox signed it). */
export function claims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
}
