import { Button, DialogActions, DialogContent, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Spinner, Text, tokens } from '@fluentui/react-components';
import { CheckmarkCircleFilled, DismissCircleFilled, ErrorCircleFilled, WarningFilled, ArrowUndoRegular, CircleRegular } from '@fluentui/react-icons';
import { createContext, useContext, type ReactNode } from 'react';
import type { CheckResult, PlanItem, WizardInput, WizardState } from '../../../shared/contract';

/** What every page component gets: the core's state and a way to submit the page. */
export interface StepProps {
  state: WizardState;
  busy: boolean;
  submit(input: WizardInput): void;
  close(): void;
}

export const useStepStyles = makeStyles({
  content: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minHeight: '220px' },
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  row: { display: 'grid', gridTemplateColumns: '24px minmax(0, 1fr)', gap: tokens.spacingHorizontalS, alignItems: 'start' },
  muted: { color: tokens.colorNeutralForeground2 },
  mono: { fontFamily: tokens.fontFamilyMonospace, wordBreak: 'break-all' },
  pass: { color: tokens.colorPaletteGreenForeground1 },
  warn: { color: tokens.colorPaletteDarkOrangeForeground1 },
  fail: { color: tokens.colorPaletteRedForeground1 },
});

/** What the wizard frame shows above every page: "Step n of m" and the last error. */
export const WizardChrome = createContext<ReactNode>(null);

/** A page: its content, then its buttons (the first primary), with a spinner while the core works. */
export function StepLayout({ children, actions, busy }: { children: ReactNode; actions: ReactNode; busy: boolean }) {
  const styles = useStepStyles();
  const chrome = useContext(WizardChrome);
  return (
    <>
      <DialogContent className={styles.content}>
        {chrome}
        {children}
      </DialogContent>
      <DialogActions>
        {busy ? <Spinner size="tiny" label="Working…" /> : null}
        {actions}
      </DialogActions>
    </>
  );
}

/** The common button row: one primary action, Back, Cancel. */
export function PrimaryBackCancel({ label, disabled, onPrimary, busy, submit, close }: { label: string; disabled: boolean; onPrimary(): void } & Omit<StepProps, 'state'>) {
  return (
    <>
      <Button appearance="primary" disabled={disabled} onClick={onPrimary}>
        {label}
      </Button>
      <Button disabled={busy} onClick={() => submit({ action: 'back' })}>
        Back
      </Button>
      <CancelButton close={close} />
    </>
  );
}

/** Cancel/Close, always last. */
export function CancelButton({ close, label = 'Cancel', disabled }: { close(): void; label?: string; disabled?: boolean }) {
  return (
    <Button disabled={disabled} onClick={close}>
      {label}
    </Button>
  );
}

const CHECK_ICON = { pass: CheckmarkCircleFilled, warn: WarningFilled, fail: ErrorCircleFilled } as const;
const CHECK_WORD = { pass: 'Passed', warn: 'Warning', fail: 'Failed' } as const;

/** Pass/warn/fail results with their fix (prerequisites, finish page). */
export function CheckList({ checks }: { checks: readonly CheckResult[] }) {
  const styles = useStepStyles();
  return (
    <ul className={styles.list} aria-label="Results">
      {checks.map((c) => {
        const Icon = CHECK_ICON[c.status];
        return (
          <li key={c.id} className={styles.row} data-check={c.id} data-status={c.status}>
            <Icon className={styles[c.status]} aria-label={CHECK_WORD[c.status]} />
            <div>
              <Text weight="semibold">{c.title}</Text>
              <br />
              <Text>{c.detail}</Text>
              {c.fix ? (
                <>
                  <br />
                  <Text className={styles.muted}>How to fix: {c.fix}</Text>
                </>
              ) : null}
            </div>
          </li>
        );
      })}
    </ul>
  );
}

const PLAN_WORD: Record<PlanItem['status'], string> = {
  planned: 'Will be created', running: 'Creating', done: 'Created', failed: 'Failed', undone: 'Removed again', 'undo-failed': 'Could not be removed',
};

function PlanIcon({ status }: { status: PlanItem['status'] }) {
  const styles = useStepStyles();
  switch (status) {
    case 'planned':
      return <CircleRegular aria-label={PLAN_WORD[status]} />;
    case 'running':
      return <Spinner size="extra-tiny" aria-label={PLAN_WORD[status]} />;
    case 'done':
      return <CheckmarkCircleFilled className={styles.pass} aria-label={PLAN_WORD[status]} />;
    case 'failed':
    case 'undo-failed':
      return <DismissCircleFilled className={styles.fail} aria-label={PLAN_WORD[status]} />;
    case 'undone':
      return <ArrowUndoRegular aria-label={PLAN_WORD[status]} />;
  }
}

/** What the bootstrap will create / is creating / undid. */
export function PlanList({ items }: { items: readonly PlanItem[] }) {
  const styles = useStepStyles();
  return (
    <ul className={styles.list} aria-label="Changes in Microsoft 365">
      {items.map((i) => (
        <li key={i.id} className={styles.row} data-item={i.id} data-status={i.status}>
          <PlanIcon status={i.status} />
          <div>
            <Text weight="semibold">{i.title}</Text> <Text className={styles.muted}>— {PLAN_WORD[i.status]}</Text>
            <br />
            <Text className={styles.muted}>{i.detail}</Text>
          </div>
        </li>
      ))}
    </ul>
  );
}

/** The core's refusal of the last action, shown above the page. */
export function StepError({ error }: { error: { code: string; message: string } }) {
  return (
    <MessageBar intent="error" layout="multiline" data-testid="wizard-error">
      <MessageBarBody>
        <MessageBarTitle>That didn't work</MessageBarTitle>
        {error.message} <span style={{ opacity: 0.8 }}>(code: {error.code})</span>
      </MessageBarBody>
    </MessageBar>
  );
}
