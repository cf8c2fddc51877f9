import { Button, Checkbox, Field, Link, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Radio, RadioGroup, Spinner, Text } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { WizardStep } from '../../../shared/contract';
import { M365_DOMAINS_URL } from '../lib/links';
import { openExternal } from '../lib/open-external';
import { closePopup, preparePopup, showSignInUrl } from './sign-in-popup';
import { CancelButton, PlanList, StepLayout, useStepStyles, type StepProps, PrimaryBackCancel } from './step-layout';

type Step<K extends WizardStep['kind']> = Extract<WizardStep, { kind: K }>;

/** Admin sign-in: the popup (web) or system browser (desktop) does the password and MFA. */
export function SignInPage({ step, busy, submit, close }: StepProps & { step: Step<'sign-in'> }) {
  const { phase, url, adminUpn, note } = step.signIn;
  const [blocked, setBlocked] = useState(false);
  useEffect(() => {
    if (phase === 'waiting' && url) setBlocked(!showSignInUrl(url));
    if (phase === 'signed-in' || (phase === 'ready' && !busy)) closePopup();
  }, [phase, url, busy]);
  return (
    <StepLayout
      busy={busy}
      actions={
        <>
          <Button
            appearance="primary"
            disabled={busy}
            onClick={() => {
              preparePopup();
              submit({ action: 'sign-in' });
            }}
          >
            Sign in to Microsoft 365
          </Button>
          {step.canSkip ? (
            <Button onClick={() => submit({ action: 'skip-sign-in' })}>Continue without signing in</Button>
          ) : null}
          <Button disabled={busy && !step.canSkip} onClick={() => submit({ action: 'back' })}>
            Back
          </Button>
          <CancelButton close={close} />
        </>
      }
    >
      {note ? (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>{note}</MessageBarBody>
        </MessageBar>
      ) : null}
      <Text>
        Sign in with a Microsoft 365 Global Administrator account. The sign-in happens on Microsoft's page (in a new window), so multifactor authentication works as usual;
        this dashboard never sees the password.
      </Text>
      {phase === 'waiting' ? (
        <>
          <Spinner size="small" label="Waiting for you to finish signing in…" labelPosition="after" />
          {blocked && url ? (
            <Text>
              The sign-in window did not open.{' '}
              <Link href={url} target="_blank" rel="noopener noreferrer">
                Open the Microsoft sign-in page
              </Link>
            </Text>
          ) : null}
        </>
      ) : null}
      {phase === 'signed-in' && adminUpn ? <Text weight="semibold">Signed in as {adminUpn}.</Text> : null}
    </StepLayout>
  );
}

/** Exactly what will be created, before anything is. */
export function ReviewPlanPage({ step, busy, submit, close }: StepProps & { step: Step<'review-plan'> }) {
  return (
    <StepLayout
      busy={busy}
      actions={
        <PrimaryBackCancel label="Create" disabled={busy} onPrimary={() => submit({ action: 'create' })} busy={busy} submit={submit} close={close} />
      }
    >
      <Text>
        Signed in as <strong>{step.adminUpn}</strong>. Select Create to add the following to your Microsoft 365 organisation. If any step fails, everything created is removed again.
      </Text>
      {step.leftovers > 0 ? (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>{step.leftovers} object(s) left by an interrupted attempt will be removed first.</MessageBarBody>
        </MessageBar>
      ) : null}
      <PlanList items={step.items} />
    </StepLayout>
  );
}

/** Progress of the bootstrap (or of disabling). */
export function WorkingPage({ step, close }: StepProps & { step: Step<'working'> }) {
  return (
    <StepLayout busy actions={<CancelButton close={close} disabled />}>
      <Text weight="semibold">{step.title}…</Text>
      {step.items.length ? <PlanList items={step.items} /> : <Spinner label="Please wait" />}
    </StepLayout>
  );
}

/** The bootstrap failed: what happened, and what was undone. */
export function BootstrapFailedPage({ step, busy, submit, close }: StepProps & { step: Step<'bootstrap-failed'> }) {
  return (
    <StepLayout
      busy={busy}
      actions={
        <>
          <Button appearance="primary" disabled={busy} onClick={() => submit({ action: 'retry' })}>
            Try again
          </Button>
          <CancelButton close={close} />
        </>
      }
    >
      <MessageBar intent="error" layout="multiline">
        <MessageBarBody>Setup stopped: {step.message}</MessageBarBody>
      </MessageBar>
      <Text>
        {step.rolledBack
          ? 'Everything the wizard had created in Microsoft 365 was removed again; your organisation is as it was.'
          : 'Some objects could not be removed. They are listed below; the wizard removes them before its next attempt.'}
      </Text>
      <PlanList items={step.items} />
    </StepLayout>
  );
}

