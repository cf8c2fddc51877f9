import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openServiceSecretStore, SealedFileSecretStore, sealedSecretsPath, SERVICE_KEY_CREDENTIAL, serviceKeyFromCredentials } from '../../electron/stores/sealed-file-secret-store';
import { makeTempDir } from '../support/temp-dir';

const SECRET = 'Domain-Admin-Pw-7!q';

describe('sealed file SecretStore (the installed Linux service)', () => {
  it('round-trips, persists across instances, and deletes', async () => {
    const tmp = makeTempDir();
    try {
      const key = randomBytes(32);
      const file = sealedSecretsPath(tmp.dir);
      const a = new SealedFileSecretStore(file, key);
      expect(await a.get('directory-bind-password')).toBeNull();
      await a.set('directory-bind-password', SECRET);
      await a.set('sync-outbox-key', 'k2');
      const b = new SealedFileSecretStore(file, key);
      expect(await b.get('directory-bind-password')).toBe(SECRET);
      expect(await b.delete('directory-bind-password')).toBe(true);
      expect(await b.delete('directory-bind-password')).toBe(false);
      expect(await a.get('directory-bind-password')).toBeNull();
      expect(await a.get('sync-outbox-key')).toBe('k2');
      expect(await a.get('toString')).toBeNull();
    } finally {
      tmp.cleanup();
    }
  });

  it('writes no cleartext, a 0600 file in a 0700 folder whatever the umask, and leaves no temporary file', async () => {
    const tmp = makeTempDir();
    const umask = process.umask(0);
    try {
      const file = sealedSecretsPath(tmp.dir);
      await new SealedFileSecretStore(file, randomBytes(32)).set('directory-bind-password', SECRET);
      const raw = fs.readFileSync(file, 'utf8');
      for (const form of [SECRET, Buffer.from(SECRET).toString('base64'), Buffer.from(SECRET).toString('hex')]) expect(raw).not.toContain(form);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
      expect(fs.readdirSync(path.dirname(file))).toEqual(['secrets.json']);
    } finally {
      process.umask(umask);
      tmp.cleanup();
    }
  });

  it('refuses another key and an entry moved to another name, without the value in the error', async () => {
    const tmp = makeTempDir();
    try {
      const file = sealedSecretsPath(tmp.dir);
      const key = randomBytes(32);
      await new SealedFileSecretStore(file, key).set('directory-bind-password', SECRET);
      const other = new SealedFileSecretStore(file, randomBytes(32));
      const error = await other.get('directory-bind-password').catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toContain('does not open with this service');
      expect((error as Error).message).not.toContain(SECRET);
      // the GCM tag binds the value to its name: renaming the entry in the file doesn't make it readable elsewhere
      const content = JSON.parse(fs.readFileSync(file, 'utf8'));
      content.secrets['tenant-app-certificate-key'] = content.secrets['directory-bind-password'];
      fs.writeFileSync(file, JSON.stringify(content));
      await expect(new SealedFileSecretStore(file, key).get('tenant-app-certificate-key')).rejects.toThrow(/does not open/);
      expect(() => new SealedFileSecretStore(file, randomBytes(16))).toThrow(/32 bytes/);
    } finally {
      tmp.cleanup();
    }
  });

  it('takes its key only from the systemd credential, and never falls back when a unit passes credentials without it', () => {
    const tmp = makeTempDir();
    try {
      expect(serviceKeyFromCredentials({})).toBeNull();
      expect(openServiceSecretStore(tmp.dir, {})).toBeNull();
      expect(() => serviceKeyFromCredentials({ CREDENTIALS_DIRECTORY: tmp.dir })).toThrow(/no "openessentials-secrets-key" credential/);
      fs.writeFileSync(path.join(tmp.dir, SERVICE_KEY_CREDENTIAL), 'short');
      expect(() => serviceKeyFromCredentials({ CREDENTIALS_DIRECTORY: tmp.dir })).toThrow(/not a 32-byte key/);
      const key = randomBytes(32);
      fs.writeFileSync(path.join(tmp.dir, SERVICE_KEY_CREDENTIAL), key);
      expect(serviceKeyFromCredentials({ CREDENTIALS_DIRECTORY: tmp.dir })?.equals(key)).toBe(true);
      expect(openServiceSecretStore('/srv/oe', { CREDENTIALS_DIRECTORY: tmp.dir })?.file).toBe('/srv/oe/secrets/secrets.json');
    } finally {
      tmp.cleanup();
    }
  });
});
