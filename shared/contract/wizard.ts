import { z } from 'zod';
import { ErrorView, request, type EventMap, type RequestMap } from './define';

/** The wizards the core runs; one at a time, like the Essentials dashboard. */
export const WizardKind = z.enum(['integrate', 'change-admin', 'disable']);
export type WizardKind = z.infer<typeof WizardKind>;

/** A check or outcome the admin reads: pass/warn/fail with a fix they can act on. */
export const CheckResult = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(['pass', 'warn', 'fail']),
  detail: z.string(),
  fix: z.string().optional(),
});
export type CheckResult = z.infer<typeof CheckResult>;

/** The DC certificate shown for trust on first use (public data only). */
export const CertificateView = z.object({
  fingerprintSha256: z.string(),
  subject: z.string(),
  issuer: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  subjectAltNames: z.string(),
});
export type CertificateView = z.infer<typeof CertificateView>;

/** One thing the bootstrap will create (or created / undid) in the tenant. */
export const PlanItem = z.object({
  id: z.string(),
  kind: z.enum(['certificate', 'application', 'service-principal', 'app-role', 'directory-role']),
  title: z.string(),
  detail: z.string(),
  status: z.enum(['planned', 'running', 'done', 'failed', 'undone', 'undo-failed']),
});
export type PlanItem = z.infer<typeof PlanItem>;

/** A domain the admin can pick as the default for new online accounts. */
export const DomainChoice = z.object({ name: z.string(), isDefault: z.boolean(), isInitial: z.boolean(), isVerified: z.boolean() });

/** An OU the admin can include in the managed scope. */
export const OuChoice = z.object({ dn: z.string(), name: z.string(), depth: z.number().int().nonnegative() });

/** Admin sign-in progress; `url` is opened by the web dashboard in a popup (Electron opens it itself). */
export const SignInView = z.object({
  phase: z.enum(['ready', 'waiting', 'signed-in']),
  url: z.string().nullable(),
  adminUpn: z.string().nullable(),
  /** Why the admin is here again (e.g. the dashboard restarted and the session is gone). */
  note: z.string().nullable(),
});

/**
 * Every page of every wizard, tagged by `kind` (GitHub Desktop's sign-in store pattern): the renderer
 * switches on `kind` with `assertNever`, so a new step fails to compile until it is drawn.
 */
export const WizardStep = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('get-started'), signUpUrl: z.string() }),
  z.object({
    kind: z.literal('connect-directory'),
    url: z.string(),
    bindUpn: z.string(),
    passwordStored: z.boolean(),
  }),
  z.object({ kind: z.literal('trust-certificate'), url: z.string(), certificate: CertificateView, reason: z.string() }),
  z.object({ kind: z.literal('prerequisites'), checks: z.array(CheckResult), canContinue: z.boolean() }),
  z.object({ kind: z.literal('sign-in'), signIn: SignInView, canSkip: z.boolean() }),
  z.object({ kind: z.literal('review-plan'), adminUpn: z.string(), items: z.array(PlanItem), leftovers: z.number().int().nonnegative() }),
  z.object({ kind: z.literal('working'), title: z.string(), items: z.array(PlanItem) }),
  z.object({ kind: z.literal('bootstrap-failed'), message: z.string(), items: z.array(PlanItem), rolledBack: z.boolean() }),
  z.object({
    kind: z.literal('choose-scope'),
    domains: z.array(DomainChoice),
    defaultDomain: z.string().nullable(),
    ous: z.array(OuChoice),
    scopeDns: z.array(z.string()),
    nonRoutableSuffixes: z.array(z.string()),
  }),
  z.object({ kind: z.literal('change-admin-intro'), currentAdminUpn: z.string().nullable(), clientId: z.string().nullable() }),
  z.object({ kind: z.literal('change-admin-choose'), adminUpn: z.string(), appFound: z.boolean() }),
  z.object({
    kind: z.literal('disable-confirm'),
    tenantName: z.string().nullable(),
    applicationName: z.string().nullable(),
    keeps: z.array(z.string()),
  }),
  z.object({ kind: z.literal('finished'), title: z.string(), outcomes: z.array(CheckResult), reload: z.boolean() }),
]);
export type WizardStep = z.infer<typeof WizardStep>;

