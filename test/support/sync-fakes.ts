// Hand-written fakes of the sync engine's own ports (not of Graph or LDAP): they record every action so tests assert
// exactly what the engine did, the way Kubernetes controller tests do.
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../electron/core/errors';
import type { PortsFactory } from '../../electron/sync/sync-runtime';
import type { DirectorySource, NewOnlineAccount, OnlineAccount, OnlineAttributes, SourceUser, TenantDomains, TenantTarget } from '../../electron/sync/ports';

/** A stored online user, password included (the fake plays Microsoft 365). */
export interface FakeOnlineUser extends OnlineAccount { attributes: Partial<OnlineAttributes>; password: string; licenses: string[]; deleted: boolean; usageLocation?: string }

/** An in-memory (optionally file-backed, for crash tests) Microsoft 365 behind the engine's TenantTarget port. */
export class FakeTenantTarget implements TenantTarget {
  /** What `domains()` reports (the UPN mapping's input). */
  tenantDomains: TenantDomains = { verified: ['contoso.com'], initial: 'contoso.onmicrosoft.com' };
  users: FakeOnlineUser[] = [];
  actions: string[] = [];
  /** Errors to throw on the next call of a method (FIFO). */
  readonly failures = new Map<string, AppError[]>();
  /** Called after a mutation is stored, before the call returns (crash-injection point). */
  afterMutation?: (method: string, count: number) => void;
  seats = Infinity;
  private mutations = 0;

  constructor(private readonly file?: string) {
    if (file && fs.existsSync(file)) this.users = JSON.parse(fs.readFileSync(file, 'utf8')) as FakeOnlineUser[];
  }

  failNext(method: string, e: AppError): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), e]);
  }

  private check(method: string): void {
    const q = this.failures.get(method);
    const e = q?.shift();
    if (e) throw e;
  }

  private mutated(method: string, action: string): void {
    this.actions.push(action);
    if (this.file) {
      // Atomic, like a real tenant's commit: a kill of *our* process must not corrupt the tenant's state.
      fs.writeFileSync(`${this.file}.tmp`, JSON.stringify(this.users));
      fs.renameSync(`${this.file}.tmp`, this.file);
    }
    this.mutations++;
    this.afterMutation?.(method, this.mutations);
  }

  live(): FakeOnlineUser[] { return this.users.filter((u) => !u.deleted); }
  private byId(id: string): FakeOnlineUser {
    const u = this.users.find((x) => x.id === id && !x.deleted);
    if (!u) throw new AppError('not-found', 'Resource does not exist');
    return u;
  }
  private view(u: FakeOnlineUser): OnlineAccount {
    return { id: u.id, userPrincipalName: u.userPrincipalName, accountEnabled: u.accountEnabled, ...(u.immutableId ? { immutableId: u.immutableId } : {}), ...(u.mail ? { mail: u.mail } : {}), displayName: u.displayName ?? '' };
  }

  async createUser(input: NewOnlineAccount): Promise<OnlineAccount> {
    this.check('createUser');
    if (this.live().some((u) => u.userPrincipalName.toLowerCase() === input.userPrincipalName.toLowerCase())) throw new AppError('upn-conflict', 'Another object with the same value for property userPrincipalName already exists.');
    if (input.password.length < 8) throw new AppError('password-policy', 'complexity');
    const { password, userPrincipalName, immutableId, accountEnabled, usageLocation, mailNickname: _m, forceChangePassword: _f, ...attributes } = input;
    const u: FakeOnlineUser = { id: randomUUID(), userPrincipalName, immutableId, accountEnabled, displayName: input.displayName, attributes, password, licenses: [], deleted: false, ...(usageLocation ? { usageLocation } : {}) };
    this.users.push(u);
    this.mutated('createUser', `create ${userPrincipalName}`);
    return this.view(u);
  }
  async updateUser(id: string, attrs: Partial<OnlineAttributes> & { userPrincipalName?: string; immutableId?: string; usageLocation?: string }): Promise<void> {
    this.check('updateUser');
    const u = this.byId(id);
    const { userPrincipalName, immutableId, usageLocation, ...rest } = attrs;
    if (userPrincipalName) u.userPrincipalName = userPrincipalName;
    if (immutableId) u.immutableId = immutableId;
    if (usageLocation) u.usageLocation = usageLocation;
    Object.assign(u.attributes, rest);
    if (rest.displayName) u.displayName = rest.displayName;
    this.mutated('updateUser', `update ${u.userPrincipalName}${immutableId ? ' immutableId' : ''}`);
  }
  async setPassword(id: string, password: string, _force: boolean): Promise<void> {
    this.check('setPassword');
    const u = this.byId(id);
    if (password.length < 8) throw new AppError('password-policy', 'The specified password does not comply with password complexity requirements.');
    u.password = password;
    this.mutated('setPassword', `password ${u.userPrincipalName}`);
  }
  async setEnabled(id: string, enabled: boolean): Promise<void> {
    this.check('setEnabled');
    const u = this.byId(id);
    u.accountEnabled = enabled;
    this.mutated('setEnabled', `${enabled ? 'enable' : 'disable'} ${u.userPrincipalName}`);
  }
  async deleteUser(id: string): Promise<void> {
    this.check('deleteUser');
    const u = this.byId(id);
    u.deleted = true;
    this.mutated('deleteUser', `delete ${u.userPrincipalName}`);
  }
  async getUser(id: string): Promise<OnlineAccount | undefined> {
    const u = this.users.find((x) => x.id === id && !x.deleted);
    return u ? this.view(u) : undefined;
  }
  async findByUpn(upn: string): Promise<OnlineAccount | undefined> {
    const u = this.live().find((x) => x.userPrincipalName.toLowerCase() === upn.toLowerCase());
    return u ? this.view(u) : undefined;
  }
  async findByImmutableId(immutableId: string): Promise<OnlineAccount | undefined> {
    const u = this.live().find((x) => x.immutableId === immutableId);
    return u ? this.view(u) : undefined;
  }
  async domains(): Promise<TenantDomains> {
    return this.tenantDomains;
  }
  async findByMail(mail: string): Promise<OnlineAccount | undefined> {
    const u = this.live().find((x) => x.mail?.toLowerCase() === mail.toLowerCase());
    return u ? this.view(u) : undefined;
  }
  /** Off unless a test turns it on, so the per-request path stays covered too. */
  batching = false;
  batches: number[] = [];
  get patchMany(): TenantTarget['patchMany'] {
    if (!this.batching) return undefined;
    return async (items) => {
      this.check('patchMany');
      this.batches.push(items.length);
      const out: Array<AppError | undefined> = [];
      for (const { id, patch } of items) {
        try {
          const { accountEnabled, ...attrs } = patch;
          if (Object.keys(attrs).length) await this.updateUser(id, attrs);
          if (accountEnabled !== undefined) await this.setEnabled(id, accountEnabled);
          out.push(undefined);
        } catch (e) {
          out.push(e as AppError);
        }
      }
      return out;
    };
  }
  async assignLicense(id: string, skuId: string): Promise<void> {
    this.check('assignLicense');
    const u = this.byId(id);
    if (!u.usageLocation) throw new AppError('usage-location-required', 'invalid usage location');
    if (this.users.reduce((n, x) => n + (x.deleted ? 0 : x.licenses.length), 0) >= this.seats) throw new AppError('no-license-seats', 'no seats');
    if (!u.licenses.includes(skuId)) u.licenses.push(skuId);
    this.mutated('assignLicense', `license ${u.userPrincipalName}`);
  }
}

