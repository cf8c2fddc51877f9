// LDAP controls ldapts does not ship, needed for AD change tracking (MS-ADTS 3.1.1.3.4.1).
import { Ber, BerReader, BerWriter, Control } from 'ldapts';

/** DirSync flags we use: OBJECT_SECURITY lets a non-admin service account run DirSync. */
export const DIRSYNC_FLAGS = { OBJECT_SECURITY: 0x1, ANCESTORS_FIRST_ORDER: 0x800, INCREMENTAL_VALUES: 0x80000000 } as const;

/**
 * LDAP_SERVER_DIRSYNC_OID. ldapts hands the response control to the request control with the same OID, so after
 * search() resolves `response` holds the server's cookie. Why: incremental, restartable change reads with deletes.
 */
export class DirSyncControl extends Control {
  static readonly oid = '1.2.840.113556.1.4.841';
  response?: { moreResults: boolean; cookie: Buffer };
  constructor(public cookie: Buffer = Buffer.alloc(0), public flags = 0, public maxBytes = 0x7fffffff) {
    super(DirSyncControl.oid, { critical: true });
  }
  protected override writeControl(writer: BerWriter): void {
    const w = new BerWriter();
    w.startSequence();
    w.writeInt(this.flags | 0);
    w.writeInt(this.maxBytes);
    w.writeBuffer(this.cookie, Ber.OctetString);
    w.endSequence();
    writer.writeBuffer(w.buffer, Ber.OctetString);
  }
  protected override parseControl(reader: BerReader): void {
    if (reader.readSequence()) {
      const more = reader.readInt() ?? 0;
      reader.readInt();
      this.response = { moreResults: more !== 0, cookie: reader.readString(Ber.OctetString, true) ?? Buffer.alloc(0) };
    }
  }
}

/** LDAP_SERVER_NOTIFICATION_OID: a search that never completes and streams changed entries (the wake-up). */
export class NotificationControl extends Control {
  static readonly oid = '1.2.840.113556.1.4.528';
  constructor() { super(NotificationControl.oid, { critical: true }); }
}

/** LDAP_SERVER_SHOW_DELETED_OID: include tombstones, so deletes wake the feed too. */
export class ShowDeletedControl extends Control {
  static readonly oid = '1.2.840.113556.1.4.417';
  constructor() { super(ShowDeletedControl.oid, { critical: true }); }
}
