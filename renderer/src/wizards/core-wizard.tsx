import { DialogBody, DialogTitle, MessageBar, MessageBarBody, Text } from '@fluentui/react-components';
import { useCallback, useEffect } from 'react';
import type { WizardKind } from '../../../shared/contract';
import { assertNever } from '../../../shared/assert-never';
import { ChangeAdminChoosePage, ChangeAdminIntroPage, DisableConfirmPage, FinishedPage } from './admin-pages';
import { cancelWizard, coreWizard, dismissCallError, submitWizard, useCoreWizard, useWizardCallError } from './core-wizard-store';
import { ConnectDirectoryPage, GetStartedPage, PrerequisitesPage, TrustCertificatePage } from './directory-pages';
import { CancelButton, StepError, StepLayout, WizardChrome, type StepProps } from './step-layout';
import { BootstrapFailedPage, ChooseScopePage, ReviewPlanPage, SignInPage, WorkingPage } from './tenant-pages';

/** Renders the current page by its `kind`; adding a page kind to the contract fails to compile here. */
function Page(props: StepProps) {
  const step = props.state.step;
  if (!step) return null;
  switch (step.kind) {
    case 'get-started':
      return <GetStartedPage {...props} step={step} />;
    case 'connect-directory':
      return <ConnectDirectoryPage key={step.url} {...props} step={step} />;
    case 'trust-certificate':
      return <TrustCertificatePage {...props} step={step} />;
    case 'prerequisites':
      return <PrerequisitesPage {...props} step={step} />;
    case 'sign-in':
      return <SignInPage {...props} step={step} />;
    case 'review-plan':
      return <ReviewPlanPage {...props} step={step} />;
    case 'working':
      return <WorkingPage {...props} step={step} />;
    case 'bootstrap-failed':
      return <BootstrapFailedPage {...props} step={step} />;
    case 'choose-scope':
      return <ChooseScopePage {...props} step={step} />;
    case 'change-admin-intro':
      return <ChangeAdminIntroPage {...props} step={step} />;
    case 'change-admin-choose':
      return <ChangeAdminChoosePage {...props} step={step} />;
    case 'disable-confirm':
      return <DisableConfirmPage {...props} step={step} />;
    case 'finished':
      return <FinishedPage {...props} step={step} />;
    default:
      return assertNever(step, 'Unknown wizard page');
  }
}

/**
 * The open wizard as the core runs it: draws its current page, submits each action with the page it was done on,
 * and cancels it in the core when the dialog closes (the dialog itself closes when the core says no wizard is open).
 */
export function CoreWizard({ kind, title, registerClose }: { kind: WizardKind; title: string; registerClose(close: () => void): void }) {
  const state = useCoreWizard();
  const callError = useWizardCallError();
  const mine = state?.wizard === kind ? state : null;

  const close = useCallback(async () => {
    const current = coreWizard.store.get().value;
    const reload = current?.step?.kind === 'finished' && current.step.reload;
    if (current?.wizard === kind && !(await cancelWizard(kind))) return;
    dismissCallError();
    if (reload) window.location.reload();
  }, [kind]);

  useEffect(() => registerClose(() => void close()), [close, registerClose]);

  // When a page changes, the focused button can disappear and focus falls back to <body>, where Fluent's
  // Dialog no longer sees Escape. Catch that one case here. (Moving focus programmatically into the dialog
  // while it has no enabled control made tabster's focus trap spin, so focus is left alone.)
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && (document.activeElement === document.body || document.activeElement === null)) void close();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [close]);

  const error = callError?.kind === kind ? callError.error : null;
  const chrome = (
    <>
      {mine?.position ? (
        <Text size={300} data-testid="wizard-position">
          Step {mine.position.index} of {mine.position.total}: {mine.position.label}
        </Text>
      ) : null}
      {error ? (
        <StepError error={error} />
      ) : mine?.error ? (
        <StepError error={mine.error} />
      ) : mine?.resumed && mine.position ? (
        <MessageBar intent="info">
          <MessageBarBody>Continuing where you left off.</MessageBarBody>
        </MessageBar>
      ) : null}
    </>
  );
  const step = mine?.step;
  return (
    <DialogBody>
      <DialogTitle>{title}</DialogTitle>
      <WizardChrome.Provider value={chrome}>
        {mine && step ? (
          <Page state={mine} busy={mine.busy} submit={(input) => void submitWizard(kind, step.kind, input)} close={() => void close()} />
        ) : (
          <StepLayout busy={!error} actions={<CancelButton close={() => void close()} label="Close" />}>
            {null}
          </StepLayout>
        )}
      </WizardChrome.Provider>
    </DialogBody>
  );
}
