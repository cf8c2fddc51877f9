import { Toolbar, ToolbarButton, ToolbarDivider, Tooltip } from '@fluentui/react-components';
import { DeleteRegular, KeyResetRegular, LinkRegular, PersonAddRegular, PersonProhibitedRegular } from '@fluentui/react-icons';
import { actionTargets } from './action-targets';
import type { AccountRow } from './sync-types';
import type { UserActionKind } from './use-user-actions';

const ACTIONS = [
  { kind: 'add', label: 'Add online accounts', icon: <PersonAddRegular />, hint: 'Select users without an online account.' },
  { kind: 'link', label: 'Link to an existing online account', icon: <LinkRegular />, hint: 'Select one user without an online account.' },
  { kind: 'reset', label: 'Reset password', icon: <KeyResetRegular />, hint: 'Select one user.' },
  { kind: 'deactivate', label: 'Deactivate', icon: <PersonProhibitedRegular />, hint: 'Select users with an online account.' },
  { kind: 'remove', label: 'Remove', icon: <DeleteRegular />, hint: 'Select users with an online account.' },
] as const;

/** The account actions, enabled by what is selected; a disabled one says what to select instead. */
export function UsersToolbar({ selected, busy, onAction }: { selected: AccountRow[]; busy: boolean; onAction(kind: UserActionKind, rows: AccountRow[]): void }) {
  return (
    <Toolbar aria-label="Account actions" size="small" style={{ flexWrap: 'wrap', padding: 0 }}>
      {ACTIONS.map((a, i) => {
        const targets = actionTargets(a.kind, selected);
        const button = (
          <ToolbarButton key={a.kind} icon={a.icon} disabledFocusable={busy || targets.length === 0} onClick={() => onAction(a.kind, targets)}>
            {a.label}
            {targets.length > 1 ? ` (${targets.length})` : ''}
          </ToolbarButton>
        );
        return (
          <span key={a.kind} style={{ display: 'contents' }}>
            {i === 3 ? <ToolbarDivider /> : null}
            {targets.length === 0 ? <Tooltip content={a.hint} relationship="description">{button}</Tooltip> : button}
          </span>
        );
      })}
    </Toolbar>
  );
}
