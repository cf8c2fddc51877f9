import { Field, MessageBar, MessageBarBody, Radio, RadioGroup, Spinner, Text } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { AccountRow, LinkCandidate } from './sync-types';
import { toApiError } from '../../stores/remote-value';
import { api, type ApiError } from '../../transport/api';
import { accountName } from './account-state';
import { ConfirmDialog } from './confirm-dialog';

type Candidate = LinkCandidate;

/** Props: the directory user to link, and what to do with the chosen online account. */
export interface LinkDialogProps {
  row: AccountRow;
  busy: boolean;
  onLink(onlineId: string): void;
  onCancel(): void;
}

/**
 * Side by side: the directory user and the online accounts that match it (by user name or mail). Accounts
 * already anchored to someone else are shown but can't be picked, so a wrong link can't happen by accident.
 */
export function LinkDialog({ row, busy, onLink, onCancel }: LinkDialogProps) {
  const [candidates, setCandidates] = useState<Candidate[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [choice, setChoice] = useState('');
  useEffect(() => {
    let live = true;
    api['sync:find-matches'](row.objectGuid)
      .then((c) => live && setCandidates(c))
      .catch((e: unknown) => live && setError(toApiError(e)));
    return () => {
      live = false;
    };
  }, [row.objectGuid]);
  return (
    <ConfirmDialog title="Link to an existing online account" confirmLabel="Link" busy={busy} confirmDisabled={!choice} onConfirm={() => onLink(choice)} onCancel={onCancel}>
      <Text>
        Directory user: <strong>{accountName(row)}</strong>
      </Text>
      {error ? (
        <MessageBar intent="error">
          <MessageBarBody>Couldn’t look for matching online accounts: {error.message}</MessageBarBody>
        </MessageBar>
      ) : candidates === null ? (
        <Spinner size="small" label="Looking for matching online accounts…" />
      ) : candidates.length === 0 ? (
        <Text>No online account matches this user’s name or email address.</Text>
      ) : (
        <Field label="Online account">
          <RadioGroup value={choice} onChange={(_e, d) => setChoice(d.value)}>
            {candidates.map((c) => (
              <Radio
                key={c.onlineId}
                value={c.onlineId}
                disabled={c.anchoredElsewhere}
                label={`${c.displayName} — ${c.userPrincipalName} (matched by ${c.matchedBy === 'upn' ? 'user name' : 'email'})${c.anchoredElsewhere ? ' · already linked to another user' : ''}`}
              />
            ))}
          </RadioGroup>
        </Field>
      )}
    </ConfirmDialog>
  );
}
