import type { Agent } from 'node:https';
import type * as MG from '@microsoft/microsoft-graph-types';
import { CertificateAuthProvider, type CertificateCredential } from './app-credential';
import { type TenantEndpoints } from './endpoints';
import { GraphCaller, type CallOptions } from './graph-caller';
import { createAgent } from './https-transport';
import type { RetryOptions } from './retry-policy';
import { BatchRunner, type BatchRequest, type BatchResponse } from './batch-runner';
import { TenantError } from './tenant-errors';

/** A delegated credential: anything that yields an access token (e.g. an AdminSession). */
export interface DelegatedCredential { kind: 'delegated'; getAccessToken: () => Promise<string> }

/** Everything the client needs; only `endpoints` differs between Microsoft 365 and the sandbox. */
export interface TenantClientConfig {
  endpoints: TenantEndpoints;
  tenantId: string;
  clientId: string;
  credential: CertificateCredential | DelegatedCredential;
  retry?: RetryOptions;
  /** Per-request timeout; a timed-out request counts as ambiguous (it may still have been carried out). */
  requestTimeoutMs?: number;
}

/** Input for creating an online account. */
export interface NewUser {
  userPrincipalName: string;
  displayName: string;
  mailNickname: string;
  password: string;
  forceChangePasswordNextSignIn?: boolean;
  accountEnabled?: boolean;
  usageLocation?: string;
  givenName?: string;
  surname?: string;
  onPremisesImmutableId?: string;
  jobTitle?: string;
  department?: string;
  businessPhones?: string[];
  mobilePhone?: string;
  officeLocation?: string;
}

/** A page of users plus the link to the next one. */
export interface UserPage { users: MG.User[]; nextLink?: string; count?: number }

/** Result of one users/delta round. */
export interface UsersDelta { changed: MG.User[]; removedIds: string[]; deltaLink: string }

interface Collection<T> { value: T[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string; '@odata.count'?: number }

const enc = encodeURIComponent;

/** Typed Microsoft Graph operations for the app's background service (and admin sessions). */
export class TenantClient {
  readonly graph: GraphCaller;
  private readonly batchRunner: BatchRunner;
  readonly agent: Agent;

  constructor(readonly config: TenantClientConfig) {
    this.agent = createAgent(config.endpoints.caPem);
    const auth = config.credential.kind === 'certificate'
      ? new CertificateAuthProvider(config.endpoints, config.tenantId, config.clientId, config.credential, this.agent)
      : { getAccessToken: config.credential.getAccessToken };
    this.graph = new GraphCaller(config.endpoints, auth, this.agent, config.retry, config.requestTimeoutMs);
    this.batchRunner = new BatchRunner(this.graph);
  }

  /** Retry/probe counters (diagnostics, benchmark). */
  get stats() { return this.graph.policy.stats; }

  /** The tenant's organization object (display name, verified domains, default usage location). */
  async getOrganization(): Promise<MG.Organization> {
    const r = await this.graph.call<Collection<MG.Organization>>('GET', '/organization');
    const org = r.value[0];
    if (!org) throw new TenantError('not-found', 'The organization was not found.');
    return org;
  }

  /** All domains. */
  async listDomains(): Promise<MG.Domain[]> { return this.all<MG.Domain>('/domains'); }
  /** One domain by name. */
  getDomain(name: string): Promise<MG.Domain> { return this.graph.call('GET', `/domains/${enc(name)}`); }
  /** Add an (unverified) domain; a retried add that already happened returns the existing domain. */
  addDomain(name: string): Promise<MG.Domain> {
    return this.graph.call('POST', '/domains', { id: name }, { probe: { probe: () => this.getDomain(name).catch(() => undefined) } });
  }
  /** DNS records to publish to prove ownership. */
  async getVerificationDnsRecords(name: string): Promise<MG.DomainDnsRecord[]> {
    return (await this.graph.call<Collection<MG.DomainDnsRecord>>('GET', `/domains/${enc(name)}/verificationDnsRecords`)).value;
  }
  /** Ask Microsoft 365 to check DNS now; 'domain-not-verified' when the record isn't there yet. */
  verifyDomain(name: string): Promise<MG.Domain> { return this.graph.call('POST', `/domains/${enc(name)}/verify`, {}); }
  /** MX/SPF/autodiscover records the domain needs for Microsoft 365 services. */
  async getServiceConfigurationRecords(name: string): Promise<MG.DomainDnsRecord[]> {
    return (await this.graph.call<Collection<MG.DomainDnsRecord>>('GET', `/domains/${enc(name)}/serviceConfigurationRecords`)).value;
  }
  /** Make a verified domain the default for new accounts. */
  async setDefaultDomain(name: string): Promise<void> { await this.graph.call('PATCH', `/domains/${enc(name)}`, { isDefault: true }); }
  /** Remove a domain ('domain-in-use' while accounts still use it). */
  async deleteDomain(name: string): Promise<void> { await this.idempotentDelete(`/domains/${enc(name)}`); }

