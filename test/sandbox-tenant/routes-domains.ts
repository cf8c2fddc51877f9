import { randomInt } from 'node:crypto';
import type { Route } from './router';
import { fail, objectBody, type GraphRequest, type SandboxContext } from './graph-core';
import { readBody } from './csdl-model';
import { entity, page } from './odata-query';
import { P, requirePerm } from './permissions';
import { newDomain, type GraphObject } from './state';

const NAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

function mustDomain(ctx: SandboxContext, name: string): GraphObject {
  const d = ctx.state.domains.find((x) => x.id === decodeURIComponent(name).toLowerCase());
  if (!d) throw fail.notFound(decodeURIComponent(name));
  return d;
}

/** The MS=ms######## value Entra asks the owner to publish; stable per domain. */
export function verificationText(ctx: SandboxContext, name: string): string {
  ctx.state.domainTxt[name] ??= `MS=ms${randomInt(10_000_000, 99_999_999)}`;
  return ctx.state.domainTxt[name];
}

function base(label: string, recordType: string, extra: Record<string, unknown>, supportedService: string, isOptional = false) {
  return { id: `${recordType.toLowerCase()}-${label}-${String(extra.text ?? extra.mailExchange ?? extra.canonicalName ?? extra.nameTarget ?? '')}`, isOptional, label, recordType, supportedService, ttl: 3600, ...extra };
}

function verificationRecords(ctx: SandboxContext, d: GraphObject) {
  const text = verificationText(ctx, d.id);
  return [
    { '@odata.type': '#microsoft.graph.domainDnsTxtRecord', ...base(d.id, 'Txt', { text }, 'None') },
    { '@odata.type': '#microsoft.graph.domainDnsMxRecord', ...base(d.id, 'Mx', { mailExchange: `${text.slice(3)}.msv1.invalid`, preference: 32767 }, 'None') },
  ];
}

function serviceRecords(d: GraphObject) {
  const host = d.id.replace(/\./g, '-');
  return [
    { '@odata.type': '#microsoft.graph.domainDnsMxRecord', ...base(d.id, 'Mx', { mailExchange: `${host}.mail.protection.outlook.com`, preference: 0 }, 'Email') },
    { '@odata.type': '#microsoft.graph.domainDnsTxtRecord', ...base(d.id, 'Txt', { text: 'v=spf1 include:spf.protection.outlook.com -all' }, 'Email') },
    { '@odata.type': '#microsoft.graph.domainDnsCnameRecord', ...base(`autodiscover.${d.id}`, 'CName', { canonicalName: 'autodiscover.outlook.com' }, 'Email') },
  ];
}

function referenced(ctx: SandboxContext, name: string): boolean {
  const suffix = `@${name}`;
  return ctx.state.users.some((u) => String(u.userPrincipalName).toLowerCase().endsWith(suffix)
    || (u.proxyAddresses as string[]).some((p) => p.toLowerCase().endsWith(suffix)));
}

function addDomain(req: GraphRequest, ctx: SandboxContext) {
  requirePerm(ctx, req.auth, P.domainWrite);
  const body = readBody(objectBody(req), 'domain', new Set(['id', 'authenticationType', 'isDefault', 'supportedServices']), 'Domain');
  const name = String(body.id ?? '').toLowerCase();
  if (!NAME.test(name)) throw fail.badRequest("Invalid value specified for property 'id' of resource 'Domain'.");
  if (ctx.state.domains.some((d) => d.id === name)) throw fail.badRequest('Another object with the same value for property id already exists.');
  const d = newDomain(name, false, false, false);
  ctx.state.domains.push(d);
  ctx.target = name;
  return { status: 201, body: { '@odata.context': `${ctx.root}/$metadata#domains/$entity`, ...d } };
}

function verify(req: GraphRequest, ctx: SandboxContext, name: string) {
  requirePerm(ctx, req.auth, P.domainWrite);
  const d = mustDomain(ctx, name);
  ctx.target = d.id;
  if (!d.isVerified) {
    const published = ctx.state.publishedDns[d.id] ?? [];
    if (!published.includes(verificationText(ctx, d.id))) {
      // [unconfirmed] exact text; Graph answers 400 when the record is not found.
      throw fail.badRequest(`Domain verification failed. Make sure the TXT record ${verificationText(ctx, d.id)} has been added at the domain registrar.`);
    }
    d.isVerified = true;
    d.supportedServices = ['Email', 'OfficeCommunicationsOnline'];
  }
  return { status: 200, body: { '@odata.context': `${ctx.root}/$metadata#domains/$entity`, ...d } };
}