/** Default domain for new online accounts, and which OUs' users the dashboard manages. */
export function ChooseScopePage({ step, busy, submit, close }: StepProps & { step: Step<'choose-scope'> }) {
  const styles = useStepStyles();
  const [domain, setDomain] = useState(step.defaultDomain ?? step.domains[0]?.name ?? '');
  useEffect(() => setDomain(step.defaultDomain ?? ''), [step.defaultDomain]); // "Check again" may find a newly verified domain
  const [scope, setScope] = useState<string[]>(step.scopeDns);
  const toggle = (dn: string, on: boolean) => setScope((s) => (on ? [...s, dn] : s.filter((x) => x !== dn)));
  const noOwnDomain = !step.domains.some((d) => d.isVerified && !d.isInitial);
  const unverified = step.domains.filter((d) => !d.isVerified).map((d) => d.name);
  const initial = step.domains.find((d) => d.isInitial)?.name ?? domain;
  return (
    <StepLayout
      busy={busy}
      actions={
        <>
          <Button appearance="primary" disabled={busy || !domain} onClick={() => submit({ action: 'choose-scope', defaultDomain: domain, scopeDns: scope })}>
            Finish
          </Button>
          <CancelButton close={close} />
        </>
      }
    >
      {noOwnDomain ? <NoOwnDomainWarning initial={initial} unverified={unverified} busy={busy} recheck={() => submit({ action: 'retry' })} /> : null}
      <Field label="Default domain for new online accounts">
        <RadioGroup value={domain} onChange={(_e, d) => setDomain(d.value)}>
          {step.domains.map((d) => (
            <Radio
              key={d.name}
              value={d.name}
              disabled={!d.isVerified}
              label={`${d.name}${d.isInitial ? ' (initial)' : ''}${d.isDefault ? ' — current default' : ''}${d.isVerified ? '' : ' — not verified yet'}`}
            />
          ))}
        </RadioGroup>
      </Field>
      {step.nonRoutableSuffixes.length ? (
        <Text className={styles.muted}>
          Users signing in as @{step.nonRoutableSuffixes.join(', @')} get an online account at @{domain || 'the domain above'} instead.
        </Text>
      ) : null}
      <fieldset style={{ border: 'none', padding: 0, margin: 0 }}>
        <legend>
          <Text weight="semibold">Users to manage</Text> <Text className={styles.muted}>(none selected: all users in the domain)</Text>
        </legend>
        {step.ous.map((ou) => (
          <div key={ou.dn} style={{ paddingLeft: ou.depth * 20 }}>
            <Checkbox checked={scope.includes(ou.dn)} onChange={(_e, d) => toggle(ou.dn, Boolean(d.checked))} label={ou.name} title={ou.dn} />
          </div>
        ))}
      </fieldset>
    </StepLayout>
  );
}

/** Only the initial …onmicrosoft.com domain is verified: say what that means for account names, and how to fix it. */
function NoOwnDomainWarning({ initial, unverified, busy, recheck }: { initial: string; unverified: string[]; busy: boolean; recheck: () => void }) {
  const list = unverified.join(', ');
  return (
    <MessageBar intent="warning" data-testid="no-own-domain" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>No domain of your own is verified in Microsoft 365</MessageBarTitle>
        New online accounts will be named like <strong>name@{initial}</strong>.{' '}
        {unverified.length
          ? `${list} ${unverified.length === 1 ? 'is' : 'are'} added but not verified yet: add the DNS record that the admin center shows for it, then check again.`
          : 'To give people addresses at your own domain, add and verify it in the admin center, then check again.'}{' '}
        You can also finish now with @{initial}.{' '}
        <Link inline onClick={() => void openExternal(M365_DOMAINS_URL).catch(() => undefined)}>
          Open Domains in the Microsoft 365 admin center
        </Link>
      </MessageBarBody>
      <MessageBarActions>
        <Button disabled={busy} onClick={recheck}>
          Check again
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}