  /** Subscriptions with seats (free = prepaidUnits.enabled − consumedUnits). */
  async listSkus(): Promise<MG.SubscribedSku[]> { return this.all<MG.SubscribedSku>('/subscribedSkus'); }

  /** One page of users; pass `nextLink` from the previous page to continue. */
  async listUsersPage(opts: { select?: string[]; filter?: string; top?: number; count?: boolean; nextLink?: string } = {}): Promise<UserPage> {
    let path = opts.nextLink;
    if (!path) {
      const q = new URLSearchParams();
      if (opts.select) q.set('$select', opts.select.join(','));
      if (opts.filter) q.set('$filter', opts.filter);
      if (opts.top) q.set('$top', String(opts.top));
      if (opts.count) q.set('$count', 'true');
      // %20 rather than '+' for spaces: unambiguous for every OData server.
      path = `/users${q.size ? `?${q.toString().replace(/\+/g, '%20')}` : ''}`;
    }
    const r = await this.graph.call<Collection<MG.User>>('GET', path, undefined, opts.count ? { headers: { ConsistencyLevel: 'eventual' } } : {});
    return { users: r.value, nextLink: r['@odata.nextLink'], count: r['@odata.count'] };
  }

  /** Every user matching the options, following nextLinks. */
  async listUsers(opts: { select?: string[]; filter?: string; top?: number } = {}): Promise<MG.User[]> {
    const out: MG.User[] = [];
    let page = await this.listUsersPage(opts);
    out.push(...page.users);
    while (page.nextLink) { page = await this.listUsersPage({ nextLink: page.nextLink }); out.push(...page.users); }
    return out;
  }

  /** A user by id or UPN. */
  getUser(idOrUpn: string, select?: string[]): Promise<MG.User> {
    return this.graph.call('GET', `/users/${enc(idOrUpn)}${select ? `?$select=${select.join(',')}` : ''}`);
  }

  /** A user by UPN, or undefined. */
  async findUserByUpn(upn: string): Promise<MG.User | undefined> {
    // Graph returns only its default property set without $select; the create probe compares these.
    const select = 'id,userPrincipalName,displayName,mailNickname,onPremisesImmutableId,accountEnabled,mail';
    const r = await this.graph.call<Collection<MG.User>>('GET', `/users?$filter=${enc(`userPrincipalName eq '${upn.replace(/'/g, "''")}'`)}&$select=${select}`);
    return r.value[0];
  }

  /**
   * Create an online account. Never duplicates: if an earlier attempt went through but its reply was lost,
   * the retry finds that account (same UPN and, when given, same onPremisesImmutableId) and returns it.
   */
  createUser(u: NewUser): Promise<MG.User> {
    const body: MG.User = {
      accountEnabled: u.accountEnabled ?? true, displayName: u.displayName, mailNickname: u.mailNickname, userPrincipalName: u.userPrincipalName,
      passwordProfile: { password: u.password, forceChangePasswordNextSignIn: u.forceChangePasswordNextSignIn ?? false },
      ...(u.usageLocation ? { usageLocation: u.usageLocation } : {}), ...(u.givenName ? { givenName: u.givenName } : {}),
      ...(u.surname ? { surname: u.surname } : {}), ...(u.onPremisesImmutableId ? { onPremisesImmutableId: u.onPremisesImmutableId } : {}),
      ...(u.jobTitle ? { jobTitle: u.jobTitle } : {}), ...(u.department ? { department: u.department } : {}),
      ...(u.businessPhones?.length ? { businessPhones: u.businessPhones } : {}), ...(u.mobilePhone ? { mobilePhone: u.mobilePhone } : {}),
      ...(u.officeLocation ? { officeLocation: u.officeLocation } : {}),
    };
    const probe = async () => {
      const found = await this.findUserByUpn(u.userPrincipalName);
      if (!found) return undefined;
      const ours = u.onPremisesImmutableId ? found.onPremisesImmutableId === u.onPremisesImmutableId
        : found.displayName === u.displayName && found.mailNickname === u.mailNickname;
      return ours ? found : undefined;
    };
    return this.graph.call<MG.User>('POST', '/users', body, { probe: { probe } });
  }

