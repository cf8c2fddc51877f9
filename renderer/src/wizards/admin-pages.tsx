import { Button, Checkbox, Radio, RadioGroup, Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { WizardStep } from '../../../shared/contract';
import { CancelButton, CheckList, StepLayout, type StepProps, PrimaryBackCancel } from './step-layout';

type Step<K extends WizardStep['kind']> = Extract<WizardStep, { kind: K }>;

/** Change the administrator account: what it does. */
export function ChangeAdminIntroPage({ step, busy, submit, close }: StepProps & { step: Step<'change-admin-intro'> }) {
  return (
    <StepLayout
      busy={busy}
      actions={
        <>
          <Button appearance="primary" disabled={busy} onClick={() => submit({ action: 'next' })}>
            Next
          </Button>
          <CancelButton close={close} />
        </>
      }
    >
      <Text>
        {step.currentAdminUpn ? <>This server was connected by <strong>{step.currentAdminUpn}</strong>. </> : null}
        Sign in as another Global Administrator to take over, for example when that person leaves. You can also replace the server's app certificate.
      </Text>
    </StepLayout>
  );
}

/** Keep the app credential, or replace it with a new certificate. */
export function ChangeAdminChoosePage({ step, busy, submit, close }: StepProps & { step: Step<'change-admin-choose'> }) {
  const [mode, setMode] = useState<'rebind' | 'rotate'>(step.appFound ? 'rebind' : 'rotate');
  return (
    <StepLayout
      busy={busy}
      actions={
        <PrimaryBackCancel label="Change" disabled={busy} onPrimary={() => submit({ action: 'change-admin', mode })} busy={busy} submit={submit} close={close} />
      }
    >
      <Text>
        Signed in as <strong>{step.adminUpn}</strong>.
      </Text>
      <RadioGroup value={mode} onChange={(_e, d) => setMode(d.value as 'rebind' | 'rotate')} aria-label="Credential">
        <Radio value="rebind" disabled={!step.appFound} label="Keep the server's app credential and record the new administrator" />
        <Radio value="rotate" label="Also create a new certificate for the app and retire the old one (recommended if the old administrator had access to this server)" />
      </RadioGroup>
      {!step.appFound ? <Text>The app registration was removed from Microsoft 365; disable the integration and run Integrate again.</Text> : null}
    </StepLayout>
  );
}

/** Disable: what stops, what stays, and whether to remove the app registration too. */
export function DisableConfirmPage({ step, busy, submit, close }: StepProps & { step: Step<'disable-confirm'> }) {
  const [remove, setRemove] = useState(step.applicationName !== null);
  return (
    <StepLayout
      busy={busy}
      actions={
        <>
          <Button appearance="primary" disabled={busy} onClick={() => submit({ action: 'disable', removeAppRegistration: remove })}>
            Disable integration
          </Button>
          <CancelButton close={close} />
        </>
      }
    >
      <Text>
        Password and account sync with Microsoft 365{step.tenantName ? ` (${step.tenantName})` : ''} stops, and this server's credentials for it are removed. Disabling or removing a
        user here no longer touches their online account. You can integrate again at any time.
      </Text>
      <Text weight="semibold">Left exactly as they are in Microsoft 365:</Text>
      <ul style={{ margin: 0 }}>
        {step.keeps.map((k) => (
          <li key={k}>{k}</li>
        ))}
      </ul>
      {step.applicationName ? (
        <Checkbox
          checked={remove}
          onChange={(_e, d) => setRemove(Boolean(d.checked))}
          label={`Also remove the app registration "${step.applicationName}" from Microsoft 365 (you sign in as an administrator; skipped if Microsoft 365 can't be reached)`}
        />
      ) : null}
    </StepLayout>
  );
}

/** The last page: what happened. Closing reloads the dashboard when the wizard says so. */
export function FinishedPage({ step, close }: StepProps & { step: Step<'finished'> }) {
  return (
    <StepLayout busy={false} actions={<Button appearance="primary" onClick={close}>{step.reload ? 'Close and reload the dashboard' : 'Close'}</Button>}>
      <Text weight="semibold">{step.title}</Text>
      <CheckList checks={step.outcomes} />
    </StepLayout>
  );
}
