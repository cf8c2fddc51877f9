import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { redact } from '../../electron/core/redact';
import { defaultDataDir } from '../../electron/stores/data-dir';
import { openNodeSettings } from '../../electron/stores/settings-store';
import { makeTempDir } from '../support/temp-dir';

describe('settings store (conf, the file electron-store uses)', () => {
  it('writes <dataDir>/config.json and reads it back validated', () => {
    const tmp = makeTempDir();
    try {
      const s = openNodeSettings(tmp.dir);
      expect(s.path).toBe(path.join(tmp.dir, 'config.json'));
      expect(s.get().sync.deleteThreshold).toBe(10);
      s.update((c) => ({ ...c, sync: { ...c.sync, deleteThreshold: 25 } }));
      expect(JSON.parse(fs.readFileSync(s.path, 'utf8')).sync.deleteThreshold).toBe(25);
      expect(openNodeSettings(tmp.dir).get().sync.deleteThreshold).toBe(25);
    } finally {
      tmp.cleanup();
    }
  });

  it('refuses an invalid update and keeps the previous file', () => {
    const tmp = makeTempDir();
    try {
      const s = openNodeSettings(tmp.dir);
      s.update((c) => ({ ...c, sync: { ...c.sync, deleteThreshold: 5 } }));
      expect(() => s.update((c) => ({ ...c, sync: { ...c.sync, deleteThreshold: -1 } }))).toThrow();
      expect(s.get().sync.deleteThreshold).toBe(5);
    } finally {
      tmp.cleanup();
    }
  });

  it('computes the same folder Electron uses for userData', () => {
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/x/cfg' } as NodeJS.ProcessEnv)).toBe(
      process.platform === 'linux' ? '/x/cfg/OpenEssentials' : defaultDataDir({ XDG_CONFIG_HOME: '/x/cfg' } as NodeJS.ProcessEnv),
    );
    expect(defaultDataDir({ OE_DATA_DIR: '/srv/oe' } as NodeJS.ProcessEnv)).toBe('/srv/oe');
  });
});

describe('redact', () => {
  it('removes private keys, JWTs, bearer tokens and password fields', () => {
    const key = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';
    const jwt = 'eyJhbGciOiJQUzI1NiJ9.eyJzdWIiOiJhYmMifQ.c2lnbmF0dXJlX2hlcmU';
    const text = redact(`key=${key} token ${jwt} Authorization: Bearer abcdefghijklmnop {"password":"Hunter2!x"} newPassword=S3cret!`);
    for (const secret of ['MIIEvQIB', jwt, 'abcdefghijklmnop', 'Hunter2!x', 'S3cret!']) expect(text).not.toContain(secret);
    expect(redact('nothing secret here')).toBe('nothing secret here');
  });
});
