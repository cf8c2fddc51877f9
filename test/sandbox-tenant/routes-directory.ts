import type { Route } from './router';
import { fail, GraphFail, type GraphRequest, type SandboxContext } from './graph-core';
import { checkOptions, entity, page, shape, type CollectionSpec } from './odata-query';
import { P, requirePerm } from './permissions';
import { USER_DEFAULT_SELECT } from './routes-users';
import type { GraphObject } from './state';
import { proxyTaken } from './user-rules';

const DELETED_USER: CollectionSpec = { type: 'user' };
const DELETED_GROUP: CollectionSpec = { type: 'group' };
const DELTA: CollectionSpec = { type: 'user', defaultSelect: USER_DEFAULT_SELECT };

const DAY = 86_400_000;

/** Soft-deleted users older than 30 days (sandbox clock) are purged, as in Entra. */
export function purgeExpired(ctx: SandboxContext): void {
  const now = ctx.now().getTime();
  const keep: GraphObject[] = [];
  for (const u of ctx.state.deletedUsers) {
    if (now - Date.parse(String(u.deletedDateTime)) >= 30 * DAY) {
      delete ctx.state.passwords[u.id];
      ctx.changed(u.id, 'deleted');
    } else keep.push(u);
  }
  ctx.state.deletedUsers = keep;
  ctx.state.deletedGroups = ctx.state.deletedGroups.filter((g) => now - Date.parse(String(g.deletedDateTime)) < 30 * DAY);
}

function deleted(ctx: SandboxContext, id: string): GraphObject {
  const u = ctx.state.deletedUsers.find((d) => d.id === id);
  if (!u) throw fail.notFound(id);
  return u;
}

function restoreGroup(req: GraphRequest, ctx: SandboxContext, g: GraphObject) {
  requirePerm(ctx, req.auth, P.groupWrite);
  ctx.target = g.id;
  if (proxyTaken(ctx, g.proxyAddresses as string[])) throw fail.conflict('proxyAddresses');
  ctx.state.deletedGroups = ctx.state.deletedGroups.filter((d) => d !== g);
  delete g.deletedDateTime;
  ctx.state.groups.push(g);
  return { status: 200, body: { '@odata.context': `${ctx.root}/$metadata#directoryObjects/$entity`, '@odata.type': '#microsoft.graph.group', ...g } };
}

function restore(req: GraphRequest, ctx: SandboxContext, id: string) {
  const g = ctx.state.deletedGroups.find((d) => d.id === id);
  if (g) return restoreGroup(req, ctx, g);
  requirePerm(ctx, req.auth, P.userWrite);
  const u = deleted(ctx, id);
  ctx.target = u.id;
  const upn = String(u.userPrincipalName).toLowerCase();
  if (ctx.state.users.some((a) => String(a.userPrincipalName).toLowerCase() === upn)) throw fail.conflict('userPrincipalName');
  if (proxyTaken(ctx, u.proxyAddresses as string[])) throw fail.conflict('proxyAddresses');
  ctx.state.deletedUsers = ctx.state.deletedUsers.filter((d) => d !== u);
  delete u.deletedDateTime;
  // Licenses come back only where a seat is still free.
  u.assignedLicenses = (u.assignedLicenses as { skuId: string }[]).filter((l) => {
    const sku = ctx.state.skus.find((s) => s.skuId === l.skuId);
    const enabled = (sku?.prepaidUnits as { enabled: number } | undefined)?.enabled ?? 0;
    return ctx.state.users.filter((x) => (x.assignedLicenses as { skuId: string }[]).some((a) => a.skuId === l.skuId)).length < enabled;
  });
  ctx.state.users.push(u);
  ctx.changed(u.id);
  return { status: 200, body: { '@odata.context': `${ctx.root}/$metadata#directoryObjects/$entity`, '@odata.type': '#microsoft.graph.user', ...u } };
}

function purge(req: GraphRequest, ctx: SandboxContext, id: string) {
  const g = ctx.state.deletedGroups.find((d) => d.id === id);
  if (g) {
    requirePerm(ctx, req.auth, P.groupWrite);
    ctx.target = g.id;
    ctx.state.deletedGroups = ctx.state.deletedGroups.filter((d) => d !== g);
    return { status: 204 };
  }
  requirePerm(ctx, req.auth, P.userWrite);
  const u = deleted(ctx, id);
  ctx.target = u.id;
  ctx.state.deletedUsers = ctx.state.deletedUsers.filter((d) => d !== u);
  delete ctx.state.passwords[u.id];
  ctx.changed(u.id, 'deleted');
  return { status: 204 };
}

