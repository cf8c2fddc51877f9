import { AsyncEntry } from '@napi-rs/keyring';

/**
 * Where secrets live: the app's certificate private key, refresh tokens, the key that encrypts queued
 * passwords. Behind an interface so the core never knows whether it is the OS keychain or a test double,
 * and so no secret is ever written to a settings file.
 */
export interface SecretStore {
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<boolean>;
}

/** The OS keychain (Windows Credential Manager, macOS Keychain, Secret Service on Linux) via @napi-rs/keyring. */
export class KeychainSecretStore implements SecretStore {
  constructor(private readonly service = 'OpenEssentials') {}

  async get(name: string): Promise<string | null> {
    const value = await new AsyncEntry(this.service, name).getPassword();
    return value ?? null;
  }

  async set(name: string, value: string): Promise<void> {
    await new AsyncEntry(this.service, name).setPassword(value);
  }

  async delete(name: string): Promise<boolean> {
    return new AsyncEntry(this.service, name).deleteCredential();
  }
}

/** In-process store for unit tests and for code paths that must not touch the keychain. */
export class MemorySecretStore implements SecretStore {
  readonly values = new Map<string, string>();
  async get(name: string): Promise<string | null> {
    return this.values.get(name) ?? null;
  }
  async set(name: string, value: string): Promise<void> {
    this.values.set(name, value);
  }
  async delete(name: string): Promise<boolean> {
    return this.values.delete(name);
  }
}