  /** Update properties (PATCH is idempotent, so plain retries are safe). */
  async updateUser(id: string, patch: MG.User): Promise<void> { await this.graph.call('PATCH', `/users/${enc(id)}`, patch); }
  /** Set a password (needs User-PasswordProfile.ReadWrite.All and a directory role on the app). */
  async setPassword(id: string, password: string, forceChange = false): Promise<void> {
    await this.graph.call('PATCH', `/users/${enc(id)}`, { passwordProfile: { password, forceChangePasswordNextSignIn: forceChange } });
  }
  /** Allow or block sign-in. */
  async setAccountEnabled(id: string, enabled: boolean): Promise<void> { await this.graph.call('PATCH', `/users/${enc(id)}`, { accountEnabled: enabled }); }
  /** Soft-delete (restorable for 30 days). A retried delete that already happened is a success. */
  async deleteUser(id: string): Promise<void> { await this.idempotentDelete(`/users/${enc(id)}`); }
  /** Soft-deleted users. */
  async listDeletedUsers(): Promise<MG.User[]> { return this.all<MG.User>('/directory/deletedItems/microsoft.graph.user'); }
  /** Restore a deleted user ('upn-conflict' / 'proxy-conflict' when taken meanwhile). */
  restoreUser(id: string): Promise<MG.User> {
    return this.graph.call<MG.User>('POST', `/directory/deletedItems/${enc(id)}/restore`, undefined, {
      probe: { probe: () => this.getUser(id).catch(() => undefined) },
    });
  }
  /** Purge a deleted user now. */
  async purgeDeletedUser(id: string): Promise<void> { await this.idempotentDelete(`/directory/deletedItems/${enc(id)}`); }

  /** Add/remove licenses; a retried call whose first attempt went through is recognised by the user's state. */
  assignLicense(id: string, add: { skuId: string; disabledPlans?: string[] }[], remove: string[] = []): Promise<MG.User> {
    const body = { addLicenses: add.map((a) => ({ skuId: a.skuId, disabledPlans: a.disabledPlans ?? [] })), removeLicenses: remove };
    const probe = async () => {
      const u = await this.getUser(id, ['id', 'assignedLicenses']);
      const has = new Set((u.assignedLicenses ?? []).map((l) => l.skuId));
      return add.every((a) => has.has(a.skuId)) && remove.every((r) => !has.has(r)) ? u : undefined;
    };
    return this.graph.call<MG.User>('POST', `/users/${enc(id)}/assignLicense`, body, { probe: { probe } });
  }

  /** One full delta round: all pages, then the deltaLink to store for next time. */
  async usersDelta(deltaLink?: string, select?: string[]): Promise<UsersDelta> {
    let link: string | undefined = deltaLink ?? `/users/delta${select ? `?$select=${select.join(',')}` : ''}`;
    const changed: MG.User[] = [], removedIds: string[] = [];
    for (;;) {
      const r: Collection<MG.User & { '@removed'?: unknown }> = await this.graph.call('GET', link);
      for (const u of r.value) {
        if (u['@removed']) removedIds.push(String(u.id));
        else changed.push(u);
      }
      if (r['@odata.deltaLink']) return { changed, removedIds, deltaLink: r['@odata.deltaLink'] };
      link = r['@odata.nextLink'];
      if (!link) throw new TenantError('service-error', 'users/delta ended without a deltaLink.');
    }
  }

  /** $batch (any size: split into 20s), inner 429s and throttled dependents retried after Retry-After. */
  batch(requests: BatchRequest[]): Promise<BatchResponse[]> { return this.batchRunner.run(requests); }

  /** GET a collection following nextLinks. */
  async all<T>(path: string, opts: CallOptions<Collection<T>> = {}): Promise<T[]> {
    const out: T[] = [];
    let link: string | undefined = path;
    while (link) {
      const r: Collection<T> = await this.graph.call('GET', link, undefined, opts);
      out.push(...r.value);
      link = r['@odata.nextLink'];
    }
    return out;
  }

  private async idempotentDelete(path: string): Promise<void> {
    let sent = false;
    try {
      await this.graph.call('DELETE', path, undefined, { probe: { probe: async () => { sent = true; return undefined; } } });
    } catch (e) {
      // After an ambiguous failure, a 404 means the first attempt deleted it.
      if (sent && e instanceof TenantError && e.code === 'not-found') return;
      throw e;
    }
  }
}
