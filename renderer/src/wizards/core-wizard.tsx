import { DialogBody, DialogTitle, MessageBar, MessageBarBody, Spinner, Text } from '@fluentui/react-components';
import { useCallback, useEffect } from 'react';
import type { WizardKind } from '../../../shared/contract';
import { assertNever } from '../../../shared/assert-never';
import { ChangeAdminChoosePage, ChangeAdminIntroPage, DisableConfirmPage, FinishedPage } from './admin-pages';
import { cancelCoreWizard, coreWizardStore, startCoreWizard, submitWizard, useCoreWizard, useWizardCallError } from './core-wizard-store';
import { ConnectDirectoryPage, GetStartedPage, PrerequisitesPage, TrustCertificatePage } from './directory-pages';
import { CancelButton, StepError, StepLayout, WizardChrome, type StepProps } from './step-layout';
import { BootstrapFailedPage, ChooseScopePage, ReviewPlanPage, SignInPage, WorkingPage } from './tenant-pages';
import { WIZARDS, type WizardProps } from './wizard-registry';
import { setCloseGuard } from './wizard-store';

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
 * A wizard the core runs (Integrate, Change the administrator account, Disable): starts or re-attaches to it,
 * mirrors its state from `wizard:state-changed`, and cancels it in the core when the dialog closes.
 */
export function CoreWizard({ kind, onClose }: WizardProps & { kind: WizardKind }) {
  const state = useCoreWizard();
  const callError = useWizardCallError();
  const mine = state.wizard === kind ? state : null;

  useEffect(() => {
    void startCoreWizard(kind);
  }, [kind]);

  const close = useCallback(async () => {
    const current = coreWizardStore.get();
    const reload = current.step?.kind === 'finished' && current.step.reload;
    if (current.wizard === kind && !(await cancelCoreWizard())) return;
    onClose();
    if (reload) window.location.reload();
  }, [kind, onClose]);

  useEffect(() => {
    setCloseGuard(() => void close());
    return () => setCloseGuard(null);
  }, [close]);

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

  const chrome = (
    <>
      {mine?.position ? (
        <Text size={300} data-testid="wizard-position">
          Step {mine.position.index} of {mine.position.total}: {mine.position.label}
        </Text>
      ) : null}
      {callError ? (
        <StepError error={callError} />
      ) : mine?.error ? (
        <StepError error={mine.error} />
      ) : mine?.resumed && mine.position ? (
        <MessageBar intent="info">
          <MessageBarBody>Continuing where you left off.</MessageBarBody>
        </MessageBar>
      ) : null}
    </>
  );
  return (
    <DialogBody>
      <DialogTitle>{WIZARDS[kind].title}</DialogTitle>
      <WizardChrome.Provider value={chrome}>
        {mine?.step ? (
          <Page state={mine} busy={mine.busy} submit={(input) => void submitWizard(input)} close={() => void close()} />
        ) : (
          <StepLayout busy={!callError} actions={<CancelButton close={() => void close()} label="Close" />}>
            {callError ? null : <Spinner label="Starting the wizard…" />}
          </StepLayout>
        )}
      </WizardChrome.Provider>
    </DialogBody>
  );
}

/** The three Microsoft 365 wizards as registry components. */
export function IntegrateWizard(props: WizardProps) {
  return <CoreWizard kind="integrate" {...props} />;
}

/** Change the administrator account. */
export function ChangeAdminWizard(props: WizardProps) {
  return <CoreWizard kind="change-admin" {...props} />;
}

/** Disable integration. */
export function DisableWizard(props: WizardProps) {
  return <CoreWizard kind="disable" {...props} />;
}
