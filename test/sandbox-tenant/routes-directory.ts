import type { Route } from './router';
import { fail, GraphFail, page, select, type GraphRequest, type SandboxContext } from './graph-core';
import { P, requirePerm } from './permissions';
import type { GraphObject } from './state';

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
}

function deleted(ctx: SandboxContext, id: string): GraphObject {
  const u = ctx.state.deletedUsers.find((d) => d.id === id);
  if (!u) throw fail.notFound(id);
  return u;
}

function restore(req: GraphRequest, ctx: SandboxContext, id: string) {
  requirePerm(ctx, req.auth, P.userWrite);
  const u = deleted(ctx, id);
  ctx.target = u.id;
  const upn = String(u.userPrincipalName).toLowerCase();
  if (ctx.state.users.some((a) => String(a.userPrincipalName).toLowerCase() === upn)) {
    throw fail.badRequest('Another object with the same value for property userPrincipalName already exists.');
  }
  const proxies = new Set((u.proxyAddresses as string[]).map((p) => p.toLowerCase().replace(/^smtp:/, '')));
  const clash = ctx.state.users.some((a) => (a.proxyAddresses as string[]).some((p) => proxies.has(p.toLowerCase().replace(/^smtp:/, ''))));
  if (clash) throw fail.badRequest('Another object with the same value for property proxyAddresses already exists.');
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
  return { status: 200, body: { '@odata.context': `${ctx.baseUrl}/v1.0/$metadata#directoryObjects/$entity`, '@odata.type': '#microsoft.graph.user', ...u } };
}

function purge(req: GraphRequest, ctx: SandboxContext, id: string) {
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
  const token = req.query.get('$deltatoken');
  const skip = req.query.get('$skiptoken');
  let since = -1, offset = 0, upTo = ctx.state.seq;
  if (skip) {
    const parts = Buffer.from(skip, 'base64url').toString().split(':').map(Number);
    [since, offset, upTo] = [parts[0] ?? -1, parts[1] ?? 0, parts[2] ?? ctx.state.seq];
  } else if (token) {
    since = Number(Buffer.from(token, 'base64url').toString());
    if (!Number.isFinite(since)) throw new GraphFail(400, 'Request_BadRequest', 'Invalid delta token.');
  }
  let items: Record<string, unknown>[];
  if (since < 0) {
    items = ctx.state.users.map((u) => select(u, req.query));
  } else {
    const ids = new Map<string, 'changed' | 'deleted' | undefined>();
    for (const c of ctx.state.changeLog) if (c.seq > since && c.seq <= upTo) ids.set(c.id, c.removed);
    items = [];
    for (const [id, removed] of ids) {
      const u = ctx.state.users.find((x) => x.id === id);
      if (u) items.push(select(u, req.query));
      else items.push({ id, '@removed': { reason: removed ?? 'changed' } });
    }
  }
  const top = Number(req.headers['prefer']?.match(/odata\.maxpagesize=(\d+)/)?.[1] ?? 100);
  const slice = items.slice(offset, offset + top);
  const body: Record<string, unknown> = { '@odata.context': `${ctx.baseUrl}/v1.0/$metadata#users`, value: slice };
  const sel = req.query.get('$select');
  const q = new URLSearchParams(sel ? { $select: sel } : {});
  if (offset + top < items.length) {
    q.set('$skiptoken', Buffer.from(`${since}:${offset + top}:${upTo}`).toString('base64url'));
    body['@odata.nextLink'] = `${ctx.baseUrl}/v1.0/users/delta?${q.toString()}`;
  } else {
    q.set('$deltatoken', Buffer.from(String(upTo)).toString('base64url'));
    body['@odata.deltaLink'] = `${ctx.baseUrl}/v1.0/users/delta?${q.toString()}`;
  }
  return { status: 200, body };
}

/** directory/deletedItems and users/delta. */
export const directoryRoutes: Route[] = [
  { method: 'GET', pattern: /^\/users\/delta(?:\(\))?$/, handler: (r, c) => delta(r, c) },
  {
    method: 'GET', pattern: /^\/directory\/deletedItems\/(?:microsoft\.graph\.user|graph\.user)$/,
    handler: (r, c) => { requirePerm(c, r.auth, P.userRead); return page(r, c, c.state.deletedUsers, 'directory/deletedItems/microsoft.graph.user'); },
  },
  {
    method: 'GET', pattern: /^\/directory\/deletedItems\/([^/]+)$/,
    handler: (r, c, [id]) => {
      requirePerm(c, r.auth, P.userRead);
      return { status: 200, body: { '@odata.type': '#microsoft.graph.user', ...select(deleted(c, id!), r.query) } };
    },
  },
  { method: 'POST', pattern: /^\/directory\/deletedItems\/([^/]+)\/(?:microsoft\.graph\.)?restore$/, handler: (r, c, [id]) => restore(r, c, id!) },
  { method: 'DELETE', pattern: /^\/directory\/deletedItems\/([^/]+)$/, handler: (r, c, [id]) => purge(r, c, id!) },
];
