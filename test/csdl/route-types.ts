// Which CSDL type each Graph route sends and returns — the contract the client and the sandbox share.

/** Request/response typing of a route. `collection` = the response is { value: [...] }. */
export interface RouteTypes {
  method: string;
  path: RegExp;
  request?: string | { action: string; binding: string };
  response?: string;
  collection?: boolean;
}

const G = 'microsoft.graph';

/** Every route the client uses (and the sandbox serves). */
export const ROUTE_TYPES: RouteTypes[] = [
  { method: 'GET', path: /^\/organization$/, response: `${G}.organization`, collection: true },
  { method: 'GET', path: /^\/domains$/, response: `${G}.domain`, collection: true },
  { method: 'POST', path: /^\/domains$/, request: `${G}.domain`, response: `${G}.domain` },
  { method: 'GET', path: /^\/domains\/[^/]+$/, response: `${G}.domain` },
  { method: 'PATCH', path: /^\/domains\/[^/]+$/, request: `${G}.domain` },
  { method: 'DELETE', path: /^\/domains\/[^/]+$/ },
  { method: 'POST', path: /^\/domains\/[^/]+\/verify$/, request: { action: 'verify', binding: `${G}.domain` }, response: `${G}.domain` },
  { method: 'GET', path: /^\/domains\/[^/]+\/(verificationDnsRecords|serviceConfigurationRecords)$/, response: `${G}.domainDnsRecord`, collection: true },
  { method: 'GET', path: /^\/subscribedSkus$/, response: `${G}.subscribedSku`, collection: true },
  { method: 'GET', path: /^\/users\/delta$/, response: `${G}.user`, collection: true },
  { method: 'GET', path: /^\/users$/, response: `${G}.user`, collection: true },
  { method: 'POST', path: /^\/users$/, request: `${G}.user`, response: `${G}.user` },
  { method: 'GET', path: /^\/users\/[^/]+$/, response: `${G}.user` },
  { method: 'PATCH', path: /^\/users\/[^/]+$/, request: `${G}.user` },
  { method: 'DELETE', path: /^\/users\/[^/]+$/ },
  { method: 'POST', path: /^\/users\/[^/]+\/assignLicense$/, request: { action: 'assignLicense', binding: `${G}.user` }, response: `${G}.user` },
  { method: 'GET', path: /^\/me$/, response: `${G}.user` },
  { method: 'GET', path: /^\/me\/memberOf$/, response: `${G}.directoryObject`, collection: true },
  { method: 'GET', path: /^\/directory\/deletedItems\/microsoft\.graph\.user$/, response: `${G}.user`, collection: true },
  { method: 'POST', path: /^\/directory\/deletedItems\/[^/]+\/restore$/, request: { action: 'restore', binding: `${G}.directoryObject` }, response: `${G}.directoryObject` },
  { method: 'DELETE', path: /^\/directory\/deletedItems\/[^/]+$/ },
  { method: 'GET', path: /^\/applications$/, response: `${G}.application`, collection: true },
  { method: 'POST', path: /^\/applications$/, request: `${G}.application`, response: `${G}.application` },
  { method: 'PATCH', path: /^\/applications\/[^/]+$/, request: `${G}.application` },
  { method: 'GET', path: /^\/servicePrincipals$/, response: `${G}.servicePrincipal`, collection: true },
  { method: 'POST', path: /^\/servicePrincipals$/, request: `${G}.servicePrincipal`, response: `${G}.servicePrincipal` },
  { method: 'GET', path: /^\/servicePrincipals\/[^/]+\/appRoleAssignedTo$/, response: `${G}.appRoleAssignment`, collection: true },
  { method: 'POST', path: /^\/servicePrincipals\/[^/]+\/appRoleAssignedTo$/, request: `${G}.appRoleAssignment`, response: `${G}.appRoleAssignment` },
  { method: 'GET', path: /^\/roleManagement\/directory\/roleAssignments$/, response: `${G}.unifiedRoleAssignment`, collection: true },
  { method: 'POST', path: /^\/roleManagement\/directory\/roleAssignments$/, request: `${G}.unifiedRoleAssignment`, response: `${G}.unifiedRoleAssignment` },
];

/** Find the route typing for a request. */
export function routeTypesFor(method: string, path: string): RouteTypes | undefined {
  return ROUTE_TYPES.find((r) => r.method === method && r.path.test(path));
}
