// admin/serviceAnnouncement: healthOverviews (one serviceHealth per subscribed service, status from its open
// issues, `$expand=issues`) and issues (`$filter`, paging), as Graph v1.0 serves them to ServiceHealth.Read.All.
import type { Route } from './router';
import { fail, type SandboxContext } from './graph-core';
import { entity, page, type CollectionSpec } from './odata-query';
import { findService, health, overview } from './health-state';
import { P, requirePerm } from './permissions';
import type { GraphObject } from './state';

const BASE = '/admin/serviceAnnouncement';

function overviews(ctx: SandboxContext): GraphObject[] {
  return health(ctx.state).services.map((s) => overview(ctx.state, s));
}

/** Issues of one service, newest first as the admin center lists them. */
function issuesOf(ctx: SandboxContext, of?: GraphObject): GraphObject[] {
  return health(ctx.state).issues.filter((i) => !of || i.service === of.service)
    .sort((a, b) => String(b.startDateTime).localeCompare(String(a.startDateTime)));
}

/** A serviceHealth expands its issues (`$expand=issues`); `$filter` and `$select` come from the CSDL types. */
const SERVICE_HEALTH: CollectionSpec = { type: 'serviceHealth', expand: { issues: (o, ctx) => issuesOf(ctx, o) } };
const ISSUE: CollectionSpec = { type: 'serviceHealthIssue' };

/** Graph addresses a serviceHealth by its service name (`Exchange Online`); the id works here too. */
function mustService(ctx: SandboxContext, name: string): GraphObject {
  const s = findService(ctx.state, decodeURIComponent(name));
  if (!s) throw fail.notFound(decodeURIComponent(name));
  return s;
}

function mustIssue(ctx: SandboxContext, id: string): GraphObject {
  const i = health(ctx.state).issues.find((x) => x.id === decodeURIComponent(id));
  if (!i) throw fail.notFound(decodeURIComponent(id));
  return i;
}

/** Service health routes. */
export const healthRoutes: Route[] = [
  {
    method: 'GET', pattern: new RegExp(`^${BASE}/healthOverviews$`),
    handler: (r, c) => { requirePerm(c, r.auth, P.healthRead); return page(r, c, overviews(c), 'admin/serviceAnnouncement/healthOverviews', SERVICE_HEALTH); },
  },
  {
    method: 'GET', pattern: new RegExp(`^${BASE}/healthOverviews/([^/]+)$`),
    handler: (r, c, [n]) => { requirePerm(c, r.auth, P.healthRead); return entity(r, c, overview(c.state, mustService(c, n!)), SERVICE_HEALTH, 'admin/serviceAnnouncement/healthOverviews'); },
  },
  {
    method: 'GET', pattern: new RegExp(`^${BASE}/healthOverviews/([^/]+)/issues$`),
    handler: (r, c, [n]) => { requirePerm(c, r.auth, P.healthRead); return page(r, c, issuesOf(c, mustService(c, n!)), 'admin/serviceAnnouncement/issues', ISSUE); },
  },
  {
    method: 'GET', pattern: new RegExp(`^${BASE}/issues$`),
    handler: (r, c) => { requirePerm(c, r.auth, P.healthRead); return page(r, c, issuesOf(c), 'admin/serviceAnnouncement/issues', ISSUE); },
  },
  {
    method: 'GET', pattern: new RegExp(`^${BASE}/issues/([^/]+)$`),
    handler: (r, c, [id]) => { requirePerm(c, r.auth, P.healthRead); return entity(r, c, mustIssue(c, id!), ISSUE, 'admin/serviceAnnouncement/issues'); },
  },
];
