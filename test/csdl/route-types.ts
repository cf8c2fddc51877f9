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

/** Routes the sandbox serves for other Microsoft 365 clients (Graph SDKs, admin CLIs) and the coming features. */
export const SANDBOX_ROUTE_TYPES: RouteTypes[] = [
  { method: 'GET', path: /^\/organization\/[^/]+$/, response: `${G}.organization` },
  { method: 'PATCH', path: /^\/organization\/[^/]+$/, request: `${G}.organization` },
  { method: 'GET', path: /^\/subscribedSkus\/[^/]+$/, response: `${G}.subscribedSku` },
  { method: 'GET', path: /^\/users\/[^/]+\/(memberOf|transitiveMemberOf|directReports)$/, response: `${G}.directoryObject`, collection: true },
  { method: 'GET', path: /^\/users\/[^/]+\/manager$/, response: `${G}.directoryObject` },
  { method: 'PUT', path: /^\/users\/[^/]+\/manager\/\$ref$/, request: `${G}.directoryObject` },
  { method: 'DELETE', path: /^\/users\/[^/]+\/manager\/\$ref$/ },
  { method: 'POST', path: /^\/users\/[^/]+\/getMemberGroups$/, request: { action: 'getMemberGroups', binding: `${G}.directoryObject` } },
  { method: 'GET', path: /^\/users\/[^/]+\/licenseDetails$/, response: `${G}.licenseDetails`, collection: true },
  { method: 'POST', path: /^\/users\/[^/]+\/revokeSignInSessions$/, request: { action: 'revokeSignInSessions', binding: `${G}.user` } },
  { method: 'GET', path: /^\/groups$/, response: `${G}.group`, collection: true },
  { method: 'POST', path: /^\/groups$/, request: `${G}.group`, response: `${G}.group` },
  { method: 'GET', path: /^\/groups\/[^/]+$/, response: `${G}.group` },
  { method: 'PATCH', path: /^\/groups\/[^/]+$/, request: `${G}.group` },
  { method: 'DELETE', path: /^\/groups\/[^/]+$/ },
  { method: 'GET', path: /^\/groups\/[^/]+\/(members|owners|transitiveMembers)$/, response: `${G}.directoryObject`, collection: true },
  { method: 'GET', path: /^\/groups\/[^/]+\/(members|owners|transitiveMembers)\/microsoft\.graph\.user$/, response: `${G}.user`, collection: true },
  { method: 'GET', path: /^\/users\/[^/]+\/(memberOf|transitiveMemberOf)\/microsoft\.graph\.group$/, response: `${G}.group`, collection: true },
  { method: 'POST', path: /^\/groups\/[^/]+\/(members|owners)\/\$ref$/, request: `${G}.directoryObject` },
  { method: 'DELETE', path: /^\/groups\/[^/]+\/(members|owners)\/[^/]+\/\$ref$/ },
  { method: 'GET', path: /^\/directory\/deletedItems\/microsoft\.graph\.group$/, response: `${G}.group`, collection: true },
  { method: 'GET', path: /^\/directoryRoles$/, response: `${G}.directoryRole`, collection: true },
  { method: 'GET', path: /^\/directoryRoles\/[^/]+$/, response: `${G}.directoryRole` },
  { method: 'GET', path: /^\/directoryRoles\/[^/]+\/members$/, response: `${G}.directoryObject`, collection: true },
  { method: 'GET', path: /^\/roleManagement\/directory\/roleDefinitions$/, response: `${G}.unifiedRoleDefinition`, collection: true },
  { method: 'GET', path: /^\/roleManagement\/directory\/roleDefinitions\/[^/]+$/, response: `${G}.unifiedRoleDefinition` },
  { method: 'POST', path: /^\/invitations$/, request: `${G}.invitation`, response: `${G}.invitation` },
  { method: 'GET', path: /^\/tenantRelationships\/findTenantInformationByDomainName\(.*\)$/, response: `${G}.tenantInformation` },
  { method: 'GET', path: /^\/applications\/[^/]+$/, response: `${G}.application` },
  { method: 'POST', path: /^\/applications\/[^/]+\/addPassword$/, request: { action: 'addPassword', binding: `${G}.application` }, response: `${G}.passwordCredential` },
  { method: 'POST', path: /^\/applications\/[^/]+\/removePassword$/, request: { action: 'removePassword', binding: `${G}.application` } },
  { method: 'GET', path: /^\/servicePrincipals\/[^/]+$/, response: `${G}.servicePrincipal` },
];

/** Find the route typing for a request (the client's routes first, then the sandbox's others). */
export function routeTypesFor(method: string, path: string, routes: RouteTypes[] = ROUTE_TYPES): RouteTypes | undefined {
  return routes.find((r) => r.method === method && r.path.test(path));
}
