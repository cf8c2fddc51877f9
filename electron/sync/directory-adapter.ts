// DirectorySource over the real DirectoryClient (LDAPS) and its DirSync change feed, limited to the synced folders.
import { ChangeFeed, type ChangeFeedOptions } from '../directory/change-feed';
import type { DirectoryClient } from '../directory/directory-client';
import type { DirectoryUser } from '../directory/directory-types';
import type { DirectorySource, SourceChange, SourceUser } from './ports';

function toSource(u: DirectoryUser): SourceUser {
  const { dn: _dn, userAccountControl: _uac, whenChanged: _wc, uSNChanged: _usn, ...rest } = u;
  return { ...rest, objectGuid: u.objectGuid.toLowerCase() };
}

/** Why a class: it owns the scope rule (which OUs are synced) so the engine never sees an out-of-scope user. */
export class DirectoryAdapter implements DirectorySource {
  constructor(private readonly client: DirectoryClient, private readonly opts: { scopeDns?: readonly string[]; feed?: Omit<ChangeFeedOptions, 'cookie'> } = {}) {}

  private inScope(dn: string): boolean {
    const scopes = this.opts.scopeDns ?? [];
    if (!scopes.length) return true;
    const d = dn.toLowerCase();
    return scopes.some((s) => d === s.toLowerCase() || d.endsWith(`,${s.toLowerCase()}`));
  }

  async *listUsers(): AsyncIterable<SourceUser[]> {
    const scopes = this.opts.scopeDns?.length ? this.opts.scopeDns : [undefined];
    const seen = new Set<string>();
    for (const baseDn of scopes) {
      for await (const page of this.client.listUsers(baseDn ? { baseDn } : {})) {
        const fresh = page.filter((u) => !seen.has(u.objectGuid) && this.inScope(u.dn));
        fresh.forEach((u) => seen.add(u.objectGuid));
        if (fresh.length) yield fresh.map(toSource);
      }
    }
  }

  async getUser(objectGuid: string): Promise<SourceUser | undefined> {
    const u = await this.client.getUser(objectGuid);
    return u && this.inScope(u.dn) ? toSource(u) : undefined;
  }

  async resetPassword(objectGuid: string, password: string, opts: { mustChange: boolean }): Promise<void> {
    await this.client.resetPassword(objectGuid, password, { mustChange: opts.mustChange });
  }

  async setEnabled(objectGuid: string, enabled: boolean): Promise<void> {
    await this.client.setEnabled(objectGuid, enabled);
  }

  /** DirSync from the saved cookie; with no cookie the initial full read is skipped (the full reconcile covers it). */
  async watch(cursor: string | undefined, onBatch: (changes: SourceChange[], cursor: string) => Promise<void>): Promise<{ stop(): Promise<void> }> {
    const feed = new ChangeFeed(this.client, { ...this.opts.feed, ...(cursor ? { cookie: cursor } : { skipInitial: true }) });
    await feed.start(async (b) => {
      const changes = b.events.filter((e) => e.objectType !== 'group').map((e) => ({ kind: e.kind, objectGuid: e.objectGuid.toLowerCase() }));
      await onBatch(changes, b.cookie);
    });
    return { stop: () => feed.stop() };
  }
}
