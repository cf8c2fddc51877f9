// TenantTarget over the real TenantClient (Graph): maps Graph users to the engine's accounts; failures stay the
// client's TenantErrors. The client itself handles Retry-After, transient retries and lost-reply probes.
import type * as MG from '@microsoft/microsoft-graph-types';
import { AppError } from '../core/errors';
import type { TenantClient } from '../tenant/tenant-client';
import { TenantError, toTenantError } from '../tenant/tenant-errors';
import type { NewOnlineAccount, OnlineAccount, OnlineAttributes, OnlinePatch, TenantDomains, TenantTarget } from './ports';

const SELECT = ['id', 'userPrincipalName', 'accountEnabled', 'onPremisesImmutableId', 'mail', 'displayName'];

function toAccount(u: MG.User): OnlineAccount {
  return {
    id: String(u.id), userPrincipalName: u.userPrincipalName ?? '', accountEnabled: u.accountEnabled ?? true,
    ...(u.onPremisesImmutableId ? { immutableId: u.onPremisesImmutableId } : {}), ...(u.mail ? { mail: u.mail } : {}), displayName: u.displayName ?? '',
  };
}

function toPatch(a: Partial<OnlineAttributes> & { userPrincipalName?: string; immutableId?: string; usageLocation?: string }): MG.User {
  const { immutableId, ...rest } = a;
  return { ...(rest as MG.User), ...(immutableId ? { onPremisesImmutableId: immutableId } : {}) };
}

const quote = (v: string): string => `'${v.replace(/'/g, "''")}'`;

/** Why a class: one TenantClient (token cache, agent) shared by every call of the engine. */
export class TenantAdapter implements TenantTarget {
  constructor(private readonly client: TenantClient) {}

  private async findOne(filter: string): Promise<OnlineAccount | undefined> {
    const page = await this.client.listUsersPage({ select: SELECT, filter, top: 2 });
    const u = page.users[0];
    return u ? toAccount(u) : undefined;
  }

  async createUser(input: NewOnlineAccount): Promise<OnlineAccount> {
    // One POST with every attribute: a follow-up PATCH would double the writes of a bulk create under the write limit.
    const created = await this.client.createUser({
      userPrincipalName: input.userPrincipalName, displayName: input.displayName, mailNickname: input.mailNickname, password: input.password,
      forceChangePasswordNextSignIn: input.forceChangePassword, accountEnabled: input.accountEnabled, onPremisesImmutableId: input.immutableId,
      ...(input.usageLocation ? { usageLocation: input.usageLocation } : {}), ...(input.givenName ? { givenName: input.givenName } : {}),
      ...(input.surname ? { surname: input.surname } : {}), ...(input.jobTitle ? { jobTitle: input.jobTitle } : {}), ...(input.department ? { department: input.department } : {}),
      ...(input.businessPhones.length ? { businessPhones: input.businessPhones } : {}), ...(input.mobilePhone ? { mobilePhone: input.mobilePhone } : {}),
      ...(input.officeLocation ? { officeLocation: input.officeLocation } : {}),
    });
    // Graph's create answer carries only the default property set: what we sent fills the rest.
    return toAccount({ ...created, onPremisesImmutableId: created.onPremisesImmutableId ?? input.immutableId, accountEnabled: created.accountEnabled ?? input.accountEnabled });
  }
  async updateUser(id: string, attrs: Partial<OnlineAttributes> & { userPrincipalName?: string; immutableId?: string; usageLocation?: string }): Promise<void> {
    await this.client.updateUser(id, toPatch(attrs));
  }
  async setPassword(id: string, password: string, forceChange: boolean): Promise<void> {
    await this.client.setPassword(id, password, forceChange);
  }
  async setEnabled(id: string, enabled: boolean): Promise<void> {
    await this.client.setAccountEnabled(id, enabled);
  }
  async deleteUser(id: string): Promise<void> {
    await this.client.deleteUser(id);
  }
  async getUser(id: string): Promise<OnlineAccount | undefined> {
    try {
      return toAccount(await this.client.getUser(id, SELECT));
    } catch (e) {
      if (e instanceof TenantError && e.code === 'not-found') return undefined;
      throw e;
    }
  }
  findByUpn(upn: string): Promise<OnlineAccount | undefined> {
    return this.findOne(`userPrincipalName eq ${quote(upn)}`);
  }
  findByImmutableId(immutableId: string): Promise<OnlineAccount | undefined> {
    return this.findOne(`onPremisesImmutableId eq ${quote(immutableId)}`);
  }
  findByMail(mail: string): Promise<OnlineAccount | undefined> {
    return this.findOne(`mail eq ${quote(mail)}`);
  }
  async assignLicense(id: string, skuId: string): Promise<void> {
    await this.client.assignLicense(id, [{ skuId }]);
  }
  /** PATCHes in `$batch` (the client splits into 20s and retries inner 429s); one result per item. */
  async patchMany(items: ReadonlyArray<{ id: string; patch: OnlinePatch }>): Promise<Array<AppError | undefined>> {
    const responses = await this.client.batch(items.map((it, i) => ({
      id: String(i), method: 'PATCH' as const, url: `/users/${encodeURIComponent(it.id)}`, headers: { 'Content-Type': 'application/json' }, body: it.patch,
    })));
    const byId = new Map(responses.map((r) => [r.id, r]));
    return items.map((_, i) => {
      const r = byId.get(String(i));
      if (!r) return new AppError('service-error', 'No reply for this request in the batch.');
      if (r.status >= 200 && r.status < 300) return undefined;
      const ra = r.headers?.['Retry-After'] ?? r.headers?.['retry-after'];
      return toTenantError(r.status, r.body, undefined, ra !== undefined ? Number(ra) * 1000 : undefined);
    });
  }

  async domains(): Promise<TenantDomains> {
    const domains = await this.client.listDomains();
    return {
      verified: domains.filter((d) => d.isVerified).map((d) => String(d.id).toLowerCase()),
      initial: domains.find((d) => d.isInitial)?.id?.toLowerCase() ?? null,
    };
  }
}
