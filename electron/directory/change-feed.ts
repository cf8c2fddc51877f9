// The directory change feed: DirSync (restartable cookie, deletes included) as the source of truth, woken by an AD
// change notification (default) or a short uSN poll, plus a slow safety poll. The caller persists the cookie.
import type { Client, Entry } from 'ldapts';
import { DirSyncControl, NotificationControl, ShowDeletedControl, DIRSYNC_FLAGS } from './ad-controls';
import type { DirectoryClient } from './directory-client';
import { toDirectoryError, type DirectoryError } from './directory-errors';
import { USER_LDAP_ATTRIBUTES, entryGuid, first } from './directory-types';
import { guidBaseDn } from './guid';

/** One changed object. `attributes` holds only what changed (DirSync semantics); `cookie` is the batch's cookie. */
export interface ChangeEvent {
  kind: 'upsert' | 'delete';
  objectGuid: string;
  dn: string;
  objectType: 'user' | 'group' | 'unknown';
  attributes: Record<string, string[]>;
  /** Present when userAccountControl changed. */
  enabled?: boolean;
  cookie: string;
}

/** A batch of changes and the cookie to persist once the batch is handled. */
export interface ChangeBatch { events: ChangeEvent[]; cookie: string }

/** Feed options; `wake` picks the wake-up, see docs in the report (notify: ~10 ms, poll: ≈ pollMs/2). */
export interface ChangeFeedOptions {
  /** base64 DirSync cookie from a previous run; empty/undefined starts with a full read. */
  cookie?: string;
  wake?: 'notify' | 'poll';
  pollMs?: number;
  safetyPollMs?: number;
  /** On a fresh start, skip emitting the initial full read (only advance the cookie). */
  skipInitial?: boolean;
  /** Use DirSync OBJECT_SECURITY (needed when the service account is not a domain admin). */
  objectSecurity?: boolean;
  /** DirSync page size hint in bytes (default 1 MiB; Windows AD pages by it, Samba ignores it and sends one page). */
  maxBytes?: number;
  onError?: (e: DirectoryError) => void;
}

const FEED_ATTRIBUTES = [...USER_LDAP_ATTRIBUTES, 'objectClass', 'isDeleted', 'name', 'member', 'pwdLastSet', 'description', 'groupType'];
const FEED_FILTER = '(|(&(objectClass=user)(!(objectClass=computer)))(objectClass=group))';
const MATCH_NOTHING = '(objectGUID=\\00)';

function toEvent(e: Entry, cookie: string): ChangeEvent {
  const attributes: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(e)) {
    if (k === 'dn' || k === 'objectGUID') continue;
    const vals = (Array.isArray(v) ? v : [v]).map((x) => (Buffer.isBuffer(x) ? x.toString('base64') : String(x)));
    if (vals.length) attributes[k] = vals;
  }
  const deleted = (first(e, 'isDeleted') ?? '').toUpperCase() === 'TRUE';
  const oc = (attributes.objectClass ?? []).map((x) => x.toLowerCase());
  const ev: ChangeEvent = {
    kind: deleted ? 'delete' : 'upsert', objectGuid: entryGuid(e), dn: e.dn,
    objectType: oc.includes('group') ? 'group' : oc.includes('user') ? 'user' : 'unknown', attributes, cookie,
  };
  const uac = first(e, 'userAccountControl');
  if (uac !== undefined) ev.enabled = (Number(uac) & 2) === 0;
  return ev;
}

/** Why a class: it owns the cookie, the wake-up connection and the coalescing of passes. */
export class ChangeFeed {
  private cookie: Buffer;
  private running = false;
  private dirty = false;
  private stopped = true;
  private timers: NodeJS.Timeout[] = [];
  private watcher: Client | undefined;
  private lastUsn = 0;
  private handler: ((b: ChangeBatch) => void | Promise<void>) | undefined;
  private idle: Promise<void> = Promise.resolve();
  private readonly types = new Map<string, 'user' | 'group'>();

  constructor(private readonly client: DirectoryClient, private readonly opts: ChangeFeedOptions = {}) {
    this.cookie = Buffer.from(opts.cookie ?? '', 'base64');
  }

  /** The cookie after the last handled batch (base64), to persist. */
  get currentCookie(): string { return this.cookie.toString('base64'); }

  /** Runs the first pass (full read unless a cookie was given), then keeps watching. */
  async start(handler: (b: ChangeBatch) => void | Promise<void>): Promise<void> {
    this.handler = handler;
    this.stopped = false;
    // Skipping the first pass: a DirSync whose filter matches nothing (a GUID is 16 bytes, never 1) still returns the
    // cookie for "now". Reading the whole domain to throw it away held every object in memory at once, because Samba
    // ignores DirSync's size hint (≈ 145 MB for 10,000 users).
    if (this.cookie.length === 0 && this.opts.skipInitial) {
      for await (const page of this.readChanges(MATCH_NOTHING, ['objectGUID'])) this.cookie = page.cookie;
    }
    // watch first, then read: a change made in between is caught by the pass or wakes another one
    if ((this.opts.wake ?? 'notify') === 'notify') await this.startWatcher(250, false);
    else this.timers.push(setInterval(() => void this.pollUsn(), this.opts.pollMs ?? 100));
    this.trigger();
    await this.idle;
    this.timers.push(setInterval(() => this.trigger(), this.opts.safetyPollMs ?? 30_000));
  }