/** Every page kind, as a value (drafts on disk, the page a submitted action came from). */
export const WizardStepKind = z.enum(WizardStep.options.map((o) => o.shape.kind.value) as [WizardStep['kind'], ...WizardStep['kind'][]]);
export type WizardStepKind = WizardStep['kind'];
/** The page of a given kind. */
export type StepOf<K extends WizardStepKind> = Extract<WizardStep, { kind: K }>;

/** The whole wizard as the UI mirrors it: which wizard, the page, a busy flag and the last error. */
export const WizardState = z.object({
  wizard: WizardKind.nullable(),
  step: WizardStep.nullable(),
  busy: z.boolean(),
  error: ErrorView.nullable(),
  /** 1-based position in the wizard's page list, for the "Step 2 of 6" label. */
  position: z.object({ index: z.number().int(), total: z.number().int(), label: z.string() }).nullable(),
  /** True when this state was restored from disk after the dashboard closed midway. */
  resumed: z.boolean(),
  /**
   * Orders snapshots: a call's reply can reach the UI after newer `wizard:state-changed` events, so the UI
   * keeps the highest `rev` of the same `epoch` (a new epoch means the core restarted).
   */
  epoch: z.string(),
  rev: z.number().int().nonnegative(),
});
export type WizardState = z.infer<typeof WizardState>;

/**
 * What the admin did on a page. Sent with the kind of the page it was done on: the core accepts it only on that page
 * and only if the wizard's transition table lists it there. Passwords are accepted here and never echoed back.
 */
export const WizardInput = z.discriminatedUnion('action', [
  z.object({ action: z.literal('choose-subscription'), choice: z.enum(['have', 'need']) }),
  z.object({
    action: z.literal('connect-directory'),
    url: z.string().max(512),
    bindUpn: z.string().max(256),
    password: z.string().max(256).optional(),
  }),
  z.object({ action: z.literal('trust-certificate'), approve: z.boolean(), fingerprintSha256: z.string().max(128) }),
  z.object({ action: z.literal('rerun-checks') }),
  z.object({ action: z.literal('next') }),
  z.object({ action: z.literal('back') }),
  z.object({ action: z.literal('sign-in') }),
  z.object({ action: z.literal('skip-sign-in') }),
  z.object({ action: z.literal('create') }),
  z.object({ action: z.literal('retry') }),
  z.object({
    action: z.literal('choose-scope'),
    defaultDomain: z.string().max(256),
    scopeDns: z.array(z.string().max(1024)).max(200),
  }),
  z.object({ action: z.literal('change-admin'), mode: z.enum(['rebind', 'rotate']) }),
  z.object({ action: z.literal('disable'), removeAppRegistration: z.boolean() }),
]);
export type WizardInput = z.infer<typeof WizardInput>;
export type WizardAction = WizardInput['action'];
/** The input of a given action. */
export type InputOf<A extends WizardAction> = Extract<WizardInput, { action: A }>;

/** `wizard:*` channels: the renderer starts a wizard, submits each page, cancels; main runs the steps. */
export const wizardRequests = {
  'wizard:get-state': request(z.tuple([]), WizardState),
  'wizard:start': request(z.tuple([WizardKind]), WizardState),
  'wizard:submit-step': request(z.tuple([WizardStepKind, WizardInput]), WizardState),
  'wizard:cancel': request(z.tuple([]), WizardState),
} satisfies RequestMap;

/** `wizard:*` events: every state change (progress of long steps included). */
export const wizardEvents = {
  'wizard:state-changed': WizardState,
} satisfies EventMap;
