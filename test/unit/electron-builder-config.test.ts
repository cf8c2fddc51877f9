import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '../..');
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config');
const { DebugLogger } = require('builder-util');

describe('electron-builder configuration', () => {
  it('passes app-builder-lib validation', async () => {
    const config = await getConfig(root, path.join(root, 'build/electron-builder.yml'), null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    expect(config.appId).toBe('org.openessentials.dashboard');
    expect(JSON.stringify(config.files)).toContain('dist/electron/**');
  });

  it('rejects an invalid configuration (the check can fail)', async () => {
    const config = await getConfig(root, path.join(root, 'build/electron-builder.yml'), null);
    await expect(validateConfiguration({ ...config, nsis: { oneClick: 'sometimes' } }, new DebugLogger(false))).rejects.toThrow();
  });
});
