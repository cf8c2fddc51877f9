import { describe, expect, it } from 'vitest';
import { usedPercent, sortDomains, integrationFacts } from '../../renderer/src/pages/office-365/overview-format';
import { reportFor } from '../../renderer/src/pages/users/action-result-bar';
import { actionTargets } from '../../renderer/src/pages/users/action-targets';
import { accountName, describeAccount } from '../../renderer/src/pages/users/account-state';
import { runPerAccount } from '../../renderer/src/pages/users/run-per-account';
import type { AccountRow } from '../../renderer/src/pages/users/sync-types';
import { ApiError } from '../../renderer/src/transport/api';

function row(over: Partial<AccountRow>): AccountRow {
  return {
    objectGuid: '00000001-1111-4222-8333-000000000001', displayName: 'Alex Wilber', sAMAccountName: 'alexw', directoryUpn: 'alexw@contoso.com', enabled: true,
    onlineId: null, onlineUpn: null, passwordSyncedAt: null, pending: 0, issue: null, deleteHold: false, ...over,
  };
}

describe('describeAccount', () => {
  it('tells linked, not linked, deactivated and error apart, with the reason for errors', () => {
    expect(describeAccount(row({ onlineId: 'x' }))).toMatchObject({ state: 'linked', label: 'Linked' });
    expect(describeAccount(row({}))).toMatchObject({ state: 'not-linked', label: 'Not linked' });
    expect(describeAccount(row({ onlineId: 'x', enabled: false }))).toMatchObject({ state: 'disabled', label: 'Deactivated' });
    expect(describeAccount(row({ onlineId: 'x', issue: 'Name already exists online.' }))).toMatchObject({ state: 'error', reason: 'Name already exists online.' });
    expect(describeAccount(row({ onlineId: 'x', deleteHold: true })).label).toBe('Removal waiting');
  });

  it('names an account the way an admin recognises it', () => {
    expect(accountName(row({}))).toBe('Alex Wilber (alexw@contoso.com)');
    expect(accountName(row({ displayName: '', directoryUpn: null }))).toBe('alexw (alexw)');
  });
});

describe('runPerAccount', () => {
  it('keeps going after failures and reports each failed account with the core’s reason, in order', async () => {
    const items = ['ann', 'bob', 'cat', 'dan', 'eve'];
    const outcome = await runPerAccount(items, (n) => n.toUpperCase(), async (n) => {
      await new Promise((r) => setTimeout(r, n === 'bob' ? 20 : 1));
      if (n === 'bob') throw new ApiError('not-found', 'The online account no longer exists.');
      if (n === 'dan') return { ok: false, message: 'Blocked by policy.' };
      return { ok: true, message: 'done' };
    }, 2);
    expect(outcome.ok).toBe(3);
    expect(outcome.failures).toEqual([
      { name: 'BOB', reason: 'The online account no longer exists.' },
      { name: 'DAN', reason: 'Blocked by policy.' },
    ]);
  });

  it('handles an empty selection and a plain thrown Error', async () => {
    expect(await runPerAccount([], String, async () => ({ ok: true, message: '' }))).toEqual({ ok: 0, failures: [] });
    const out = await runPerAccount(['x'], String, async () => { throw new Error('socket hang up'); });
    expect(out.failures).toEqual([{ name: 'x', reason: 'socket hang up' }]);
  });
});

describe('reportFor and actionTargets', () => {
  it('words all-ok, partial and total failure', () => {
    expect(reportFor('deactivated', 3, [])).toMatchObject({ intent: 'success', title: '3 accounts deactivated.' });
    expect(reportFor('deactivated', 3, [{ name: 'a', reason: 'r' }])).toMatchObject({ intent: 'warning', title: '2 accounts deactivated; 1 failed.' });
    expect(reportFor('linked', 1, [{ name: 'a', reason: 'r' }])).toMatchObject({ intent: 'error', title: 'No accounts were linked.' });
  });

  it('enables each action only for the selected rows it applies to', () => {
    const online = row({ objectGuid: 'a', onlineId: 'o' });
    const offline = row({ objectGuid: 'b' });
    expect(actionTargets('add', [online, offline])).toEqual([offline]);
    expect(actionTargets('deactivate', [online, offline])).toEqual([online]);
    expect(actionTargets('link', [offline])).toEqual([offline]);
    expect(actionTargets('link', [online])).toEqual([]);
    expect(actionTargets('reset', [online, offline])).toEqual([]);
  });
});

describe('Office 365 overview formatting', () => {
  it('draws license bars sensibly for empty and over-assigned subscriptions', () => {
    expect(usedPercent({ total: 25, used: 3 })).toBe(12);
    expect(usedPercent({ total: 10, used: 12 })).toBe(100);
    expect(usedPercent({ total: 0, used: 0 })).toBe(0);
    expect(usedPercent({ total: 0, used: 2 })).toBe(100);
  });

  it('lists the default domain first, then verified, initial, unverified', () => {
    const d = (name: string, status: 'initial' | 'verified' | 'unverified', isDefault = false) => ({ name, status, isDefault, isInitial: status === 'initial', isVerified: status !== 'unverified' });
    const sorted = sortDomains([d('z.com', 'unverified'), d('contoso.onmicrosoft.com', 'initial'), d('b.com', 'verified'), d('a.com', 'verified', true)]);
    expect(sorted.map((x) => x.name)).toEqual(['a.com', 'b.com', 'contoso.onmicrosoft.com', 'z.com']);
  });

  it('shows "Not recorded" rather than blanks for missing integration facts', () => {
    const facts = integrationFacts({
      integrated: true, integratedAt: null, adminUpn: null, tenantId: 't', clientId: null, certificateThumbprintSha256: null, certificateExpiresAt: null,
      defaultDomain: 'contoso.com', scopeDns: [], syncState: 'idle', lastSyncAt: null, lastError: null,
    });
    expect(facts).toEqual([
      { label: 'Integrated on', text: 'Not recorded' },
      { label: 'Administrator', text: 'Not recorded' },
      { label: 'Default domain', text: 'contoso.com' },
      { label: 'Last sync', text: 'Never' },
      { label: 'Tenant ID', text: 't' },
    ]);
  });
});
