import type { AppError } from '../core/errors';
import type { DirectoryUser } from '../directory/directory-types';

// The sync engine's view of the outside world: narrow ports so the engine is tested with small fakes and wired to
// the real directory / tenant clients by thin adapters (directory-adapter.ts, tenant-adapter.ts).

/** A directory user as the engine needs it (objectGuid: lowercase canonical GUID): the directory's shape minus LDAP bookkeeping. */
export type SourceUser = Omit<DirectoryUser, 'dn' | 'userAccountControl' | 'whenChanged' | 'uSNChanged'>;

/** One change from the directory's change feed; the engine re-reads the object itself. */
export interface SourceChange {
  kind: 'upsert' | 'delete';
  objectGuid: string;
}

/** Why a port: the engine must not know about LDAP, DirSync cookies' encoding or Samba vs Windows. */
export interface DirectorySource {
  /** Every user in scope, page by page. */
  listUsers(): AsyncIterable<SourceUser[]>;
  getUser(objectGuid: string): Promise<SourceUser | undefined>;
  /** Writes the password in AD (over LDAPS). */
  resetPassword(objectGuid: string, password: string, opts: { mustChange: boolean }): Promise<void>;
  /** Disables / enables the user in AD (the online account follows through sync). */
  setEnabled(objectGuid: string, enabled: boolean): Promise<void>;
  /** Starts the change feed from `cursor`; `onBatch` resolves once the batch is applied, then the cursor may be saved. */
  watch?(cursor: string | undefined, onBatch: (changes: SourceChange[], cursor: string) => Promise<void>): Promise<{ stop(): Promise<void> }>;
}

/** A captured password (cleartext lives only in memory until it is encrypted into the outbox). */
export interface PasswordEvent {
  objectGuid: string;
  password: string;
  at: Date;
}

/** Why a port: password capture is Samba's syncpasswords or a Windows filter DLL; the engine doesn't care. */
export interface PasswordSource {
  start(onPassword: (e: PasswordEvent) => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

/** The online (Microsoft 365) account as the engine needs it. */
export interface OnlineAccount {
  id: string;
  userPrincipalName: string;
  accountEnabled: boolean;
  immutableId?: string;
  mail?: string;
  displayName?: string;
}

/** Attributes the engine keeps in step (Graph names); `null` clears an attribute. */
export interface OnlineAttributes {
  displayName: string;
  givenName: string | null;
  surname: string | null;
  jobTitle: string | null;
  department: string | null;
  businessPhones: string[];
  mobilePhone: string | null;
  officeLocation: string | null;
}

/** What a create needs: anchors and the initial password so a retried create is recognisable. */
export interface NewOnlineAccount extends OnlineAttributes {
  userPrincipalName: string;
  mailNickname: string;
  immutableId: string;
  usageLocation?: string;
  accountEnabled: boolean;
  password: string;
  forceChangePassword: boolean;
}

/**
 * Why a port: the engine speaks in accounts; Graph URLs, $batch, tokens and retries of transport live in the adapter.
 * Failures are AppErrors (TenantError): the engine branches on `code` and `retryable`, never on message text.
 */
export interface TenantTarget {
  createUser(input: NewOnlineAccount): Promise<OnlineAccount>;
  updateUser(id: string, attrs: Partial<OnlineAttributes> & { userPrincipalName?: string; immutableId?: string; usageLocation?: string }): Promise<void>;
  setPassword(id: string, password: string, forceChange: boolean): Promise<void>;
  setEnabled(id: string, enabled: boolean): Promise<void>;
  /** Soft delete: restorable for 30 days. */
  deleteUser(id: string): Promise<void>;
  getUser(id: string): Promise<OnlineAccount | undefined>;
  findByUpn(upn: string): Promise<OnlineAccount | undefined>;
  findByImmutableId(immutableId: string): Promise<OnlineAccount | undefined>;
  findByMail(mail: string): Promise<OnlineAccount | undefined>;
  assignLicense(id: string, skuId: string): Promise<void>;
  /** Optional: many idempotent PATCHes in `$batch` requests; one result per item (undefined = done). */
  patchMany?(items: ReadonlyArray<{ id: string; patch: OnlinePatch }>): Promise<Array<AppError | undefined>>;
  /** The tenant's verified domains (lower case) and its initial `…onmicrosoft.com` one, for the UPN mapping. */
  domains(): Promise<TenantDomains>;
}

/** What the UPN mapping needs to know about the tenant's domains. */
export interface TenantDomains {
  verified: string[];
  initial: string | null;
}

/** A PATCH the engine may batch: attributes, UPN, usage location, sign-in state. */
export type OnlinePatch = Partial<OnlineAttributes> & { userPrincipalName?: string; usageLocation?: string; accountEnabled?: boolean };
