// The installed Linux service's SecretStore: no desktop session, so no OS keychain. Secrets are sealed with
// AES-256-GCM under a 32-byte key that only systemd hands the service (a credential it decrypts at start with the
// machine's TPM2 and/or host key, or a root-only key file); the sealed file lives in the data dir. Threat model:
// docs/linux-service.md.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { SecretStore } from './secret-store';

/** Name of the systemd credential (LoadCredentialEncrypted= / LoadCredential=) that carries the key. */
export const SERVICE_KEY_CREDENTIAL = 'openessentials-secrets-key';

const Sealed = z.object({ iv: z.string(), tag: z.string(), ct: z.string() });
const SealedFile = z.object({ v: z.literal(1), secrets: z.record(z.string(), Sealed) });
type SealedFile = z.infer<typeof SealedFile>;

/** What the GCM tag binds each entry to: a sealed value can't be moved to another name or another format. */
const aad = (name: string): Buffer => Buffer.from(`openessentials-secret-v1\0${name}`);

/**
 * Why a class: it owns the key and the file's read-modify-write. Every operation is synchronous file I/O, so two
 * concurrent `set`s can't interleave; writes go to a 0600 temporary file that is fsynced and renamed over the old one.
 */
export class SealedFileSecretStore implements SecretStore {
  constructor(
    readonly file: string,
    private readonly key: Buffer,
  ) {
    if (key.length !== 32) throw new Error('The secrets key must be 32 bytes.');
  }

  async get(name: string): Promise<string | null> {
    const { secrets } = this.read();
    const entry = Object.hasOwn(secrets, name) ? secrets[name] : undefined;
    if (!entry) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(entry.iv, 'base64'));
      decipher.setAAD(aad(name));
      decipher.setAuthTag(Buffer.from(entry.tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(entry.ct, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new Error(`The secret "${name}" in ${this.file} does not open with this service's key (was the key in /etc/openessentials replaced, or the file copied from another machine?).`);
    }
  }

  async set(name: string, value: string): Promise<void> {
    const file = this.read();
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(aad(name));
    const ct = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    file.secrets[name] = { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ct: ct.toString('base64') };
    this.write(file);
  }

  async delete(name: string): Promise<boolean> {
    const file = this.read();
    if (!Object.hasOwn(file.secrets, name)) return false;
    delete file.secrets[name];
    this.write(file);
    return true;
  }

  private read(): SealedFile {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { v: 1, secrets: {} };
      throw e;
    }
    const parsed = SealedFile.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`${this.file} is not an OpenEssentials secrets file.`);
    return { v: 1, secrets: Object.assign(Object.create(null) as Record<string, z.infer<typeof Sealed>>, parsed.data.secrets) };
  }

  private write(content: SealedFile): void {
    const dir = path.dirname(this.file);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.chmodSync(dir, 0o700);
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.rmSync(tmp, { force: true });
    const fd = fs.openSync(tmp, 'wx', 0o600);
    try {
      fs.writeFileSync(fd, JSON.stringify(content));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.file);
    const dirFd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(dirFd);
    } finally {
      fs.closeSync(dirFd);
    }
  }
}

/**
 * The key systemd decrypted for this unit into `$CREDENTIALS_DIRECTORY` (a private, non-swappable mount only this
 * service can read). Null outside systemd; an error when a unit has credentials but not ours (it must not fall back).
 */
export function serviceKeyFromCredentials(env: NodeJS.ProcessEnv = process.env): Buffer | null {
  const dir = env.CREDENTIALS_DIRECTORY;
  if (!dir) return null;
  let key: Buffer;
  try {
    key = fs.readFileSync(path.join(dir, SERVICE_KEY_CREDENTIAL));
  } catch {
    throw new Error(`systemd passed this service no "${SERVICE_KEY_CREDENTIAL}" credential; reinstall the service (npm run service:install).`);
  }
  if (key.length !== 32) throw new Error(`The "${SERVICE_KEY_CREDENTIAL}" credential is not a 32-byte key; reinstall the service.`);
  return key;
}

/** `<dataDir>/secrets/secrets.json`: beside the settings, so upgrades and backups treat them alike (sealed). */
export function sealedSecretsPath(dataDir: string): string {
  return path.join(dataDir, 'secrets', 'secrets.json');
}

/** The installed service's store when systemd handed it the key; null means "not the installed service". */
export function openServiceSecretStore(dataDir: string, env: NodeJS.ProcessEnv = process.env): SealedFileSecretStore | null {
  const key = serviceKeyFromCredentials(env);
  return key ? new SealedFileSecretStore(sealedSecretsPath(dataDir), key) : null;
}
