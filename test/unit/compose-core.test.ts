import { afterEach, describe, expect, it } from 'vitest';
import type { EventChannel } from '../../shared/contract';
import { createCore, type Core } from '../../electron/host/compose-core';
import { fakeSyncPorts } from '../support/sync-fakes';
import { makeTempDir } from '../support/temp-dir';
import { testContext } from '../support/test-context';

let core: Core | undefined;
const tmp = makeTempDir('oe-compose-');
afterEach(async () => {
  await core?.dispose();
});

describe('the composition root', () => {
  it('turns one "integration changed" into exactly one announcement, and the status is computed by the engine alone', async () => {
    const ctx = testContext(tmp.dir);
    core = createCore({ mode: 'headless', dataDir: tmp.dir, settings: ctx.settings, secrets: ctx.secrets, log: ctx.log, serverName: 'DC1', syncPorts: fakeSyncPorts() });
    await core.start();
    const seen: EventChannel[] = [];
    core.events.subscribe((c) => seen.push(c));
    ctx.settings.update((s) => ({ ...s, tenant: { endpoints: { authorityHost: 'https://login.example', graphBaseUrl: 'https://graph.example' }, tenantId: 't1', integratedAt: new Date().toISOString() } }));
    core.context.signals.emit('integrationChanged');
    await expect.poll(async () => (await core!.handlers['sync:get-status']()).message).toBe('Preview the first sync, then run it.');
    expect(seen.filter((c) => c === 'app:info-changed')).toHaveLength(1);
    expect((await core.handlers['app:get-info']()).integrated).toBe(true);
    // The Office 365 page's sync state is the engine's own status, asked for, not a cached copy.
    expect((await core.handlers['tenant:get-overview']()).integration.syncState).toBe((await core.handlers['sync:get-status']()).state);
  });
});
