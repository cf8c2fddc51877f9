// Password capture: the source of cleartext passwords for password sync to Microsoft 365 (Graph only accepts
// cleartext). Implementations: Samba (`samba-tool user syncpasswords`, here) and Windows (password filter DLL,
// see docs/password-capture-windows.md). Cleartext is handed to the callback only; never logged or persisted here.

/** One committed password change. `password` is cleartext: keep it in memory or encrypt it before queueing. */
export interface CapturedPassword {
  objectGuid: string;
  password: string;
  at: Date;
}

/** Why an interface: the sync engine must not care whether the DC is Samba or Windows. */
export interface PasswordCaptureSource {
  start(onPassword: (e: CapturedPassword) => void | Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

/** Parses one account's LDIF from syncpasswords (folded lines allowed); secret stays inside the returned object. */
export function parseSyncPasswordsLdif(ldif: string): { objectGuid?: string; password?: string; pwdLastSet?: string; deleted: boolean } {
  const lines = ldif.replace(/\r\n/g, '\n').split('\n');
  const unfolded: string[] = [];
  for (const l of lines) {
    if (l.startsWith(' ') && unfolded.length) unfolded[unfolded.length - 1] += l.slice(1);
    else unfolded.push(l);
  }
  const out: { objectGuid?: string; password?: string; pwdLastSet?: string; deleted: boolean } = { deleted: false };
  for (const l of unfolded) {
    const m = /^([A-Za-z0-9;-]+)(::?) ?(.*)$/.exec(l);
    if (!m) continue;
    const [, name, sep, raw] = m;
    const value = sep === '::' ? Buffer.from(raw!, 'base64').toString('utf8') : raw!;
    switch (name!.toLowerCase()) {
      case 'objectguid': out.objectGuid = value.toLowerCase(); break;
      case 'virtualcleartextutf8': out.password = value; break;
      case 'pwdlastset': out.pwdLastSet = value; break;
      case 'isdeleted': out.deleted = value.toUpperCase() === 'TRUE'; break;
      default: break;
    }
  }
  return out;
}