function update(req: GraphRequest, ctx: SandboxContext, name: string) {
  requirePerm(ctx, req.auth, P.domainWrite);
  const d = mustDomain(ctx, name);
  ctx.target = d.id;
  const body = readBody(objectBody(req), 'domain', new Set(['isDefault', 'supportedServices', 'authenticationType', 'passwordValidityPeriodInDays', 'passwordNotificationWindowInDays']), 'Domain');
  if (body.isDefault === true) {
    if (!d.isVerified) throw fail.badRequest('Unverified domains cannot be marked as default.');
    for (const o of ctx.state.domains) o.isDefault = o === d;
  }
  const { isDefault: _i, ...rest } = body;
  Object.assign(d, rest);
  return { status: 204 };
}

function remove(req: GraphRequest, ctx: SandboxContext, name: string) {
  requirePerm(ctx, req.auth, P.domainWrite);
  const d = mustDomain(ctx, name);
  ctx.target = d.id;
  if (d.isInitial || d.isDefault) throw fail.badRequest('The initial or default domain cannot be deleted.');
  if (referenced(ctx, d.id)) {
    // [unconfirmed] text; Graph refuses while domainNameReferences is not empty.
    throw fail.badRequest(`Domain '${d.id}' has references. Remove all users, groups and applications that use it before deleting.`);
  }
  ctx.state.domains = ctx.state.domains.filter((x) => x !== d);
  return { status: 204 };
}

/** /domains and its actions. */
export const domainRoutes: Route[] = [
  { method: 'GET', pattern: /^\/domains$/, handler: (r, c) => { requirePerm(c, r.auth, P.domainRead); return page(r, c, c.state.domains, 'domains', { type: 'domain' }); } },
  { method: 'POST', pattern: /^\/domains$/, handler: (r, c) => addDomain(r, c) },
  {
    method: 'GET', pattern: /^\/domains\/([^/]+)$/,
    handler: (r, c, [n]) => { requirePerm(c, r.auth, P.domainRead); return entity(r, c, mustDomain(c, n!), { type: 'domain' }, 'domains'); },
  },
  { method: 'PATCH', pattern: /^\/domains\/([^/]+)$/, handler: (r, c, [n]) => update(r, c, n!) },
  { method: 'DELETE', pattern: /^\/domains\/([^/]+)$/, handler: (r, c, [n]) => remove(r, c, n!) },
  { method: 'POST', pattern: /^\/domains\/([^/]+)\/(?:microsoft\.graph\.)?verify$/, handler: (r, c, [n]) => verify(r, c, n!) },
  {
    method: 'GET', pattern: /^\/domains\/([^/]+)\/verificationDnsRecords$/,
    handler: (r, c, [n]) => { requirePerm(c, r.auth, P.domainRead); return { status: 200, body: { value: verificationRecords(c, mustDomain(c, n!)) } }; },
  },
  {
    method: 'GET', pattern: /^\/domains\/([^/]+)\/serviceConfigurationRecords$/,
    handler: (r, c, [n]) => { requirePerm(c, r.auth, P.domainRead); return { status: 200, body: { value: serviceRecords(mustDomain(c, n!)) } }; },
  },
  {
    method: 'GET', pattern: /^\/domains\/([^/]+)\/domainNameReferences$/,
    handler: (r, c, [n]) => {
      requirePerm(c, r.auth, P.domainRead);
      const suffix = `@${mustDomain(c, n!).id}`;
      const refs = c.state.users.filter((u) => String(u.userPrincipalName).toLowerCase().endsWith(suffix))
        .map((u) => ({ '@odata.type': '#microsoft.graph.user', id: u.id, userPrincipalName: u.userPrincipalName }));
      return { status: 200, body: { value: refs } };
    },
  },
];
