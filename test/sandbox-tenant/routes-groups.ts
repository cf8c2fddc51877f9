// Groups as Graph serves them: Microsoft 365 and security groups are created and edited here; distribution
// lists and mail-enabled security groups are listed but read-only (Exchange owns them); members and owners by $ref.
import type { Route } from './router';
import { fail, objectBody, refId, type GraphRequest, type SandboxContext } from './graph-core';
import { readBody } from './csdl-model';
import { countOf, entity, ofType, page, type CollectionSpec } from './odata-query';
import { P, requirePerm } from './permissions';
import { newGroup, type GraphObject } from './state';
import { transitiveGroups } from './user-links';
import { proxyTaken } from './user-rules';

const WRITABLE = new Set(['displayName', 'description', 'mailEnabled', 'mailNickname', 'securityEnabled', 'groupTypes', 'visibility', 'isAssignableToRole']);
const ALIAS = /^[A-Za-z0-9'.\-_!#^~]+$/;
const EXCHANGE_OWNED = 'Cannot Update a mail-enabled security groups and or distribution list.';

function directoryObject(ctx: SandboxContext, id: string): GraphObject | undefined {
  const u = ctx.state.users.find((x) => x.id === id);
  if (u) return { '@odata.type': '#microsoft.graph.user', ...u };
  const g = ctx.state.groups.find((x) => x.id === id);
  if (g) return { '@odata.type': '#microsoft.graph.group', ...g };
  const s = ctx.state.servicePrincipals.find((x) => x.id === id);
  return s ? { '@odata.type': '#microsoft.graph.servicePrincipal', ...s } : undefined;
}

const related = (ctx: SandboxContext, ids: string[] | undefined) => (ids ?? []).map((i) => directoryObject(ctx, i)).filter((x): x is GraphObject => !!x);
const members = (o: GraphObject, ctx: SandboxContext) => related(ctx, ctx.state.groupMembers[o.id]);
const owners = (o: GraphObject, ctx: SandboxContext) => related(ctx, ctx.state.groupOwners[o.id]);

/** How /groups behaves under the query options. */
export const GROUP_SPEC: CollectionSpec = {
  type: 'group', orderable: ['displayName'],
  expand: { members, owners, memberOf: (o, ctx) => transitiveGroups(ctx, o.id).filter((g) => (ctx.state.groupMembers[g.id] ?? []).includes(o.id)) },
};

function mustGroup(ctx: SandboxContext, id: string): GraphObject {
  const g = ctx.state.groups.find((x) => x.id === decodeURIComponent(id));
  if (!g) throw fail.notFound(decodeURIComponent(id));
  return g;
}

/** Distribution lists and mail-enabled security groups belong to Exchange: Graph only reads them. */
const exchangeOwned = (g: GraphObject) => g.mailEnabled === true && !(g.groupTypes as string[]).includes('Unified');

function createGroup(req: GraphRequest, ctx: SandboxContext) {
  requirePerm(ctx, req.auth, P.groupWrite);
  const { 'members@odata.bind': memberRefs, 'owners@odata.bind': ownerRefs, ...body } = readBody(objectBody(req), 'group', WRITABLE, 'Group', new Set(['members', 'owners']));
  for (const k of ['displayName', 'mailEnabled', 'mailNickname', 'securityEnabled']) {
    if (body[k] === undefined || body[k] === null || body[k] === '') throw fail.badRequest(`A value is required for property '${k}' of resource 'Group'.`);
  }
  if (String(body.displayName).length > 256) throw fail.invalidValue('displayName', 'Group');
  if (typeof body.mailNickname !== 'string' || body.mailNickname.length > 64 || !ALIAS.test(body.mailNickname)) throw fail.invalidValue('mailNickname', 'Group');
  const unified = ((body.groupTypes as string[] | undefined) ?? []).includes('Unified');
  if (body.mailEnabled === true && !unified) {
    throw fail.badRequest('The service does not currently support writes of mail-enabled groups. Please ensure that the mail-enablement property is unset or set to false.');
  }
  const initial = String(ctx.state.domains.find((d) => d.isInitial)?.id);
  if (unified && proxyTaken(ctx, [`${body.mailNickname}@${initial}`])) throw fail.conflict('proxyAddresses');
  const g = newGroup({ groupTypes: [], ...body, visibility: body.visibility ?? (unified ? 'Public' : null) }, ctx.now().toISOString(), initial);
  const resolve = (refs: unknown) => ((refs as string[] | undefined) ?? []).map((ref) => {
    const id = refId({ '@odata.id': ref });
    if (!directoryObject(ctx, id)) throw fail.notFound(id);
    return id;
  });
  const members = resolve(memberRefs), owners = resolve(ownerRefs);
  ctx.state.groups.push(g);
  // A Microsoft 365 group created by a signed-in user has that user as an owner unless owners are given.
  const ownerId = req.auth.userId;
  ctx.state.groupMembers[g.id] = [...new Set(members)];
  ctx.state.groupOwners[g.id] = owners.length ? [...new Set(owners)] : ownerId && unified ? [ownerId] : [];
  ctx.target = g.id;
  return { status: 201, body: { '@odata.context': `${ctx.root}/$metadata#groups/$entity`, ...g } };
}

function updateGroup(req: GraphRequest, ctx: SandboxContext, id: string) {
  requirePerm(ctx, req.auth, P.groupWrite);
  const g = mustGroup(ctx, id);
  ctx.target = g.id;
  const body = readBody(objectBody(req), 'group', WRITABLE, 'Group');
  if (exchangeOwned(g)) throw fail.badRequest(EXCHANGE_OWNED);
  if (typeof body.displayName === 'string' && body.displayName.length > 256) throw fail.invalidValue('displayName', 'Group');
  Object.assign(g, body);
  return { status: 204 };
}

function deleteGroup(req: GraphRequest, ctx: SandboxContext, id: string) {
  requirePerm(ctx, req.auth, P.groupWrite);
  const g = mustGroup(ctx, id);
  ctx.target = g.id;
  if (exchangeOwned(g)) throw fail.badRequest(EXCHANGE_OWNED);
  ctx.state.groups = ctx.state.groups.filter((x) => x !== g);
  for (const m of Object.values(ctx.state.groupMembers)) { const i = m.indexOf(g.id); if (i >= 0) m.splice(i, 1); }
  // Microsoft 365 groups go to the recycle bin for 30 days; security groups are deleted at once.
  if ((g.groupTypes as string[]).includes('Unified')) {
    g.deletedDateTime = ctx.now().toISOString();
    ctx.state.deletedGroups.push(g);
  } else {
    delete ctx.state.groupMembers[g.id];
    delete ctx.state.groupOwners[g.id];
  }
  return { status: 204 };
}

function addRef(req: GraphRequest, ctx: SandboxContext, id: string, kind: 'members' | 'owners') {
  requirePerm(ctx, req.auth, P.groupMemberWrite);
  const g = mustGroup(ctx, id);
  ctx.target = g.id;
  if (exchangeOwned(g)) throw fail.badRequest(EXCHANGE_OWNED);
  const ref = refId(objectBody(req));
  const obj = directoryObject(ctx, ref);
  if (!obj) throw fail.notFound(ref);
  const list = (kind === 'members' ? ctx.state.groupMembers : ctx.state.groupOwners)[g.id] ??= [];
  if (list.includes(obj.id)) throw fail.badRequest(`One or more added object references already exist for the following modified properties: '${kind}'.`);
  if (kind === 'members' && obj.id === g.id) throw fail.badRequest('A group cannot be a member of itself.'); // [unconfirmed]
  list.push(obj.id);
  if (obj['@odata.type'] === '#microsoft.graph.user') ctx.changed(obj.id);
  return { status: 204 };
}

function removeRef(req: GraphRequest, ctx: SandboxContext, id: string, kind: 'members' | 'owners', memberId: string) {
  requirePerm(ctx, req.auth, P.groupMemberWrite);
  const g = mustGroup(ctx, id);
  ctx.target = g.id;
  if (exchangeOwned(g)) throw fail.badRequest(EXCHANGE_OWNED);
  const list = (kind === 'members' ? ctx.state.groupMembers : ctx.state.groupOwners)[g.id] ?? [];
  const i = list.indexOf(decodeURIComponent(memberId));
  if (i < 0) throw fail.notFound(decodeURIComponent(memberId));
  list.splice(i, 1);
  return { status: 204 };
}

const DIR: CollectionSpec = { type: 'directoryObject' };
const readGroup = (r: GraphRequest, c: SandboxContext) => requirePerm(c, r.auth, P.groupRead);

/** /groups, members, owners and their $ref. */
export const groupRoutes: Route[] = [
  { method: 'GET', pattern: /^\/groups$/, handler: (r, c) => { readGroup(r, c); return page(r, c, c.state.groups, 'groups', GROUP_SPEC); } },
  { method: 'GET', pattern: /^\/groups\/\$count$/, handler: (r, c) => { readGroup(r, c); return countOf(r, c.state.groups, 'group'); } },
  { method: 'POST', pattern: /^\/groups$/, handler: (r, c) => createGroup(r, c) },
  { method: 'GET', pattern: /^\/groups\/([^/]+)$/, handler: (r, c, [id]) => { readGroup(r, c); return entity(r, c, mustGroup(c, id!), GROUP_SPEC, 'groups'); } },
  { method: 'PATCH', pattern: /^\/groups\/([^/]+)$/, handler: (r, c, [id]) => updateGroup(r, c, id!) },
  { method: 'DELETE', pattern: /^\/groups\/([^/]+)$/, handler: (r, c, [id]) => deleteGroup(r, c, id!) },
  {
    method: 'GET', pattern: /^\/groups\/([^/]+)\/(members|owners|transitiveMembers)(?:\/microsoft\.graph\.(user|group|servicePrincipal))?$/,
    handler: (r, c, [id, k, cast]) => {
      readGroup(r, c);
      const g = mustGroup(c, id!);
      const all = k === 'members' ? members(g, c) : k === 'owners' ? owners(g, c) : transitiveMembers(c, g.id);
      return cast ? page(r, c, ofType(all, cast), `${cast}s`, { type: cast }) : page(r, c, all, 'directoryObjects', DIR);
    },
  },
  { method: 'POST', pattern: /^\/groups\/([^/]+)\/(members|owners)\/\$ref$/, handler: (r, c, [id, k]) => addRef(r, c, id!, k as 'members' | 'owners') },
  { method: 'DELETE', pattern: /^\/groups\/([^/]+)\/(members|owners)\/([^/]+)\/\$ref$/, handler: (r, c, [id, k, m]) => removeRef(r, c, id!, k as 'members' | 'owners', m!) },
];

function transitiveMembers(ctx: SandboxContext, id: string): GraphObject[] {
  const seen = new Set<string>();
  const walk = (g: string) => { for (const m of ctx.state.groupMembers[g] ?? []) if (!seen.has(m)) { seen.add(m); walk(m); } };
  walk(id);
  return related(ctx, [...seen]);
}
