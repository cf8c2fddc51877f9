// The product's only door to Active Directory: LDAPS with verified trust, a service-account bind, reconnect with
// backoff, and typed user/group operations. Plain Node (no `electron` import) so the service and tests share it.
import { Attribute, Change, Client, type Control, type Entry, type SearchOptions } from 'ldapts';
import { DirectoryError, toDirectoryError, type CertificateInfo } from './directory-errors';
import {
  type DirectoryConfig, type DirectoryGroup, type DirectoryUser, type GroupMember, type UserAttributes,
  UAC, USER_ATTR_LDAP, USER_LDAP_ATTRIBUTES, entryGuid, first, toDirectoryUser,
} from './directory-types';
import { guidBaseDn } from './guid';
import { escapeFilterValue, rdn, splitDn } from './ldap-escape';
import { gatedTlsConnect } from './tls-trust';

export * from './directory-types';

/** New-user input; the account is created disabled, given its password, then enabled (AD's required order). */
export interface NewUser extends UserAttributes {
  parentDn: string;
  cn?: string;
  sAMAccountName: string;
  password: string;
  enabled?: boolean;
  mustChangePassword?: boolean;
}

/** AD wants the new password quoted and UTF-16LE in unicodePwd. */
export function encodeUnicodePwd(password: string): Buffer {
  return Buffer.from(`"${password}"`, 'utf16le');
}

const replace = (type: string, values: string[] | Buffer[]): Change =>
  new Change({ operation: 'replace', modification: new Attribute({ type, values }) });

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const USER_FILTER = '(&(objectCategory=person)(objectClass=user))';

/** Why a class: one verified, bound connection per client, re-opened transparently when the DC drops it. */
export class DirectoryClient {
  private ldap: Client | undefined;
  private connecting: Promise<Client> | undefined;
  private base: string | undefined;
  /** Certificate of the DC as verified on the last connect (for display). */
  certificate: CertificateInfo | undefined;

  constructor(readonly config: DirectoryConfig) {
    if (!config.bindDn && !config.bindUpn) throw new DirectoryError('invalid-input', 'A service account (DN or UPN) is required.');
    if (!/^ldaps:\/\//i.test(config.url)) {
      throw new DirectoryError('strong-auth-required', 'Use an ldaps:// address: the domain controller only accepts encrypted connections.');
    }
  }

  /** Opens a new verified and bound ldapts client (also used for the change feed's dedicated connections). */
  async openConnection(opts: { timeoutMs?: number | null } = {}): Promise<Client> {
    const timeout = opts.timeoutMs === null ? undefined : opts.timeoutMs ?? this.config.timeoutMs ?? 30_000;
    const client = new Client({
      url: this.config.url,
      ...(timeout !== undefined ? { timeout } : {}),
      connectTimeout: this.config.connectTimeoutMs ?? 5_000,
      strictDN: false,
      createSecureConnection: gatedTlsConnect(this.config.tls, (c) => { this.certificate = c; }),
    });
    try {
      await client.bind(this.config.bindDn ?? this.config.bindUpn!, this.config.password);
      return client;
    } catch (e) {
      await client.unbind().catch(() => undefined);
      throw toDirectoryError(e, 'Signing in to the domain controller');
    }
  }

  /** Connects (or returns the live connection), retrying only "unreachable" with exponential backoff. */
  async connect(): Promise<Client> {
    if (this.ldap?.isConnected) return this.ldap;
    this.connecting ??= (async () => {
      const { initialMs = 250, maxMs = 5_000, attempts = 5 } = this.config.reconnect ?? {};
      let delay = initialMs;
      for (let i = 1; ; i++) {
        try {
          this.ldap = await this.openConnection();
          return this.ldap;
        } catch (e) {
          const err = toDirectoryError(e);
          if (err.code !== 'unreachable' || i >= attempts) throw err;
          await sleep(delay);
          delay = Math.min(delay * 2, maxMs);
        }
      }
    })().finally(() => { this.connecting = undefined; });
    return this.connecting;
  }

  /** Closes the connection; the client can connect again later. */
  async close(): Promise<void> {
    const c = this.ldap;
    this.ldap = undefined;
    if (c) await c.unbind().catch(() => undefined);
  }

