// Tenant-level calls clients make besides the directory: guest invitations and the cross-tenant
// lookup tenantRelationships/findTenantInformationByDomainName.
import { randomUUID } from 'node:crypto';
import type { Route } from './router';
import { fail, objectBody, type GraphRequest, type SandboxContext } from './graph-core';
import { readBody } from './csdl-model';
import { P, requirePerm } from './permissions';
import { newUser } from './state';
import { proxyTaken } from './user-rules';

const INVITE_WRITABLE = new Set(['invitedUserEmailAddress', 'inviteRedirectUrl', 'invitedUserDisplayName', 'sendInvitationMessage', 'invitedUserType', 'invitedUserMessageInfo', 'resetRedemption']);
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** POST /invitations: a guest user (#EXT#) pending acceptance, and the invitation Graph returns for it. */
function invite(req: GraphRequest, ctx: SandboxContext) {
  requirePerm(ctx, req.auth, P.invite);
  const body = readBody(objectBody(req), 'invitation', INVITE_WRITABLE, 'Invitation');
  const email = body.invitedUserEmailAddress;
  if (typeof email !== 'string' || !EMAIL.test(email)) throw fail.badRequest("Invalid value specified for property 'invitedUserEmailAddress' of resource 'Invitation'.");
  if (typeof body.inviteRedirectUrl !== 'string') throw fail.badRequest("A value is required for property 'inviteRedirectUrl' of resource 'Invitation'.");
  const initial = String(ctx.state.domains.find((d) => d.isInitial)?.id);
  const upn = `${email.replace('@', '_')}#EXT#@${initial}`;
  if (proxyTaken(ctx, [email])) throw fail.conflict('proxyAddresses');
  const user = newUser({
    userPrincipalName: upn, displayName: typeof body.invitedUserDisplayName === 'string' ? body.invitedUserDisplayName : email, mail: email,
    mailNickname: email.replace('@', '_'), accountEnabled: true, userType: body.invitedUserType ?? 'Guest', externalUserState: 'PendingAcceptance',
    otherMails: [email], proxyAddresses: [`SMTP:${email}`], creationType: 'Invitation',
  }, ctx.now().toISOString());
  ctx.state.users.push(user);
  ctx.changed(user.id);
  ctx.target = user.id;
  const invitation = {
    id: randomUUID(), inviteRedeemUrl: `https://login.microsoftonline.com/redeem?rd=${encodeURIComponent(randomUUID())}`,
    invitedUserDisplayName: body.invitedUserDisplayName ?? null, invitedUserEmailAddress: email, invitedUserType: user.userType,
    inviteRedirectUrl: body.inviteRedirectUrl, resetRedemption: false, sendInvitationMessage: body.sendInvitationMessage ?? false,
    status: 'PendingAcceptance', invitedUser: { id: user.id }, invitedUserMessageInfo: body.invitedUserMessageInfo ?? { ccRecipients: [], customizedMessageBody: null, messageLanguage: null },
  };
  return { status: 201, body: { '@odata.context': `${ctx.root}/$metadata#invitations/$entity`, ...invitation } };
}

function findTenant(req: GraphRequest, ctx: SandboxContext, raw: string) {
  requirePerm(ctx, req.auth, P.crossTenant);
  const name = decodeURIComponent(raw).replace(/^'|'$/g, '').toLowerCase();
  // Only this tenant's domains are known to the sandbox; anything else is not found. [unconfirmed] 404 text.
  if (!ctx.state.domains.some((d) => d.id === name && d.isVerified)) throw fail.notFound(name);
  const def = ctx.state.domains.find((d) => d.isDefault)?.id ?? name;
  return {
    status: 200,
    body: {
      '@odata.context': `${ctx.root}/$metadata#microsoft.graph.tenantInformation`, tenantId: ctx.state.tenantId,
      displayName: ctx.state.organization.displayName, defaultDomainName: def, federationBrandName: null,
    },
  };
}

/** /invitations and tenantRelationships/findTenantInformationByDomainName(domainName='…'). */
export const tenantRoutes: Route[] = [
  { method: 'POST', pattern: /^\/invitations$/, handler: (r, c) => invite(r, c) },
  {
    method: 'GET', pattern: /^\/tenantRelationships\/(?:microsoft\.graph\.)?findTenantInformationByDomainName\(domainName=([^)]+)\)$/,
    handler: (r, c, [d]) => findTenant(r, c, d!),
  },
];
