import { Checkbox, Field, Input, Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { AccountRow } from './sync-types';
import { accountName } from './account-state';
import { ConfirmDialog } from './confirm-dialog';

/** Props: whose password, and what to do with the new one. */
export interface ResetPasswordDialogProps {
  row: AccountRow;
  busy: boolean;
  onReset(password: string, mustChange: boolean): void;
  onCancel(): void;
}

/** Asks for the new password twice; it is set on the server and the same password goes online. */
export function ResetPasswordDialog({ row, busy, onReset, onCancel }: ResetPasswordDialogProps) {
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [mustChange, setMustChange] = useState(true);
  const mismatch = again.length > 0 && again !== password;
  return (
    <ConfirmDialog
      title="Reset password"
      confirmLabel="Reset password"
      busy={busy}
      confirmDisabled={!password || password !== again}
      onConfirm={() => onReset(password, mustChange)}
      onCancel={onCancel}
    >
      <Text>
        New password for <strong>{accountName(row)}</strong>. The online account gets the same password.
      </Text>
      <Field label="New password" required>
        <Input type="password" value={password} onChange={(_e, d) => setPassword(d.value)} autoComplete="new-password" />
      </Field>
      <Field label="Confirm the password" required validationState={mismatch ? 'error' : 'none'} validationMessage={mismatch ? 'The passwords don’t match.' : undefined}>
        <Input type="password" value={again} onChange={(_e, d) => setAgain(d.value)} autoComplete="new-password" />
      </Field>
      <Checkbox checked={mustChange} onChange={(_e, d) => setMustChange(d.checked === true)} label="The user must change the password at next sign-in" />
    </ConfirmDialog>
  );
}