/** A directory with users by GUID; `passwords` records resets (cleartext kept only by the fake). */
export class FakeDirectory implements DirectorySource {
  readonly users = new Map<string, SourceUser>();
  readonly passwords = new Map<string, string>();
  actions: string[] = [];
  pageSize = 50;

  constructor(users: readonly SourceUser[] = []) {
    for (const u of users) this.users.set(u.objectGuid, u);
  }
  async *listUsers(): AsyncIterable<SourceUser[]> {
    const all = [...this.users.values()];
    for (let i = 0; i < all.length; i += this.pageSize) yield all.slice(i, i + this.pageSize).map((u) => ({ ...u }));
  }
  async getUser(guid: string): Promise<SourceUser | undefined> {
    const u = this.users.get(guid);
    return u ? { ...u } : undefined;
  }
  async resetPassword(guid: string, password: string): Promise<void> {
    if (!this.users.has(guid)) throw new Error('no such user');
    this.passwords.set(guid, password);
    this.actions.push(`reset-password ${guid}`);
  }
  async setEnabled(guid: string, enabled: boolean): Promise<void> {
    const u = this.users.get(guid);
    if (!u) throw new Error('no such user');
    u.enabled = enabled;
    this.actions.push(`${enabled ? 'enable' : 'disable'} ${guid}`);
  }
}

/** Deterministic directory users: GUIDs from the index, names user0…userN on `corp.local`. */
export function makeUsers(n: number, start = 0): SourceUser[] {
  return Array.from({ length: n }, (_, k) => {
    const i = k + start;
    const hex = i.toString(16).padStart(12, '0');
    return { objectGuid: `0000000${i % 10}-1111-2222-3333-${hex}`, sAMAccountName: `user${i}`, userPrincipalName: `user${i}@corp.local`, displayName: `User ${i}`, givenName: 'User', sn: String(i), title: 'Staff', department: 'Sales', enabled: true };
  });
}

/** Sync ports on fakes: a directory with `users` and a tenant that accepts everything, for a core that needs a running engine. */
export function fakeSyncPorts(users: SourceUser[] = []): PortsFactory {
  return async () => ({ directory: new FakeDirectory(users), tenant: new FakeTenantTarget(), domains: { verified: ['contoso.com'], initial: 'contoso.onmicrosoft.com' } });
}
