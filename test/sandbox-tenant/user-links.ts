// A user's relationships and actions beyond its own properties: manager ($ref), directReports, memberOf,
// transitiveMemberOf, getMemberGroups, licenseDetails and revokeSignInSessions.
import type { Route } from './router';
import { fail, objectBody, refId, type GraphRequest, type SandboxContext } from './graph-core';
import { ofType, page, shape, type CollectionSpec } from './odata-query';
import { P, requirePerm } from './permissions';
import { directoryRole } from './routes-roles';
import type { GraphObject } from './state';
import { mustUser } from './user-rules';

const typed = (t: string, o: GraphObject): GraphObject => ({ '@odata.type': `#microsoft.graph.${t}`, ...o });


/** Groups that list `id` as a direct member. */
export function directGroups(ctx: SandboxContext, id: string): GraphObject[] {
  return ctx.state.groups.filter((g) => (ctx.state.groupMembers[g.id] ?? []).includes(id));
}

/** Groups reached through nested membership (each once). */
export function transitiveGroups(ctx: SandboxContext, id: string): GraphObject[] {
  const seen = new Map<string, GraphObject>();
  const walk = (x: string) => { for (const g of directGroups(ctx, x)) if (!seen.has(g.id)) { seen.set(g.id, g); walk(g.id); } };
  walk(id);
  return [...seen.values()];
}

function memberOf(ctx: SandboxContext, id: string, transitive: boolean): GraphObject[] {
  const roles = ctx.state.roleAssignments.filter((a) => a.principalId === id).map((a) => directoryRole(ctx, String(a.roleDefinitionId)));
  const groups = (transitive ? transitiveGroups(ctx, id) : directGroups(ctx, id)).map((g) => typed('group', g));
  return [...groups, ...roles];
}

const manager = (o: GraphObject, ctx: SandboxContext) => {
  const m = ctx.state.managers[o.id];
  const u = m ? ctx.state.users.find((x) => x.id === m) : undefined;
  return u ? typed('user', u) : null;
};
const directReports = (o: GraphObject, ctx: SandboxContext) =>
  ctx.state.users.filter((u) => ctx.state.managers[u.id] === o.id).map((u) => typed('user', u));

/** Relationships $expand can follow on a user. */
export const userLinks: NonNullable<CollectionSpec['expand']> = {
  manager, directReports, memberOf: (o, ctx) => memberOf(ctx, o.id, false), transitiveMemberOf: (o, ctx) => memberOf(ctx, o.id, true),
};

const DIR: CollectionSpec = { type: 'directoryObject' };
const readPerm = (r: GraphRequest) => (r.self ? P.me : P.userRead);

function getManager(req: GraphRequest, ctx: SandboxContext, id: string) {
  requirePerm(ctx, req.auth, readPerm(req));
  const m = manager(mustUser(ctx, id), ctx);
  if (!m) throw fail.notFound('manager');
  return { status: 200, body: { '@odata.context': `${ctx.root}/$metadata#directoryObjects/$entity`, ...shape(req, ctx, m, DIR) } };
}

function setManager(req: GraphRequest, ctx: SandboxContext, id: string) {
  requirePerm(ctx, req.auth, P.userWrite);
  const u = mustUser(ctx, id);
  const m = mustUser(ctx, refId(objectBody(req)));
  // [unconfirmed] text when a user would manage themselves.
  if (m.id === u.id) throw fail.badRequest('A user cannot be their own manager.');
  ctx.state.managers[u.id] = m.id;
  ctx.target = u.id;
  ctx.changed(u.id);
  return { status: 204 };
}

function removeManager(req: GraphRequest, ctx: SandboxContext, id: string) {
  requirePerm(ctx, req.auth, P.userWrite);
  const u = mustUser(ctx, id);
  if (!ctx.state.managers[u.id]) throw fail.notFound('manager');
  delete ctx.state.managers[u.id];
  ctx.target = u.id;
  ctx.changed(u.id);
  return { status: 204 };
}

