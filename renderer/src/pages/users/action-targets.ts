import type { AccountRow } from './sync-types';
import type { UserActionKind } from './use-user-actions';

/** Which selected rows each action applies to (an action with none is disabled). */
export function actionTargets(kind: Exclude<UserActionKind, 'sync' | 'deletes'>, selected: AccountRow[]): AccountRow[] {
  switch (kind) {
    case 'add':
      return selected.filter((r) => !r.onlineId);
    case 'link':
      return selected.length === 1 && !selected[0]?.onlineId ? selected : [];
    case 'reset':
      return selected.length === 1 ? selected : [];
    case 'deactivate':
    case 'remove':
      return selected.filter((r) => r.onlineId);
  }
}
