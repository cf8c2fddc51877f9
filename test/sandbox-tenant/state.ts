import { randomUUID, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { seedHealth, type IncidentInput } from './health-state';
import { emptyCollections } from './csdl-model';

// Graph objects are kept as plain JSON (the exact shape the wire carries) so the CSDL checks see what
// Microsoft 365 would return; internal bookkeeping lives beside them, never inside them.
export type GraphObject = Record<string, unknown> & { id: string };

/** Directory role template ids the sandbox understands (same ids as Entra). */
export const ROLE = {
  globalAdmin: '62e90394-69f5-4237-9190-012177145e10',
  userAdmin: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  privilegedAuthAdmin: '7be44c8a-adaf-4e2a-84d6-ab2649e08a13',
  exchangeAdmin: '29232cdf-9323-42fd-ade2-1d097af3e4de',
} as const;

/** Microsoft Graph's own application id: the resource every token in the sandbox is for. */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/** A seed describes a whole tenant so tests can start from a known world. */
export interface SandboxSeed {
  tenantId?: string;
  organization?: { displayName: string; countryLetterCode?: string; defaultUsageLocation?: string };
  initialDomain?: string;
  /**
   * `serviceRecordsUnavailable`: serviceConfigurationRecords answers one domainDnsUnavailableRecord with this
   * description instead of records ([unconfirmed] when Graph does this; the docs only say "when it isn't possible").
   */
  domains?: { id: string; isVerified: boolean; isDefault?: boolean; serviceRecordsUnavailable?: string }[];
  /** Domains (and their subdomains) verified in other tenants: verification here is refused, as in Entra. */
  takenDomains?: string[];
  /** Service health incidents and advisories open (or resolved) at start. */
  incidents?: IncidentInput[];
  skus?: { skuPartNumber: string; skuId?: string; enabled: number; servicePlans?: string[] }[];
  admins?: SeedUser[];
  users?: SeedUser[];
  /** Public (native) client ids allowed to use the sign-in page, like a multi-tenant app registration. */
  publicClientIds?: string[];
  /** Groups; members and owners are UPNs of seeded users (unknown ones are skipped). */
  groups?: SeedGroup[];
  /** Delegated scopes an administrator consented to for each public client (what `.default` yields). */
  delegatedGrants?: Record<string, string[]>;
}

/** A seeded group: 'unified' (Microsoft 365), 'security', or the read-only 'distribution' / 'mailSecurity'. */
export interface SeedGroup {
  displayName: string;
  mailNickname: string;
  kind: 'unified' | 'security' | 'distribution' | 'mailSecurity';
  members?: string[];
  owners?: string[];
}

/** A seeded person; `roles` are directory role template ids. */
export interface SeedUser {
  userPrincipalName: string;
  displayName: string;
  password: string;
  roles?: string[];
  usageLocation?: string;
  accountEnabled?: boolean;
  id?: string;
}

/** Everything that survives a restart (written to the state file). */
export interface TenantState {
  tenantId: string;
  organization: GraphObject;
  domains: GraphObject[];
  domainTxt: Record<string, string>;
  /** Per domain: why its service records are unavailable (seed `serviceRecordsUnavailable`). */
  domainRecordsUnavailable: Record<string, string>;
  takenDomains: string[];
  /** serviceHealth objects (`healthOverviews`), status derived from the open issues when read. */
  healthServices: GraphObject[];
  /** serviceHealthIssue objects. */
  healthIssues: GraphObject[];
  skus: GraphObject[];
  users: GraphObject[];
  deletedUsers: GraphObject[];
  passwords: Record<string, string>;
  applications: GraphObject[];
  servicePrincipals: GraphObject[];
  appRoleAssignments: GraphObject[];
  roleAssignments: GraphObject[];
  publicClientIds: string[];
  consents: string[];
  groups: GraphObject[];
  deletedGroups: GraphObject[];
  /** group id → member object ids; group id → owner object ids. */
  groupMembers: Record<string, string[]>;
  groupOwners: Record<string, string[]>;
  /** user id → manager's user id. */
  managers: Record<string, string>;
  /** passwordCredential keyId → the app it belongs to and the secret's hash. */
  secrets: Record<string, { appId: string; hash: string }>;
  delegatedGrants: Record<string, string[]>;
  /** user id → when revokeSignInSessions was last called (sandbox clock, ms). */
  revokedAt: Record<string, number>;
  changeLog: { seq: number; id: string; removed?: 'changed' | 'deleted' }[];
  seq: number;
  clockOffsetMs: number;
}

/** Scrypt so a state file on disk never holds a sandbox password in clear either. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return `${salt.toString('base64')}:${scryptSync(password, salt, 32, { N: 1024 }).toString('base64')}`;
}

/** Constant-time compare against a stored hash. */
export function verifyPassword(stored: string | undefined, password: string): boolean {
  if (!stored) return false;
  const [salt, hash] = stored.split(':');
  if (!salt || !hash) return false;
  const got = scryptSync(password, Buffer.from(salt, 'base64'), 32, { N: 1024 });
  return timingSafeEqual(got, Buffer.from(hash, 'base64'));
}

/** Stable well-known SKU ids so tests and the demo can refer to them. */
export const KNOWN_SKUS: Record<string, string> = {
  O365_BUSINESS_PREMIUM: 'f245ecc8-75af-4f8e-b61f-27d8114de5f3',
  EXCHANGESTANDARD: '4b9405b0-7788-4568-add1-99614e613b69',
  O365_BUSINESS_ESSENTIALS: '3b555118-da6a-4418-894f-7df1e2096870',
};

/** Public clients the default tenant knows (the multi-tenant apps admins sign in with), by app id. */
export const PUBLIC_CLIENTS: Record<string, string> = {
  '8b2a0c6e-2f4e-4f6a-9a41-0e55e55e0001': 'OpenEssentials',
  '14d82eec-204b-4c2f-b7e8-296a70dab67e': 'Microsoft Graph Command Line Tools',
  '31359c7f-bd7e-475c-86db-fdb8c937548e': 'PnP Management Shell',
  '04b07795-8ddb-461a-bbee-02f9e1bf7b46': 'Microsoft Azure CLI',
};

/** The default world: Contoso with a working admin, an admin without roles and a few cloud users. */
export const DEFAULT_SEED: Required<Omit<SandboxSeed, 'tenantId'>> = {
  organization: { displayName: 'Contoso', countryLetterCode: 'US', defaultUsageLocation: 'US' },
  initialDomain: 'contoso.onmicrosoft.com',
  domains: [
    { id: 'contoso.com', isVerified: true },
    { id: 'fabrikam-unverified.com', isVerified: false },
  ],
  takenDomains: ['northwindtraders.com'],
  incidents: [],
  skus: [
    { skuPartNumber: 'O365_BUSINESS_PREMIUM', enabled: 25, servicePlans: ['EXCHANGE_S_STANDARD', 'SHAREPOINTSTANDARD', 'TEAMS1'] },
    { skuPartNumber: 'EXCHANGESTANDARD', enabled: 10, servicePlans: ['EXCHANGE_S_STANDARD'] },
  ],
  admins: [
    { userPrincipalName: 'admin@contoso.onmicrosoft.com', displayName: 'Contoso Admin', password: 'Sandbox-Admin-1!', roles: [ROLE.globalAdmin], usageLocation: 'US' },
    { userPrincipalName: 'helpdesk@contoso.onmicrosoft.com', displayName: 'Helpdesk (no admin role)', password: 'Sandbox-Helpdesk-1!', roles: [], usageLocation: 'US' },
  ],
  users: [
    { userPrincipalName: 'alex.wilber@contoso.com', displayName: 'Alex Wilber', password: 'Cloud-User-Pass-1', usageLocation: 'US' },
    { userPrincipalName: 'megan.bowen@contoso.com', displayName: 'Megan Bowen', password: 'Cloud-User-Pass-2', usageLocation: 'US' },
    { userPrincipalName: 'lee.gu@contoso.com', displayName: 'Lee Gu', password: 'Cloud-User-Pass-3' },
  ],
  publicClientIds: Object.keys(PUBLIC_CLIENTS),
  groups: [
    { displayName: 'All Company', mailNickname: 'allcompany', kind: 'unified', members: ['alex.wilber@contoso.com', 'megan.bowen@contoso.com', 'lee.gu@contoso.com'], owners: ['admin@contoso.onmicrosoft.com'] },
    { displayName: 'Sales', mailNickname: 'sales', kind: 'security', members: ['alex.wilber@contoso.com', 'megan.bowen@contoso.com'] },
    { displayName: 'Announcements', mailNickname: 'announcements', kind: 'distribution', members: ['lee.gu@contoso.com'] },
    { displayName: 'Finance Mail Security', mailNickname: 'financesec', kind: 'mailSecurity', members: ['megan.bowen@contoso.com'] },
  ],
  delegatedGrants: Object.fromEntries(Object.keys(PUBLIC_CLIENTS).map((c) => [c, [
    'User.Read', 'User.ReadWrite.All', 'Directory.ReadWrite.All', 'Group.ReadWrite.All', 'GroupMember.ReadWrite.All', 'Organization.ReadWrite.All',
    'Domain.ReadWrite.All', 'Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All', 'RoleManagement.ReadWrite.Directory',
    'LicenseAssignment.ReadWrite.All', 'User.Invite.All', 'CrossTenantInformation.ReadBasic.All', 'openid', 'profile', 'offline_access',
  ]])),
};

/** OpenEssentials' public client id as registered in the default seed. */
export const SANDBOX_PUBLIC_CLIENT_ID = '8b2a0c6e-2f4e-4f6a-9a41-0e55e55e0001';

/** Build a fresh state from a seed; `now` is the sandbox clock. */
export function buildState(seed: SandboxSeed | undefined, now: Date): TenantState {
  const s = { ...DEFAULT_SEED, ...(seed ?? {}) };
  const tenantId = seed?.tenantId ?? randomUUID();
  const iso = now.toISOString();
  const initial = s.initialDomain;
  const domainList = [{ id: initial, isVerified: true, isDefault: !s.domains.some((d) => d.isDefault) }, ...s.domains];
  const state: TenantState = {
    tenantId,
    organization: { id: tenantId },
    domains: domainList.map((d) => newDomain(d.id, d.isVerified, d.isDefault ?? false, d.id === initial)),
    domainTxt: {},
    domainRecordsUnavailable: Object.fromEntries(s.domains.filter((d) => d.serviceRecordsUnavailable).map((d) => [d.id, d.serviceRecordsUnavailable!])),
    takenDomains: s.takenDomains.map((d) => d.toLowerCase()),
    healthServices: [],
    healthIssues: [],
    skus: s.skus.map((k) => ({
      id: `${tenantId}_${k.skuId ?? KNOWN_SKUS[k.skuPartNumber] ?? randomUUID()}`,
      skuId: k.skuId ?? KNOWN_SKUS[k.skuPartNumber] ?? randomUUID(),
      skuPartNumber: k.skuPartNumber,
      appliesTo: 'User',
      capabilityStatus: 'Enabled',
      consumedUnits: 0,
      accountId: tenantId,
      accountName: s.organization.displayName,
      subscriptionIds: [randomUUID()],
      prepaidUnits: { enabled: k.enabled, suspended: 0, warning: 0, lockedOut: 0 },
      servicePlans: (k.servicePlans ?? []).map((p) => ({
        servicePlanId: randomUUID(), servicePlanName: p, provisioningStatus: 'Success', appliesTo: 'User',
      })),
    })),
    users: [],
    deletedUsers: [],
    passwords: {},
    applications: [],
    servicePrincipals: [],
    appRoleAssignments: [],
    roleAssignments: [],
    publicClientIds: s.publicClientIds,
    consents: [],
    groups: [], deletedGroups: [], groupMembers: {}, groupOwners: {}, managers: {}, secrets: {},
    delegatedGrants: structuredClone(s.delegatedGrants), revokedAt: {},
    changeLog: [],
    seq: 0,
    clockOffsetMs: 0,
  };
  state.organization = {
    id: tenantId,
    displayName: s.organization.displayName,
    countryLetterCode: s.organization.countryLetterCode ?? 'US',
    defaultUsageLocation: s.organization.defaultUsageLocation ?? null,
    createdDateTime: iso,
    tenantType: 'AAD',
    verifiedDomains: [],
    assignedPlans: [],
    businessPhones: [],
    technicalNotificationMails: [],
  };
  seedHealth(state, s.incidents, now);
  for (const u of [...s.admins, ...s.users]) {
    const user = newUser({
      id: u.id, userPrincipalName: u.userPrincipalName, displayName: u.displayName,
      mailNickname: u.userPrincipalName.split('@')[0], accountEnabled: u.accountEnabled ?? true,
      usageLocation: u.usageLocation ?? null,
    }, iso);
    state.users.push(user);
    state.passwords[user.id] = hashPassword(u.password);
    for (const r of u.roles ?? []) {
      state.roleAssignments.push({ id: randomUUID(), principalId: user.id, roleDefinitionId: r, directoryScopeId: '/' });
    }
  }
  const byUpn = (upn: string) => state.users.find((u) => String(u.userPrincipalName).toLowerCase() === upn.toLowerCase())?.id;
  for (const g of s.groups) {
    const group = newGroup({ displayName: g.displayName, mailNickname: g.mailNickname, ...GROUP_KIND[g.kind] }, iso, initial);
    state.groups.push(group);
    state.groupMembers[group.id] = (g.members ?? []).map(byUpn).filter((x): x is string => !!x);
    state.groupOwners[group.id] = (g.owners ?? []).map(byUpn).filter((x): x is string => !!x);
  }
  return state;
}

const GROUP_KIND: Record<SeedGroup['kind'], Record<string, unknown>> = {
  unified: { groupTypes: ['Unified'], mailEnabled: true, securityEnabled: false, visibility: 'Public' },
  security: { groupTypes: [], mailEnabled: false, securityEnabled: true },
  distribution: { groupTypes: [], mailEnabled: true, securityEnabled: false },
  mailSecurity: { groupTypes: [], mailEnabled: true, securityEnabled: true },
};

/** A group as Graph returns it; mail-enabled ones get mail and a primary SMTP address on the initial domain. */
export function newGroup(props: Record<string, unknown>, iso: string, initialDomain: string): GraphObject {
  const mail = props.mailEnabled ? `${String(props.mailNickname)}@${initialDomain}` : null;
  return {
    ...emptyCollections('group'), description: null, mail, proxyAddresses: mail ? [`SMTP:${mail}`] : [], visibility: null,
    createdDateTime: iso, renewedDateTime: iso, onPremisesSyncEnabled: null, securityIdentifier: `S-1-12-1-${randomBytes(4).readUInt32BE()}`,
    ...props, id: randomUUID(),
  };
}

/** Fill in what state files written by older sandboxes lack, so they keep loading. */
export function migrateState(state: TenantState): TenantState {
  const d = buildState({ groups: [], users: [], admins: [] }, new Date(0));
  for (const k of ['groups', 'deletedGroups', 'groupMembers', 'groupOwners', 'managers', 'secrets', 'delegatedGrants', 'revokedAt'] as const) {
    (state as unknown as Record<string, unknown>)[k] ??= d[k];
  }
  return state;
}

/** A domain as Graph returns it. */
export function newDomain(id: string, isVerified: boolean, isDefault: boolean, isInitial: boolean): GraphObject {
  return {
    id, authenticationType: 'Managed', availabilityStatus: null, isAdminManaged: true, isDefault, isInitial,
    isRoot: true, isVerified, supportedServices: isVerified ? ['Email', 'OfficeCommunicationsOnline'] : [],
    passwordValidityPeriodInDays: 2147483647, passwordNotificationWindowInDays: 14, state: null,
  };
}

/** A user with Graph's default property set filled in. */
export function newUser(props: Record<string, unknown>, iso: string): GraphObject {
  const upn = String(props.userPrincipalName);
  return {
    ...emptyCollections('user'), givenName: null, surname: null, jobTitle: null, mail: null, mobilePhone: null,
    officeLocation: null, preferredLanguage: null, department: null, usageLocation: null,
    onPremisesImmutableId: null, onPremisesSyncEnabled: null, createdDateTime: iso, userType: 'Member', ...props,
    id: typeof props.id === 'string' ? props.id : randomUUID(),
    userPrincipalName: upn,
  };
}
