import { Button, Field, Input, MessageBar, MessageBarBody, Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { WizardStep } from '../../../shared/contract';
import { openExternal } from '../lib/open-external';
import { CancelButton, CheckList, StepLayout, useStepStyles, type StepProps, PrimaryBackCancel } from './step-layout';

type Step<K extends WizardStep['kind']> = Extract<WizardStep, { kind: K }>;

/** Get started: already subscribed, or sign up first (Microsoft's page opens; the wizard waits). */
export function GetStartedPage({ step, busy, submit, close }: StepProps & { step: Step<'get-started'> }) {
  const [linkError, setLinkError] = useState<string | null>(null);
  return (
    <StepLayout
      busy={busy}
      actions={
        <>
          <Button appearance="primary" disabled={busy} onClick={() => submit({ action: 'choose-subscription', choice: 'have' })}>
            I already have a subscription
          </Button>
          <Button
            disabled={busy}
            onClick={() => {
              submit({ action: 'choose-subscription', choice: 'need' });
              openExternal(step.signUpUrl).catch((e: unknown) => setLinkError(e instanceof Error ? e.message : String(e)));
            }}
          >
            I need a subscription
          </Button>
          <CancelButton close={close} />
        </>
      }
    >
      <Text>
        This wizard connects the server to Microsoft 365: user accounts, passwords and licenses are then managed from this dashboard.
        It checks the server, asks you to sign in as a Microsoft 365 administrator, and shows exactly what it will create before it creates anything.
      </Text>
      <Text>No subscription yet? Sign up or start a trial on Microsoft's site, then come back and choose "I already have a subscription".</Text>
      {linkError ? (
        <MessageBar intent="error">
          <MessageBarBody>{linkError}</MessageBarBody>
        </MessageBar>
      ) : null}
    </StepLayout>
  );
}

/** The domain controller and the service account the dashboard uses (LDAPS only). */
export function ConnectDirectoryPage({ step, busy, submit, close }: StepProps & { step: Step<'connect-directory'> }) {
  const [url, setUrl] = useState(step.url);
  const [bindUpn, setBindUpn] = useState(step.bindUpn);
  const [password, setPassword] = useState('');
  const send = () => submit({ action: 'connect-directory', url, bindUpn, ...(password ? { password } : {}) });
  return (
    <StepLayout
      busy={busy}
      actions={
        <PrimaryBackCancel label="Next" disabled={busy || !url || !bindUpn || (!password && !step.passwordStored)} onPrimary={send} busy={busy} submit={submit} close={close} />
      }
    >
      <Text>Which domain controller should the dashboard manage? It connects over LDAPS (encrypted) only.</Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          send();
        }}
        style={{ display: 'flex', flexDirection: 'column', gap: 12 }}
      >
        <Field label="Domain controller" hint="For example ldaps://dc1.contoso.local">
          <Input value={url} onChange={(_e, d) => setUrl(d.value)} name="dc-url" />
        </Field>
        <Field label="Service account" hint="name@domain, with rights to manage users">
          <Input value={bindUpn} onChange={(_e, d) => setBindUpn(d.value)} name="bind-upn" autoComplete="username" />
        </Field>
        <Field label="Password" hint={step.passwordStored ? 'Stored in this server\'s credential store. Leave empty to keep it.' : undefined}>
          <Input type="password" value={password} onChange={(_e, d) => setPassword(d.value)} name="bind-password" autoComplete="current-password" />
        </Field>
        <button type="submit" hidden />
      </form>
    </StepLayout>
  );
}

function pairs(hex: string): string {
  return (hex.toUpperCase().match(/.{1,2}/g) ?? []).join(':');
}

/** Trust on first use: the certificate's fingerprint, for the admin to compare and approve. */
export function TrustCertificatePage({ step, busy, submit, close }: StepProps & { step: Step<'trust-certificate'> }) {
  const styles = useStepStyles();
  const c = step.certificate;
  return (
    <StepLayout
      busy={busy}
      actions={
        <>
          <Button appearance="primary" disabled={busy} onClick={() => submit({ action: 'trust-certificate', approve: true, fingerprintSha256: c.fingerprintSha256 })}>
            Trust this certificate
          </Button>
          <Button disabled={busy} onClick={() => submit({ action: 'trust-certificate', approve: false, fingerprintSha256: c.fingerprintSha256 })}>
            Don't trust it
          </Button>
          <CancelButton close={close} />
        </>
      }
    >
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>{step.reason}</MessageBarBody>
      </MessageBar>
      <Text>
        {step.url} presented this certificate. Compare its fingerprint with the one on the domain controller (certlm.msc › Personal › Certificates, or
        <code> samba-tool</code>) before you trust it. Nothing — not even the password — has been sent to it yet.
      </Text>
      <dl style={{ margin: 0 }}>
        <dt>SHA-256 fingerprint</dt>
        <dd className={styles.mono} data-testid="fingerprint">{pairs(c.fingerprintSha256)}</dd>
        <dt>Issued to</dt>
        <dd>{c.subject}</dd>
        <dt>Names</dt>
        <dd>{c.subjectAltNames || '—'}</dd>
        <dt>Issued by</dt>
        <dd>{c.issuer}</dd>
        <dt>Valid</dt>
        <dd>
          {c.validFrom} to {c.validTo}
        </dd>
      </dl>
    </StepLayout>
  );
}

/** The prerequisites, each pass/warn/fail with a fix; Next only when nothing failed. */
export function PrerequisitesPage({ step, busy, submit, close }: StepProps & { step: Step<'prerequisites'> }) {
  return (
    <StepLayout
      busy={busy}
      actions={
        <>
          <Button appearance="primary" disabled={busy || !step.canContinue} onClick={() => submit({ action: 'next' })}>
            Next
          </Button>
          <Button disabled={busy} onClick={() => submit({ action: 'rerun-checks' })}>
            Run the checks again
          </Button>
          <Button disabled={busy} onClick={() => submit({ action: 'back' })}>
            Back
          </Button>
          <CancelButton close={close} />
        </>
      }
    >
      <Text>{step.canContinue ? 'The server is ready. Warnings are explained below; they do not stop the setup.' : 'Fix the failed checks, then run the checks again.'}</Text>
      <CheckList checks={step.checks} />
    </StepLayout>
  );
}