function getMemberGroups(req: GraphRequest, ctx: SandboxContext, id: string) {
  requirePerm(ctx, req.auth, readPerm(req));
  const body = objectBody(req);
  if (typeof body.securityEnabledOnly !== 'boolean') throw fail.badRequest("Invalid value specified for property 'securityEnabledOnly' of resource 'Boolean'.");
  const groups = transitiveGroups(ctx, mustUser(ctx, id).id).filter((g) => !body.securityEnabledOnly || g.securityEnabled === true);
  return { status: 200, body: { '@odata.context': `${ctx.root}/$metadata#Collection(Edm.String)`, value: groups.map((g) => g.id) } };
}

function licenseDetails(req: GraphRequest, ctx: SandboxContext, id: string) {
  requirePerm(ctx, req.auth, readPerm(req));
  const u = mustUser(ctx, id);
  const items = (u.assignedLicenses as { skuId: string; disabledPlans: string[] }[]).map((l) => {
    const sku = ctx.state.skus.find((s) => s.skuId === l.skuId);
    const plans = (sku?.servicePlans as { servicePlanId: string; servicePlanName: string; appliesTo: string }[] | undefined) ?? [];
    return {
      id: `${u.id}_${l.skuId}`, skuId: l.skuId, skuPartNumber: sku?.skuPartNumber ?? null,
      servicePlans: plans.map((p) => ({ ...p, provisioningStatus: l.disabledPlans.includes(p.servicePlanId) ? 'Disabled' : 'Success' })),
    };
  });
  return page(req, ctx, items, `users('${u.id}')/licenseDetails`, { type: 'licenseDetails' });
}

function revokeSessions(req: GraphRequest, ctx: SandboxContext, id: string) {
  requirePerm(ctx, req.auth, req.self ? P.me : P.userWrite);
  const u = mustUser(ctx, id);
  ctx.state.revokedAt[u.id] = ctx.now().getTime();
  u.signInSessionsValidFromDateTime = ctx.now().toISOString().replace(/\.\d{3}Z$/, 'Z');
  ctx.target = u.id;
  return { status: 200, body: { '@odata.context': `${ctx.root}/$metadata#Edm.Boolean`, value: true } };
}

// memberOf etc., optionally cast to one type (/memberOf/microsoft.graph.group) as Graph allows.
const list = (fn: (ctx: SandboxContext, id: string) => GraphObject[]) => (r: GraphRequest, c: SandboxContext, [id, cast]: string[]) => {
  requirePerm(c, r.auth, readPerm(r));
  const all = fn(c, mustUser(c, id!).id);
  if (!cast) return page(r, c, all, 'directoryObjects', DIR);
  return page(r, c, ofType(all, cast), `${cast}s`, { type: cast });
};
const CAST = '(?:\\/microsoft\\.graph\\.(group|directoryRole|user))?';

/** users/{id}/manager, directReports, memberOf, transitiveMemberOf, getMemberGroups, licenseDetails, revokeSignInSessions. */
export const userLinkRoutes: Route[] = [
  { method: 'GET', pattern: /^\/users\/([^/]+)\/manager$/, handler: (r, c, [id]) => getManager(r, c, id!) },
  { method: 'PUT', pattern: /^\/users\/([^/]+)\/manager\/\$ref$/, handler: (r, c, [id]) => setManager(r, c, id!) },
  { method: 'DELETE', pattern: /^\/users\/([^/]+)\/manager\/\$ref$/, handler: (r, c, [id]) => removeManager(r, c, id!) },
  { method: 'GET', pattern: new RegExp(`^/users/([^/]+)/directReports${CAST}$`), handler: list((c, id) => directReports({ id } as GraphObject, c)) },
  { method: 'GET', pattern: new RegExp(`^/users/([^/]+)/memberOf${CAST}$`), handler: list((c, id) => memberOf(c, id, false)) },
  { method: 'GET', pattern: new RegExp(`^/users/([^/]+)/transitiveMemberOf${CAST}$`), handler: list((c, id) => memberOf(c, id, true)) },
  { method: 'POST', pattern: /^\/users\/([^/]+)\/(?:microsoft\.graph\.)?getMemberGroups$/, handler: (r, c, [id]) => getMemberGroups(r, c, id!) },
  { method: 'GET', pattern: /^\/users\/([^/]+)\/licenseDetails$/, handler: (r, c, [id]) => licenseDetails(r, c, id!) },
  { method: 'POST', pattern: /^\/users\/([^/]+)\/(?:microsoft\.graph\.)?revokeSignInSessions$/, handler: (r, c, [id]) => revokeSessions(r, c, id!) },
];