/**
 * users/delta: the first round returns every user page by page and ends with a deltaLink carrying a
 * sequence number; later rounds return users changed since, and `@removed` for deleted ones.
 */
function delta(req: GraphRequest, ctx: SandboxContext) {
  requirePerm(ctx, req.auth, P.userRead);
  checkOptions(req);
  const token = req.query.get('$deltatoken');
  const skip = req.query.get('$skiptoken');
  let since = -1, offset = 0, upTo = ctx.state.seq;
  if (skip) {
    const parts = Buffer.from(skip, 'base64url').toString().split(':').map(Number);
    [since, offset, upTo] = [parts[0] ?? -1, parts[1] ?? 0, parts[2] ?? ctx.state.seq];
  } else if (token) {
    since = Number(Buffer.from(token, 'base64url').toString());
    // [unconfirmed] text for a delta token the service did not issue.
    if (!/^\d+$/.test(Buffer.from(token, 'base64url').toString())) throw new GraphFail(400, 'Request_BadRequest', 'Invalid delta token.');
  }
  let items: Record<string, unknown>[];
  if (since < 0) {
    items = ctx.state.users.map((u) => shape(req, ctx, u, DELTA));
  } else {
    const ids = new Map<string, 'changed' | 'deleted' | undefined>();
    for (const c of ctx.state.changeLog) if (c.seq > since && c.seq <= upTo) ids.set(c.id, c.removed);
    items = [];
    for (const [id, removed] of ids) {
      const u = ctx.state.users.find((x) => x.id === id);
      if (u) items.push(shape(req, ctx, u, DELTA));
      else items.push({ id, '@removed': { reason: removed ?? 'changed' } });
    }
  }
  const top = Number(req.headers['prefer']?.match(/odata\.maxpagesize=(\d+)/)?.[1] ?? 100);
  const slice = items.slice(offset, offset + top);
  const body: Record<string, unknown> = { '@odata.context': `${ctx.root}/$metadata#users`, value: slice };
  const sel = req.query.get('$select');
  const q = new URLSearchParams(sel ? { $select: sel } : {});
  if (offset + top < items.length) {
    q.set('$skiptoken', Buffer.from(`${since}:${offset + top}:${upTo}`).toString('base64url'));
    body['@odata.nextLink'] = `${ctx.root}/users/delta?${q.toString()}`;
  } else {
    q.set('$deltatoken', Buffer.from(String(upTo)).toString('base64url'));
    body['@odata.deltaLink'] = `${ctx.root}/users/delta?${q.toString()}`;
  }
  return { status: 200, body };
}

/** directory/deletedItems and users/delta. */
export const directoryRoutes: Route[] = [
  { method: 'GET', pattern: /^\/users\/delta(?:\(\))?$/, handler: (r, c) => delta(r, c) },
  {
    method: 'GET', pattern: /^\/directory\/deletedItems\/(?:microsoft\.graph\.user|graph\.user)$/,
    handler: (r, c) => { requirePerm(c, r.auth, P.userRead); return page(r, c, c.state.deletedUsers, 'directory/deletedItems/microsoft.graph.user', DELETED_USER); },
  },
  {
    method: 'GET', pattern: /^\/directory\/deletedItems\/(?:microsoft\.graph\.group|graph\.group)$/,
    handler: (r, c) => { requirePerm(c, r.auth, P.groupRead); return page(r, c, c.state.deletedGroups, 'directory/deletedItems/microsoft.graph.group', DELETED_GROUP); },
  },
  {
    method: 'GET', pattern: /^\/directory\/deletedItems\/([^/]+)$/,
    handler: (r, c, [id]) => {
      requirePerm(c, r.auth, P.userRead);
      const g = c.state.deletedGroups.find((d) => d.id === id);
      const o = g ? { '@odata.type': '#microsoft.graph.group', ...g } : { '@odata.type': '#microsoft.graph.user', ...deleted(c, id!) };
      return entity(r, c, o, g ? DELETED_GROUP : DELETED_USER, 'directoryObjects');
    },
  },
  { method: 'POST', pattern: /^\/directory\/deletedItems\/([^/]+)\/(?:microsoft\.graph\.)?restore$/, handler: (r, c, [id]) => restore(r, c, id!) },
  { method: 'DELETE', pattern: /^\/directory\/deletedItems\/([^/]+)$/, handler: (r, c, [id]) => purge(r, c, id!) },
];
