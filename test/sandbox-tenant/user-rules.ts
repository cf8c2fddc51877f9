// What Entra refuses when a user is written: name lengths, the UPN and alias rules, the cloud password
// policy, and the uniqueness of userPrincipalName, onPremisesImmutableId and proxyAddresses.
import { fail, type SandboxContext } from './graph-core';
import type { GraphObject } from './state';

const ALIAS = /^[A-Za-z0-9'.\-_!#^~]+$/;

/** Entra's text for every password-policy refusal (length, classes, characters, user name, banned words). */
export const PASSWORD_POLICY = 'The specified password does not comply with password complexity requirements. Please provide a different password.';

// Characters Entra allows in cloud passwords: A–Z, a–z, 0–9, these symbols and the space.
const ALLOWED = /^[A-Za-z0-9@#$%^&*\-_!+=[\]{}|\\:',.?/`~"();<> ]*$/;
// A small stand-in for Microsoft's global banned list (the real one is not published).
const BANNED = ['password', 'welcome', 'qwerty', 'letmein', 'iloveyou', 'monkey', 'dragon', 'sunshine', 'football', 'abc123'];
const LEET: Record<string, string> = { '0': 'o', '1': 'l', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', '$': 's', '!': 'i' };

/**
 * Entra's documented evaluation: banned words are found after normalising (lower case, common substitutions);
 * each banned word counts one point, each remaining character one point, and five points are needed.
 */
function bannedScoreTooLow(password: string): boolean {
  let rest = [...password.toLowerCase()].map((c) => LEET[c] ?? c).join('');
  let points = 0;
  for (const b of BANNED) {
    while (rest.includes(b)) { rest = rest.replace(b, '\u0000'); points++; }
  }
  if (points === 0) return false;
  return points + rest.replace(/\u0000/g, '').length < 5;
}

/** Entra's cloud password policy: 8–256, three of four classes, allowed characters, no user name, banned list. */
export function passwordMeetsPolicy(password: string, upn: string): boolean {
  if (password.length < 8 || password.length > 256) return false;
  if (!ALLOWED.test(password)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((r) => r.test(password)).length;
  if (classes < 3) return false;
  const lower = password.toLowerCase();
  const alias = upn.split('@')[0]?.toLowerCase() ?? '';
  if (alias.length >= 3 && lower.includes(alias)) return false;
  return !bannedScoreTooLow(password);
}

/** The password of a passwordProfile, checked against the policy. */
export function checkPassword(profile: unknown, upn: string): string {
  const p = profile as { password?: unknown } | null;
  if (!p || typeof p !== 'object' || typeof p.password !== 'string') throw fail.invalidValue('passwordProfile', 'User');
  if (!passwordMeetsPolicy(p.password, upn)) throw fail.badRequest(PASSWORD_POLICY);
  return p.password;
}

/** UPN rules: alias charset, prefix ≤ 64, and one of the tenant's verified domains. */
export function checkUpn(ctx: SandboxContext, upn: unknown): string {
  if (typeof upn !== 'string') throw fail.badRequest('Property userPrincipalName is invalid.');
  const at = upn.lastIndexOf('@');
  const alias = upn.slice(0, at), domain = upn.slice(at + 1).toLowerCase();
  if (at <= 0 || alias.length > 64 || !ALIAS.test(alias) || alias.startsWith('.') || alias.endsWith('.')) {
    throw fail.badRequest('Property userPrincipalName is invalid.');
  }
  if (!ctx.state.domains.some((d) => d.id === domain && d.isVerified)) {
    throw fail.badRequest('The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.');
  }
  return upn;
}

/** displayName ≤ 256, mailNickname ≤ 64 with the alias charset, businessPhones at most one entry. */
export function checkUserFields(body: Record<string, unknown>): void {
  // [unconfirmed] Graph's text for an over-long displayName (the limit itself is documented).
  if (typeof body.displayName === 'string' && (body.displayName.length > 256 || !body.displayName.trim())) throw fail.invalidValue('displayName', 'User');
  if (body.mailNickname !== undefined && (typeof body.mailNickname !== 'string' || body.mailNickname.length > 64 || !ALIAS.test(body.mailNickname))) {
    throw fail.invalidValue('mailNickname', 'User');
  }
  if (body.usageLocation !== undefined && body.usageLocation !== null && !/^[A-Z]{2}$/.test(String(body.usageLocation))) throw fail.invalidValue('usageLocation', 'User');
  // [unconfirmed] text; Graph allows one business phone on users.
  if (Array.isArray(body.businessPhones) && body.businessPhones.length > 1) throw fail.invalidValue('businessPhones', 'User');
}

const bare = (p: string) => p.toLowerCase().replace(/^smtp:/, '');

/** Addresses an active user answers to: its proxy addresses, mail and UPN. */
function addressesOf(u: GraphObject): string[] {
  return [...(u.proxyAddresses as string[]).map(bare), ...(u.mail ? [String(u.mail).toLowerCase()] : []), String(u.userPrincipalName).toLowerCase()];
}

/** Another active object already using the UPN (deleted users don't block, which is what makes restore conflicts). */
export function upnTaken(ctx: SandboxContext, upn: string, exceptId?: string): boolean {
  return ctx.state.users.some((u) => u.id !== exceptId && String(u.userPrincipalName).toLowerCase() === upn.toLowerCase());
}

/** An address (UPN, mail or proxy) that another active user already answers to. */
export function proxyTaken(ctx: SandboxContext, addresses: string[], exceptId?: string): boolean {
  const want = new Set(addresses.map(bare));
  return ctx.state.users.some((u) => u.id !== exceptId && addressesOf(u).some((a) => want.has(a)))
    || ctx.state.groups.some((g) => (g.proxyAddresses as string[]).some((a) => want.has(bare(a))));
}

/** onPremisesImmutableId is unique among active users, on create and on update. */
export function checkImmutableId(ctx: SandboxContext, value: unknown, exceptId?: string): void {
  if (typeof value === 'string' && ctx.state.users.some((u) => u.id !== exceptId && u.onPremisesImmutableId === value)) {
    throw fail.conflict('onPremisesImmutableId');
  }
}

/** Graph resolves /users/{id} by object id or by userPrincipalName. */
export function findUser(ctx: SandboxContext, idOrUpn: string): GraphObject | undefined {
  const key = decodeURIComponent(idOrUpn).toLowerCase();
  return ctx.state.users.find((u) => u.id === key || String(u.userPrincipalName).toLowerCase() === key);
}

/** A user or Graph's 404. */
export function mustUser(ctx: SandboxContext, id: string): GraphObject {
  const u = findUser(ctx, id);
  if (!u) throw fail.notFound(decodeURIComponent(id));
  return u;
}
