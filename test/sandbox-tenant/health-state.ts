// Service health as Graph's serviceAnnouncement shows it: a serviceHealth per service the tenant subscribes to,
// and serviceHealthIssue objects (incidents, advisories) with posts. Shapes and enum members from the v1.0 CSDL.
import type { GraphObject, TenantState } from './state';

/** What a test (or the seed) says about an incident; the rest is filled in as Microsoft would. */
export interface IncidentInput {
  /** Service id (`Exchange`, `OrgLiveID`, …) or display name (`Exchange Online`). */
  service: string;
  title: string;
  impactDescription: string;
  classification?: 'incident' | 'advisory';
  /** serviceHealthStatus member; default `investigating`. */
  status?: string;
  feature?: string;
  featureGroup?: string;
  /** First post's text; default: the impact description. */
  update?: string;
  isResolved?: boolean;
}

/**
 * Services by the service plans that bring them. Ids and names `Exchange`/Exchange Online, `OrgLiveID`/Identity
 * Service and `OSDPPlatform`/Microsoft 365 suite are from Microsoft's healthOverviews example; the others
 * ([unconfirmed] ids) follow the same pattern.
 */
const SERVICES: { id: string; service: string; prefix: string; plans?: RegExp }[] = [
  { id: 'OSDPPlatform', service: 'Microsoft 365 suite', prefix: 'MO' },
  { id: 'OrgLiveID', service: 'Identity Service', prefix: 'ID' },
  { id: 'Exchange', service: 'Exchange Online', prefix: 'EX', plans: /^EXCHANGE_S_/ },
  { id: 'SharePoint', service: 'SharePoint Online', prefix: 'SP', plans: /^SHAREPOINT/ },
  { id: 'microsoftteams', service: 'Microsoft Teams', prefix: 'TM', plans: /^(TEAMS|MCOSTANDARD)/ },
  { id: 'Intune', service: 'Microsoft Intune', prefix: 'IT', plans: /^INTUNE/ },
];

/** Worst first: the overview shows the most severe status among a service's open issues. */
const SEVERITY = ['serviceInterruption', 'serviceDegradation', 'restoringService', 'extendedRecovery', 'investigating', 'verifyingService'];

const plansOf = (st: TenantState): string[] =>
  st.skus.flatMap((s) => (s.servicePlans as { servicePlanName: string }[]).map((p) => p.servicePlanName));

/** The state's health lists (state files written before they existed have none). */
export function health(st: TenantState): { services: GraphObject[]; issues: GraphObject[] } {
  st.healthServices ??= [];
  st.healthIssues ??= [];
  return { services: st.healthServices, issues: st.healthIssues };
}

/** A service by id (`Exchange`) or name (`Exchange Online`), as Graph addresses it by name. */
export function findService(st: TenantState, name: string): GraphObject | undefined {
  const n = name.toLowerCase();
  return health(st).services.find((x) => x.id.toLowerCase() === n || String(x.service).toLowerCase() === n);
}

function serviceOf(st: TenantState, name: string): GraphObject {
  const s = findService(st, name);
  if (!s) throw new Error(`the tenant has no service ${name} (it has ${health(st).services.map((x) => x.id).join(', ')})`);
  return s;
}

/**
 * A serviceHealthIssue as Graph returns it. Ids are a service prefix + 6 digits (`EX226574` in Microsoft's example;
 * the other prefixes are [unconfirmed]). Enum members as the CSDL spells them; the docs' examples show PascalCase
 * (`ServiceRestored`) — which one the live service sends is [unconfirmed].
 */
function newIssue(st: TenantState, input: IncidentInput, now: Date): GraphObject {
  const svc = serviceOf(st, input.service);
  const prefix = SERVICES.find((x) => x.id === svc.id)?.prefix ?? 'MO';
  const iso = now.toISOString();
  let n = 100_000 + health(st).issues.length;
  while (health(st).issues.some((i) => i.id === `${prefix}${n}`)) n++;
  return {
    id: `${prefix}${n}`, title: input.title, impactDescription: input.impactDescription,
    classification: input.classification ?? 'incident', origin: 'microsoft', status: input.isResolved ? 'serviceRestored' : input.status ?? 'investigating',
    service: svc.service, feature: input.feature ?? null, featureGroup: input.featureGroup ?? null, isResolved: input.isResolved ?? false,
    startDateTime: iso, endDateTime: input.isResolved ? iso : null, lastModifiedDateTime: iso, details: [],
    posts: [{ createdDateTime: iso, postType: 'regular', description: { contentType: 'html', content: input.update ?? input.impactDescription } }],
  };
}

/** Fills the health lists for a fresh state: the services its SKUs bring, then the seeded incidents. */
export function seedHealth(st: TenantState, incidents: IncidentInput[], now: Date): void {
  const plans = plansOf(st);
  st.healthServices = SERVICES.filter((s) => !s.plans || plans.some((p) => s.plans!.test(p))).map((s) => ({ id: s.id, service: s.service, status: 'serviceOperational' }));
  st.healthIssues = [];
  for (const i of incidents) st.healthIssues.push(newIssue(st, i, now));
}

/** The serviceHealth with its status derived from its open issues (`serviceOperational` when none). */
export function overview(st: TenantState, s: GraphObject): GraphObject {
  const open = health(st).issues.filter((i) => i.service === s.service && !i.isResolved).map((i) => String(i.status));
  const status = SEVERITY.find((x) => open.includes(x)) ?? (open[0] ?? 'serviceOperational');
  return { ...s, status };
}

/** Control: open an issue; returns its id. */
export function addIncident(ctx: { state: TenantState; now(): Date }, input: IncidentInput): string {
  const issue = newIssue(ctx.state, input, ctx.now());
  health(ctx.state).issues.push(issue);
  return issue.id;
}

/** Control: resolve an issue with a closing post. */
export function resolveIncident(ctx: { state: TenantState; now(): Date }, id: string, finalUpdate?: string): void {
  const issue = health(ctx.state).issues.find((i) => i.id === id);
  if (!issue) throw new Error(`no service health issue ${id}`);
  const iso = ctx.now().toISOString();
  Object.assign(issue, { isResolved: true, status: 'serviceRestored', endDateTime: iso, lastModifiedDateTime: iso });
  (issue.posts as unknown[]).push({ createdDateTime: iso, postType: 'regular', description: { contentType: 'html', content: finalUpdate ?? 'The issue is resolved.' } });
}