  /** Runs one LDAP operation; a dropped connection is re-opened and idempotent operations retried once. */
  private async op<T>(what: string, fn: (c: Client) => Promise<T>, idempotent: boolean): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const c = await this.connect();
      try {
        return await fn(c);
      } catch (e) {
        const err = toDirectoryError(e, what);
        if (err.code === 'unreachable') {
          this.ldap = undefined;
          await c.unbind().catch(() => undefined);
          if (idempotent && attempt === 0) continue;
        }
        throw err;
      }
    }
  }

  /** Search returning raw entries (GUIDs as buffers); building block for discovery and the change feed. */
  async searchEntries(baseDn: string, options: SearchOptions, controls?: Control | Control[]): Promise<Entry[]> {
    return this.op('Reading the directory', async (c) => {
      const res = await c.search(baseDn, { explicitBufferAttributes: ['objectGUID'], ...options }, controls);
      return res.searchEntries;
    }, true);
  }

  /** The domain naming context (from config or rootDSE). */
  async baseDn(): Promise<string> {
    if (this.config.baseDn) return this.config.baseDn;
    if (!this.base) {
      const [root] = await this.searchEntries('', { scope: 'base', attributes: ['defaultNamingContext'] });
      this.base = root ? first(root, 'defaultNamingContext') : undefined;
      if (!this.base) throw new DirectoryError('protocol', 'The server did not report its domain; is this an Active Directory domain controller?');
    }
    return this.base;
  }

  /** Pages through users (one array per page) so 10,000+ accounts never sit in memory at once. */
  async *listUsers(opts: { baseDn?: string; pageSize?: number; filter?: string } = {}): AsyncGenerator<DirectoryUser[]> {
    const base = opts.baseDn ?? (await this.baseDn());
    const c = await this.connect();
    const filter = opts.filter ? `(&${USER_FILTER}${opts.filter})` : USER_FILTER;
    try {
      for await (const page of c.searchPaginated(base, {
        scope: 'sub', filter, attributes: USER_LDAP_ATTRIBUTES, explicitBufferAttributes: ['objectGUID'],
        paged: { pageSize: opts.pageSize ?? 500 },
      })) {
        yield page.searchEntries.map(toDirectoryUser);
      }
    } catch (e) {
      throw toDirectoryError(e, 'Listing users');
    }
  }

  private async findOne(filter: string, attributes: string[], what: string, baseDn?: string): Promise<Entry | undefined> {
    let entries: Entry[];
    try {
      entries = await this.searchEntries(baseDn ?? (await this.baseDn()), { scope: baseDn ? 'base' : 'sub', filter, attributes });
    } catch (e) {
      if (e instanceof DirectoryError && e.code === 'not-found') return undefined;
      throw e;
    }
    if (entries.length > 1) throw new DirectoryError('protocol', `${what}: more than one object matched.`);
    return entries[0];
  }

  /** Reads one user by objectGUID; undefined if there is none. */
  async getUser(objectGuid: string): Promise<DirectoryUser | undefined> {
    const e = await this.findOne(USER_FILTER, USER_LDAP_ATTRIBUTES, 'Reading a user', guidBaseDn(objectGuid));
    return e ? toDirectoryUser(e) : undefined;
  }

  /** Finds a user by sAMAccountName (escaped, so hostile input only ever matches literally). */
  async findUserBySam(sAMAccountName: string): Promise<DirectoryUser | undefined> {
    const e = await this.findOne(`(&${USER_FILTER}(sAMAccountName=${escapeFilterValue(sAMAccountName)}))`, USER_LDAP_ATTRIBUTES, 'Finding a user');
    return e ? toDirectoryUser(e) : undefined;
  }

  /** DN of any object by GUID, or a not-found DirectoryError. */
  async dnOf(objectGuid: string): Promise<string> {
    const e = await this.findOne('(objectClass=*)', ['objectGUID'], 'Finding an object', guidBaseDn(objectGuid));
    if (!e) throw new DirectoryError('not-found', 'The object no longer exists in Active Directory.');
    return e.dn;
  }

  /** Creates a user: disabled → password → enabled; a user left without a password is removed again. */
  async createUser(input: NewUser): Promise<DirectoryUser> {
    const dn = `${rdn('CN', input.cn ?? input.displayName ?? input.sAMAccountName)},${input.parentDn}`;
    const attrs: Record<string, string | string[]> = {
      objectClass: ['top', 'person', 'organizationalPerson', 'user'],
      sAMAccountName: input.sAMAccountName,
      userAccountControl: String(UAC.NORMAL_ACCOUNT | UAC.ACCOUNTDISABLE),
    };
    for (const [k, ldap] of Object.entries(USER_ATTR_LDAP) as [keyof UserAttributes, string][]) {
      const v = input[k];
      if (v) attrs[ldap] = v;
    }
    await this.op('Creating the user', (c) => c.add(dn, attrs), false);
    try {
      await this.op('Setting the password', (c) => c.modify(dn, replace('unicodePwd', [encodeUnicodePwd(input.password)])), false);
      if (input.mustChangePassword) await this.op('Setting the password', (c) => c.modify(dn, replace('pwdLastSet', ['0'])), false);
      if (input.enabled ?? true) await this.op('Enabling the user', (c) => c.modify(dn, replace('userAccountControl', [String(UAC.NORMAL_ACCOUNT)])), false);
    } catch (e) {
      await this.op('Cleaning up', (c) => c.del(dn), false).catch(() => undefined);
      throw e;
    }
    const [e] = await this.searchEntries(dn, { scope: 'base', attributes: USER_LDAP_ATTRIBUTES });
    if (!e) throw new DirectoryError('not-found', 'The new user could not be read back.');
    return toDirectoryUser(e);
  }

  /** Changes user attributes; an empty string clears one. */
  async updateUser(objectGuid: string, attrs: UserAttributes): Promise<void> {
    const dn = await this.dnOf(objectGuid);
    const changes = (Object.entries(attrs) as [keyof UserAttributes, string | undefined][])
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => (v === ''
        ? new Change({ operation: 'replace', modification: new Attribute({ type: USER_ATTR_LDAP[k], values: [] }) })
        : replace(USER_ATTR_LDAP[k], [v!])));
    if (changes.length) await this.op('Updating the user', (c) => c.modify(dn, changes), false);
  }

  /** Admin password reset (replace unicodePwd); optionally force a change at next sign-in. */
  async resetPassword(objectGuid: string, password: string, opts: { mustChange?: boolean } = {}): Promise<void> {
    const dn = await this.dnOf(objectGuid);
    await this.op('Resetting the password', (c) => c.modify(dn, replace('unicodePwd', [encodeUnicodePwd(password)])), false);
    if (opts.mustChange) await this.op('Resetting the password', (c) => c.modify(dn, replace('pwdLastSet', ['0'])), false);
  }

  /** Enables or disables an account by flipping ACCOUNTDISABLE, keeping every other UAC bit. */
  async setEnabled(objectGuid: string, enabled: boolean): Promise<void> {
    const e = await this.findOne('(objectClass=*)', ['userAccountControl'], 'Reading the account', guidBaseDn(objectGuid));
    if (!e) throw new DirectoryError('not-found', 'The account no longer exists in Active Directory.');
    const uac = Number(first(e, 'userAccountControl') ?? UAC.NORMAL_ACCOUNT);
    const next = enabled ? uac & ~UAC.ACCOUNTDISABLE : uac | UAC.ACCOUNTDISABLE;
    if (next !== uac) await this.op(enabled ? 'Enabling the account' : 'Disabling the account', (c) => c.modify(e.dn, replace('userAccountControl', [String(next)])), false);
  }

  /** Renames an object (its CN); returns the new DN. */
  async rename(objectGuid: string, newName: string): Promise<string> {
    const dn = await this.dnOf(objectGuid);
    const newRdn = rdn('CN', newName);
    await this.op('Renaming', (c) => c.modifyDN(dn, newRdn), false);
    return this.dnOf(objectGuid); // the server's spelling of the new DN
  }

  /** Moves an object to another OU/container; returns the new DN. */
  async move(objectGuid: string, newParentDn: string): Promise<string> {
    const dn = await this.dnOf(objectGuid);
    const newDn = `${splitDn(dn).rdn},${newParentDn}`;
    await this.op('Moving', (c) => c.modifyDN(dn, newDn), false);
    return this.dnOf(objectGuid);
  }

  /** Deletes a leaf object (user or group). */
  async deleteObject(objectGuid: string): Promise<void> {
    const dn = await this.dnOf(objectGuid);
    await this.op('Deleting', (c) => c.del(dn), false);
  }

  /** Creates an organizational unit (idempotent: an existing OU is fine); returns its DN. */
  async ensureOu(parentDn: string, name: string): Promise<string> {
    const dn = `${rdn('OU', name)},${parentDn}`;
    try {
      await this.op('Creating the OU', (c) => c.add(dn, { objectClass: ['top', 'organizationalUnit'], ou: name }), false);
    } catch (e) {
      if (!(e instanceof DirectoryError && e.code === 'already-exists')) throw e;
    }
    return dn;
  }

  /** Lists groups under the base (or a given OU). */
  async listGroups(opts: { baseDn?: string } = {}): Promise<DirectoryGroup[]> {
    const entries = await this.searchEntries(opts.baseDn ?? (await this.baseDn()), {
      scope: 'sub', filter: '(objectClass=group)', attributes: ['objectGUID', 'cn', 'sAMAccountName', 'description', 'mail', 'groupType'],
      paged: { pageSize: 500 },
    });
    return entries.map((e) => {
      const g: DirectoryGroup = { objectGuid: entryGuid(e), dn: e.dn, name: first(e, 'cn') ?? '', sAMAccountName: first(e, 'sAMAccountName') ?? '', groupType: Number(first(e, 'groupType') ?? 0) };
      const d = first(e, 'description'); if (d !== undefined) g.description = d;
      const m = first(e, 'mail'); if (m !== undefined) g.mail = m;
      return g;
    });
  }

  /** Creates a global security group; returns its GUID. */
  async createGroup(parentDn: string, name: string, description?: string): Promise<string> {
    const dn = `${rdn('CN', name)},${parentDn}`;
    await this.op('Creating the group', (c) => c.add(dn, {
      objectClass: ['top', 'group'], sAMAccountName: name.replace(/["/\\[\]:;|=,+*?<>@]/g, '_').slice(0, 64), groupType: String(0x80000002 | 0),
      ...(description ? { description } : {}),
    }), false);
    const [e] = await this.searchEntries(dn, { scope: 'base', attributes: ['objectGUID'] });
    return entryGuid(e!);
  }

  /** Direct members of a group (found via memberOf, with the group DN escaped into the filter). */
  async listGroupMembers(groupGuid: string): Promise<GroupMember[]> {
    const groupDn = await this.dnOf(groupGuid);
    const entries = await this.searchEntries(await this.baseDn(), {
      scope: 'sub', filter: `(memberOf=${escapeFilterValue(groupDn)})`, attributes: ['objectGUID', 'sAMAccountName', 'objectClass'], paged: { pageSize: 500 },
    });
    return entries.map((e) => {
      const oc = (Array.isArray(e.objectClass) ? e.objectClass : [e.objectClass]).map((x) => String(x).toLowerCase());
      const kind = oc.includes('computer') ? 'computer' : oc.includes('user') ? 'user' : oc.includes('group') ? 'group' : 'other';
      return { objectGuid: entryGuid(e), dn: e.dn, sAMAccountName: first(e, 'sAMAccountName') ?? '', kind };
    });
  }

  private async changeMember(groupGuid: string, memberGuid: string, operation: 'add' | 'delete'): Promise<void> {
    const [groupDn, memberDn] = [await this.dnOf(groupGuid), await this.dnOf(memberGuid)];
    try {
      await this.op(operation === 'add' ? 'Adding the member' : 'Removing the member',
        (c) => c.modify(groupDn, new Change({ operation, modification: new Attribute({ type: 'member', values: [memberDn] }) })), false);
    } catch (e) {
      // already a member / not a member: the desired state holds
      if (e instanceof DirectoryError && (e.code === 'already-exists' || (operation === 'delete' && e.details.ldapCode === 53))) return;
      throw e;
    }
  }

  /** Adds a member to a group (no-op if already a member). */
  addGroupMember(groupGuid: string, memberGuid: string): Promise<void> { return this.changeMember(groupGuid, memberGuid, 'add'); }
  /** Removes a member from a group (no-op if not a member). */
  removeGroupMember(groupGuid: string, memberGuid: string): Promise<void> { return this.changeMember(groupGuid, memberGuid, 'delete'); }
}
