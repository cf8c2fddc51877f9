import type { Route } from './router';
import { fail, objectBody, type GraphRequest, type SandboxContext } from './graph-core';
import { readBody } from './csdl-model';
import { entity, page, type CollectionSpec } from './odata-query';
import { P, requirePerm } from './permissions';
import type { GraphObject } from './state';
import { findUser, proxyTaken } from './user-rules';

interface AssignedLicense { skuId: string; disabledPlans: string[] }

const ORG: CollectionSpec = { type: 'organization' };
const SKU: CollectionSpec = { type: 'subscribedSku' };
// What PATCH /organization/{id} may change (Graph documents these as updatable).
const ORG_WRITABLE = new Set(['marketingNotificationEmails', 'privacyProfile', 'securityComplianceNotificationMails', 'securityComplianceNotificationPhones', 'technicalNotificationMails', 'onPremisesSyncEnabled']);

/** consumedUnits is derived from users so it can never drift. */
export function consumed(ctx: SandboxContext, skuId: string): number {
  return ctx.state.users.filter((u) => (u.assignedLicenses as AssignedLicense[]).some((l) => l.skuId === skuId)).length;
}

function organization(ctx: SandboxContext): GraphObject {
  return {
    marketingNotificationEmails: [], securityComplianceNotificationMails: [], securityComplianceNotificationPhones: [], provisionedPlans: [],
    ...ctx.state.organization,
    verifiedDomains: ctx.state.domains.filter((d) => d.isVerified).map((d) => ({
      capabilities: 'Email, OfficeCommunicationsOnline', isDefault: d.isDefault, isInitial: d.isInitial, name: d.id,
      type: 'Managed',
    })),
  };
}

function mustOrg(ctx: SandboxContext, id: string): GraphObject {
  if (id !== ctx.state.tenantId) throw fail.notFound(id);
  return organization(ctx);
}

function patchOrg(req: GraphRequest, ctx: SandboxContext, id: string) {
  requirePerm(ctx, req.auth, P.orgWrite);
  mustOrg(ctx, id);
  ctx.target = id;
  Object.assign(ctx.state.organization, readBody(objectBody(req), 'organization', ORG_WRITABLE, 'Organization'));
  return { status: 204 };
}

function skus(ctx: SandboxContext): GraphObject[] {
  return ctx.state.skus.map((s) => ({ ...s, consumedUnits: consumed(ctx, String(s.skuId)) }));
}

function assignLicense(req: GraphRequest, ctx: SandboxContext, id: string) {
  requirePerm(ctx, req.auth, P.license);
  const user = findUser(ctx, id);
  if (!user) throw fail.notFound(decodeURIComponent(id));
  ctx.target = user.id;
  const body = objectBody(req);
  if (!Array.isArray(body.addLicenses) || !Array.isArray(body.removeLicenses)) {
    throw fail.badRequest("Invalid value specified for property 'addLicenses' of resource 'User'.");
  }
  const add = body.addLicenses as { skuId?: string; disabledPlans?: string[] }[];
  const remove = body.removeLicenses as string[];
  const current = [...(user.assignedLicenses as AssignedLicense[])];
  for (const a of add) {
    const sku = ctx.state.skus.find((s) => s.skuId === a.skuId);
    if (!sku) throw fail.badRequest(`License ${String(a.skuId)} does not correspond to a valid company License.`);
  }
  if (add.length > 0 && !user.usageLocation) {
    throw fail.badRequest('License assignment cannot be done for user with invalid usage location.');
  }
  for (const a of add) {
    const sku = ctx.state.skus.find((s) => s.skuId === a.skuId)!;
    const has = current.some((l) => l.skuId === a.skuId);
    const enabled = (sku.prepaidUnits as { enabled: number }).enabled;
    if (!has && consumed(ctx, String(sku.skuId)) >= enabled) {
      throw fail.badRequest(`Subscription with SKU ${String(sku.skuId)} does not have any available licenses.`);
    }
  }
  for (const r of remove) {
    if (!current.some((l) => l.skuId === r)) throw fail.badRequest(`User does not have a corresponding license.`);
  }
  let next = current.filter((l) => !remove.includes(l.skuId));
  for (const a of add) {
    next = next.filter((l) => l.skuId !== a.skuId);
    next.push({ skuId: a.skuId!, disabledPlans: a.disabledPlans ?? [] });
  }
  // A mailbox-bearing license gives the user mail and SMTP proxy addresses — unless another object has them.
  const hasMail = next.some((l) => {
    const sku = ctx.state.skus.find((s) => s.skuId === l.skuId);
    return (sku?.servicePlans as { servicePlanName: string }[]).some((p) => p.servicePlanName.startsWith('EXCHANGE'));
  });
  if (hasMail && !user.mail) {
    const initial = ctx.state.domains.find((d) => d.isInitial)?.id;
    const proxies = [`SMTP:${String(user.userPrincipalName)}`, `smtp:${String(user.mailNickname)}@${String(initial)}`];
    if (proxyTaken(ctx, proxies, user.id)) throw fail.conflict('proxyAddresses');
    user.mail = user.userPrincipalName;
    user.proxyAddresses = proxies;
  }
  user.assignedLicenses = next;
  ctx.changed(user.id);
  return { status: 200, body: { '@odata.context': `${ctx.root}/$metadata#users/$entity`, ...user } };
}

function mustSku(ctx: SandboxContext, id: string): GraphObject {
  const s = skus(ctx).find((x) => x.id === decodeURIComponent(id));
  if (!s) throw fail.notFound(decodeURIComponent(id));
  return s;
}

/** /organization (+ PATCH), /subscribedSkus (+ {id}), assignLicense. */
export const orgRoutes: Route[] = [
  { method: 'GET', pattern: /^\/organization$/, handler: (r, c) => { requirePerm(c, r.auth, P.orgRead); return page(r, c, [organization(c)], 'organization', ORG); } },
  { method: 'GET', pattern: /^\/organization\/([^/]+)$/, handler: (r, c, [id]) => { requirePerm(c, r.auth, P.orgRead); return entity(r, c, mustOrg(c, id!), ORG, 'organization'); } },
  { method: 'PATCH', pattern: /^\/organization\/([^/]+)$/, handler: (r, c, [id]) => patchOrg(r, c, id!) },
  { method: 'GET', pattern: /^\/subscribedSkus$/, handler: (r, c) => { requirePerm(c, r.auth, P.orgRead); return page(r, c, skus(c), 'subscribedSkus', SKU); } },
  { method: 'GET', pattern: /^\/subscribedSkus\/([^/]+)$/, handler: (r, c, [id]) => { requirePerm(c, r.auth, P.orgRead); return entity(r, c, mustSku(c, id!), SKU, 'subscribedSkus'); } },
  { method: 'POST', pattern: /^\/users\/([^/]+)\/(?:microsoft\.graph\.)?assignLicense$/, handler: (r, c, [id]) => assignLicense(r, c, id!) },
];
