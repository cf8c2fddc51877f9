import { Button, makeStyles, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, tokens } from '@fluentui/react-components';
import { DismissRegular } from '@fluentui/react-icons';
import type { AccountFailure } from './run-per-account';

/** What the last action did, for the bar under the toolbar. */
export interface ActionReport {
  intent: 'success' | 'warning' | 'error';
  title: string;
  message?: string;
  failures: AccountFailure[];
}

const useStyles = makeStyles({
  list: { margin: `${tokens.spacingVerticalXS} 0 0`, paddingLeft: tokens.spacingHorizontalL, maxHeight: '160px', overflowY: 'auto' },
});

/** Shows an action's outcome; every failed account is listed by name with the core's reason. */
export function ActionResultBar({ report, onDismiss }: { report: ActionReport; onDismiss(): void }) {
  const styles = useStyles();
  return (
    <MessageBar intent={report.intent} layout="multiline" data-testid="action-result">
      <MessageBarBody>
        <MessageBarTitle>{report.title}</MessageBarTitle>
        {report.message ?? null}
        {report.failures.length > 0 ? (
          <ul className={styles.list} aria-label="Accounts that failed">
            {report.failures.map((f, i) => (
              <li key={`${f.name}-${i}`}>
                <strong>{f.name}</strong>: {f.reason}
              </li>
            ))}
          </ul>
        ) : null}
      </MessageBarBody>
      <MessageBarActions containerAction={<Button appearance="transparent" aria-label="Dismiss" icon={<DismissRegular />} onClick={onDismiss} />} />
    </MessageBar>
  );
}

/** Turns a bulk outcome into the bar's words: "3 accounts deactivated" or "2 of 5 couldn't be …". */
export function reportFor(verb: string, attempted: number, failures: AccountFailure[]): ActionReport {
  const done = attempted - failures.length;
  const plural = (n: number) => `${n} account${n === 1 ? '' : 's'}`;
  if (failures.length === 0) return { intent: 'success', title: `${plural(done)} ${verb}.`, failures };
  return {
    intent: done === 0 ? 'error' : 'warning',
    title: done === 0 ? `No accounts were ${verb}.` : `${plural(done)} ${verb}; ${failures.length} failed.`,
    failures,
  };
}
