// Where the tenant lives. Microsoft 365 and the sandbox differ only by this configuration.

/** Authority host and Graph base URL; `caPem` adds a trusted CA (the sandbox's). */
export interface TenantEndpoints {
  /** e.g. https://login.microsoftonline.com or https://127.0.0.1:PORT */
  authorityHost: string;
  /** e.g. https://graph.microsoft.com (no version segment) or https://127.0.0.1:PORT */
  graphBaseUrl: string;
  caPem?: string;
  /** OIDC metadata JSON to hand MSAL so it makes no discovery call (used for the sandbox). */
  authorityMetadata?: string;
}

/** The real cloud. */
export const MICROSOFT_365_ENDPOINTS: TenantEndpoints = {
  authorityHost: 'https://login.microsoftonline.com',
  graphBaseUrl: 'https://graph.microsoft.com',
};

/** The scope of every app-only Graph token, whatever the host (Graph's resource id never changes). */
export const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';

/** Strip a trailing slash and a trailing /v1.0 so callers may pass either form. */
export function graphRoot(e: TenantEndpoints): string {
  return e.graphBaseUrl.replace(/\/+$/, '').replace(/\/v1\.0$/, '');
}

/** MSAL authority for a tenant (id, domain, or "organizations"). */
export function authorityFor(e: TenantEndpoints, tenant: string): string {
  return `${e.authorityHost.replace(/\/+$/, '')}/${tenant}`;
}

/** MSAL needs host:port in knownAuthorities for a non-Microsoft authority, else it calls public discovery. */
export function knownAuthoritiesFor(e: TenantEndpoints): string[] {
  const u = new URL(e.authorityHost);
  return u.hostname.endsWith('login.microsoftonline.com') ? [] : [u.host];
}

/** Graph SDK customHosts: host names without port, or the token is silently dropped. */
export function customHostsFor(e: TenantEndpoints): Set<string> {
  return new Set([new URL(graphRoot(e)).hostname]);
}

/** Authority metadata for another tenant segment (e.g. organizations → the real tenant). */
export function metadataFor(e: TenantEndpoints, tenant: string): string | undefined {
  if (!e.authorityMetadata) return undefined;
  const m = JSON.parse(e.authorityMetadata) as Record<string, unknown>;
  const orig = /\/\/[^/]+\/([^/]+)\//.exec(String(m.token_endpoint))?.[1];
  if (!orig || orig === tenant) return e.authorityMetadata;
  return JSON.stringify(m).split(`/${orig}/`).join(`/${tenant}/`);
}
