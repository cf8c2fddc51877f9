// Queued passwords are encrypted at rest (AES-256-GCM); the key lives in the SecretStore (OS keychain), never in the
// state file, so a copied sync.db reveals no password.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SECRET_NAMES } from '../stores/secret-names';
import type { SecretStore } from '../stores/secret-store';

/** SecretStore entry holding the base64 AES key. */
export const OUTBOX_KEY_NAME = SECRET_NAMES.passwordQueueKey;

/** The stored form: no field is the cleartext. `aad` binds the blob to one directory object. */
export interface SealedPassword { v: 1; iv: string; tag: string; ct: string }

/** Why a class: it caches the key after the first keychain read and owns the only code that sees cleartext at rest. */
export class PasswordVault {
  private key: Promise<Buffer> | undefined;

  constructor(private readonly secrets: SecretStore) {}

  /** One keychain read (or key creation) even when the first seals run concurrently: two keys would orphan a blob. */
  private getKey(): Promise<Buffer> {
    this.key ??= (async () => {
      const stored = await this.secrets.get(OUTBOX_KEY_NAME);
      const key = stored ? Buffer.from(stored, 'base64') : undefined;
      if (key?.length === 32) return key;
      const fresh = randomBytes(32);
      await this.secrets.set(OUTBOX_KEY_NAME, fresh.toString('base64'));
      return fresh;
    })().catch((e: unknown) => { this.key = undefined; throw e; });
    return this.key;
  }

  async seal(objectGuid: string, password: string): Promise<SealedPassword> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', await this.getKey(), iv);
    cipher.setAAD(Buffer.from(objectGuid.toLowerCase()));
    const ct = Buffer.concat([cipher.update(password, 'utf8'), cipher.final()]);
    return { v: 1, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ct: ct.toString('base64') };
  }

  /** Throws if the blob was tampered with, belongs to another object, or the key changed. */
  async open(objectGuid: string, sealed: SealedPassword): Promise<string> {
    const decipher = createDecipheriv('aes-256-gcm', await this.getKey(), Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(objectGuid.toLowerCase()));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]).toString('utf8');
  }
}