  /** Stops watching; a pass in progress is allowed to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timers.forEach(clearInterval);
    this.timers = [];
    const w = this.watcher;
    this.watcher = undefined;
    if (w) await w.unbind().catch(() => undefined);
    await this.idle;
  }

  /** Asks for a DirSync pass now (coalesced with one in progress). */
  trigger(): void {
    if (this.stopped) return;
    if (this.running) { this.dirty = true; return; }
    this.idle = this.pass();
  }

  /** DirSync pages since the current cookie; each page carries the cookie that covers it (resumable per page). */
  private async *readChanges(filter = FEED_FILTER, attributes = FEED_ATTRIBUTES): AsyncGenerator<{ entries: Entry[]; cookie: Buffer }> {
    const base = await this.client.baseDn();
    let cookie = this.cookie;
    for (;;) {
      const ctl = new DirSyncControl(cookie, this.opts.objectSecurity ? DIRSYNC_FLAGS.OBJECT_SECURITY : 0, this.opts.maxBytes ?? 1 << 20);
      const entries = await this.client.searchEntries(base, { scope: 'sub', filter, attributes }, ctl);
      if (!ctl.response) throw new Error('The domain controller did not answer the DirSync request.');
      cookie = ctl.response.cookie;
      yield { entries, cookie };
      if (!ctl.response.moreResults) return;
    }
  }

  private async pass(): Promise<void> {
    this.running = true;
    try {
      do {
        this.dirty = false;
        for await (const { entries, cookie } of this.readChanges()) {
          const b64 = cookie.toString('base64');
          if (entries.length && this.handler) {
            const events = entries.map((e) => toEvent(e, b64));
            await this.resolveTypes(events);
            await this.handler({ events, cookie: b64 });
          }
          this.cookie = cookie; // advanced only after the handler accepted the page
        }
      } while (this.dirty && !this.stopped);
    } catch (e) {
      this.opts.onError?.(toDirectoryError(e, 'Reading directory changes'));
    } finally {
      this.running = false;
    }
  }

  /** DirSync only sends objectClass on creation: fill in user/group from a cache or one base read (tombstones too). */
  private async resolveTypes(events: ChangeEvent[]): Promise<void> {
    for (const ev of events) {
      if (ev.objectType !== 'unknown') { this.types.set(ev.objectGuid, ev.objectType); continue; }
      const known = this.types.get(ev.objectGuid);
      if (known) { ev.objectType = known; continue; }
      try {
        const [e] = await this.client.searchEntries(guidBaseDn(ev.objectGuid), { scope: 'base', attributes: ['objectClass'] }, new ShowDeletedControl());
        const oc = e ? ([] as unknown[]).concat(e.objectClass ?? []).map((x) => String(x).toLowerCase()) : [];
        ev.objectType = oc.includes('group') ? 'group' : oc.includes('user') ? 'user' : 'unknown';
        if (ev.objectType !== 'unknown') this.types.set(ev.objectGuid, ev.objectType);
      } catch {
        /* leave unknown; the consumer can still key on objectGuid */
      }
      if (this.types.size > 50_000) this.types.clear();
    }
  }

  private async pollUsn(): Promise<void> {
    if (this.stopped || this.running) return;
    try {
      const [root] = await this.client.searchEntries('', { scope: 'base', attributes: ['highestCommittedUSN'] });
      const usn = Number(root ? first(root, 'highestCommittedUSN') : 0);
      if (usn !== this.lastUsn) { this.lastUsn = usn; this.trigger(); }
    } catch (e) {
      this.opts.onError?.(toDirectoryError(e, 'Checking for directory changes'));
    }
  }

  /** Dedicated connection with a never-ending notification search; any entry wakes a DirSync pass. */
  private async startWatcher(backoffMs: number, reconnect = true): Promise<void> {
    if (this.stopped) return;
    let w: Client;
    try {
      w = await this.client.openConnection({ timeoutMs: null });
    } catch (e) {
      this.opts.onError?.(toDirectoryError(e, 'Watching for directory changes'));
      this.timers.push(setTimeout(() => void this.startWatcher(Math.min(backoffMs * 2, 10_000)), backoffMs));
      return;
    }
    if (this.stopped) { await w.unbind().catch(() => undefined); return; }
    this.watcher = w;
    const internals = w as unknown as { messageParser: NodeJS.EventEmitter; messageDetailsByMessageId: Map<string, { searchEntries?: unknown[] }> };
    internals.messageParser.on('message', (msg: { constructor: { name: string } }) => {
      if (msg.constructor.name !== 'SearchEntry') return;
      // ldapts buffers entries until the search completes, which never happens: drop them to bound memory
      for (const d of internals.messageDetailsByMessageId.values()) if (d.searchEntries) d.searchEntries.length = 0;
      this.trigger();
    });
    const base = await this.client.baseDn();
    w.search(base, { scope: 'sub', filter: '(objectClass=*)', attributes: ['uSNChanged'] }, [new NotificationControl(), new ShowDeletedControl()])
      .catch((e: unknown) => {
        if (this.stopped || this.watcher !== w) return;
        this.watcher = undefined;
        this.opts.onError?.(toDirectoryError(e, 'Watching for directory changes'));
        void w.unbind().catch(() => undefined);
        this.trigger(); // catch up on whatever happened while the watch was down
        this.timers.push(setTimeout(() => void this.startWatcher(Math.min(backoffMs * 2, 10_000)), backoffMs));
      });
    if (reconnect) {
      // changes made while the watch was down (or before the server registered it) are only seen by a pass
      this.trigger();
      this.timers.push(setTimeout(() => this.trigger(), 1_000));
    }
  }
}
