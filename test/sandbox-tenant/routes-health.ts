// admin/serviceAnnouncement: healthOverviews (one serviceHealth per subscribed service, status from its open
// issues, `$expand=issues`) and issues (`$filter`, paging), as Graph v1.0 serves them to ServiceHealth.Read.All.
import type { Route } from './router';
import { fail, page, parseFilter, select, type GraphRequest, type SandboxContext } from './graph-core';
import { findService, health, overview } from './health-state';
import { P, requirePerm } from './permissions';
import type { GraphObject } from './state';

const BASE = '/admin/serviceAnnouncement';

function overviews(ctx: SandboxContext, req: GraphRequest): GraphObject[] {
  const expand = (req.query.get('$expand') ?? '').split(',').map((x) => x.trim()).includes('issues');
  return health(ctx.state).services.map((s) => {
    const o = overview(ctx.state, s);
    return expand ? { ...o, issues: health(ctx.state).issues.filter((i) => i.service === s.service) } : o;
  });
}

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

const entity = (ctx: SandboxContext, path: string, obj: GraphObject, req: GraphRequest) =>
  ({ status: 200, body: { '@odata.context': `${ctx.baseUrl}/v1.0/$metadata#${path}/$entity`, ...select(obj, req.query) } });

/** Newest first, as the admin center lists them; `$filter` on isResolved, service, classification, status. */
function issues(ctx: SandboxContext, req: GraphRequest, of?: GraphObject): GraphObject[] {
  const pred = parseFilter(req.query.get('$filter'));
  return health(ctx.state).issues.filter((i) => (!of || i.service === of.service) && pred(i))
    .sort((a, b) => String(b.startDateTime).localeCompare(String(a.startDateTime)));
}

/** Service health routes. */
export const healthRoutes: Route[] = [
  {
    method: 'GET', pattern: new RegExp(`^${BASE}/healthOverviews$`),
    handler: (r, c) => { requirePerm(c, r.auth, P.healthRead); return page(r, c, overviews(c, r), 'admin/serviceAnnouncement/healthOverviews'); },
  },
  {
    method: 'GET', pattern: new RegExp(`^${BASE}/healthOverviews/([^/]+)$`),
    handler: (r, c, [n]) => { requirePerm(c, r.auth, P.healthRead); return entity(c, 'admin/serviceAnnouncement/healthOverviews', overview(c.state, mustService(c, n!)), r); },
  },
  {
    method: 'GET', pattern: new RegExp(`^${BASE}/healthOverviews/([^/]+)/issues$`),
    handler: (r, c, [n]) => { requirePerm(c, r.auth, P.healthRead); return page(r, c, issues(c, r, mustService(c, n!)), 'admin/serviceAnnouncement/issues'); },
  },
  {
    method: 'GET', pattern: new RegExp(`^${BASE}/issues$`),
    handler: (r, c) => { requirePerm(c, r.auth, P.healthRead); return page(r, c, issues(c, r), 'admin/serviceAnnouncement/issues'); },
  },
  {
    method: 'GET', pattern: new RegExp(`^${BASE}/issues/([^/]+)$`),
    handler: (r, c, [id]) => { requirePerm(c, r.auth, P.healthRead); return entity(c, 'admin/serviceAnnouncement/issues', mustIssue(c, id!), r); },
  },
];
