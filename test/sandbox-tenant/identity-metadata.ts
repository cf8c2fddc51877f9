// Entra's discovery documents as it serves them: instance discovery (/common/discovery/instance), the v2.0
// and v1 OpenID configurations, built on the host the request came in on.

const MICROSOFT_ALIASES = ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'];
const MULTI = new Set(['common', 'organizations', 'consumers']);

/** Graph's host for an authority host (the public cloud's pair, else the sandbox's own address). */
export function graphHostFor(origin: string): string {
  const host = new URL(origin).host;
  return MICROSOFT_ALIASES.includes(host.toLowerCase()) ? 'graph.microsoft.com' : host;
}

/** The fields both configurations end with: kerberos, region and the cloud's host names. */
function cloudFields(origin: string, t: string): Record<string, unknown> {
  return {
    kerberos_endpoint: `${origin}/${t}/kerberos`, tenant_region_scope: MULTI.has(t) ? null : 'EU', cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net', msgraph_host: graphHostFor(origin), rbac_url: 'https://pas.windows.net',
  };
}

/** /{tenant}/v2.0/.well-known/openid-configuration; `tenantSeg` common/organizations keeps the {tenantid} issuer. */
export function openIdV2(origin: string, tenantSeg: string, tenantId: string): Record<string, unknown> {
  const t = MULTI.has(tenantSeg.toLowerCase()) ? tenantSeg.toLowerCase() : tenantId;
  const issuerTenant = MULTI.has(t) ? '{tenantid}' : tenantId;
  const g = graphHostFor(origin);
  return {
    token_endpoint: `${origin}/${t}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${origin}/${t}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${origin}/${issuerTenant}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `https://${g}/oidc/userinfo`,
    authorization_endpoint: `${origin}/${t}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${origin}/${t}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${origin}/${t}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
    ...cloudFields(origin, t),
  };
}

/** /{tenant}/.well-known/openid-configuration (the v1 endpoints, issuer sts.windows.net). */
export function openIdV1(origin: string, tenantSeg: string, tenantId: string): Record<string, unknown> {
  const t = MULTI.has(tenantSeg.toLowerCase()) ? tenantSeg.toLowerCase() : tenantId;
  return {
    token_endpoint: `${origin}/${t}/oauth2/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${origin}/${t}/discovery/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'token id_token', 'token'],
    scopes_supported: ['openid'],
    issuer: `https://sts.windows.net/${MULTI.has(t) ? '{tenantid}' : tenantId}/`,
    microsoft_multi_refresh_token: true,
    authorization_endpoint: `${origin}/${t}/oauth2/authorize`,
    device_authorization_endpoint: `${origin}/${t}/oauth2/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${origin}/${t}/oauth2/logout`,
    claims_supported: ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'amr', 'nonce', 'email', 'given_name', 'family_name', 'nickname'],
    check_session_iframe: `${origin}/${t}/oauth2/checksession`,
    userinfo_endpoint: `${origin}/${t}/openid/userinfo`,
    ...cloudFields(origin, t),
  };
}

/** GET /common/discovery/instance?api-version=1.1&authorization_endpoint=… (what MSAL asks before anything else). */
export function instanceDiscovery(origin: string, query: URLSearchParams): Record<string, unknown> {
  const host = new URL(origin).host;
  const endpoint = query.get('authorization_endpoint') ?? `${origin}/common/oauth2/v2.0/authorize`;
  const tenant = /^https:\/\/[^/]+\/([^/]+)\//.exec(endpoint)?.[1] ?? 'common';
  const aliases = MICROSOFT_ALIASES.includes(host.toLowerCase()) ? MICROSOFT_ALIASES : [host];
  return {
    tenant_discovery_endpoint: `${origin}/${tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: aliases[0], preferred_cache: aliases.includes('login.windows.net') ? 'login.windows.net' : aliases[0], aliases }],
  };
}
