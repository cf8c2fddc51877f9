import type { InputOf, StepOf, WizardAction, WizardKind, WizardState, WizardStep, WizardStepKind } from '../../shared/contract/wizard';
import type { CoreMode } from '../core/core-context';
import { toWireError } from '../core/errors';
import type { Logger } from '../core/logger';
import type { SecretStore } from '../stores/secret-store';
import type { SettingsStore } from '../stores/settings-store';
import type { TenantEndpoints } from '../tenant/endpoints';
import type { AdminSession } from '../tenant/tenant-ports';
import type { DirectoryConnection, DirectoryFacts, WizardPorts } from './ports';
import { clearDraft, saveDraft, type JournalEntry, type WizardDraft } from './wizard-draft';

/** What a running wizard may touch: the stores, the ports and the host's capabilities. */
export interface WizardDeps {
  ports: WizardPorts;
  settings: SettingsStore;
  secrets: SecretStore;
  log: Logger;
  dataDir: string;
  serverName: string;
  mode: CoreMode;
  openExternal?: (url: string) => Promise<void>;
  /** The one call after integration was completed, changed or disabled: the sync restarts, every UI is told. */
  integrationChanged(): void;
}

/** In-memory working set of one wizard run; the secret parts never reach the draft or the UI. */
export interface WizardMemory {
  directory?: Omit<DirectoryConnection, 'password'>;
  directoryPassword?: string;
  facts?: DirectoryFacts;
  session?: AdminSession;
  endpoints?: TenantEndpoints;
  /** Aborts only the pending sign-in (Disable's "continue without signing in"). */
  signInAbort?: AbortController;
  journal: JournalEntry[];
}

/** What a page does with one action: `step` is the page it was sent on, already narrowed to its kind. */
export type Transition<S extends WizardStepKind, A extends WizardAction> = (run: WizardRun, input: InputOf<A>, step: StepOf<S>) => Promise<void> | void;

/**
 * A wizard's transition table: for each of its pages, the actions that page accepts. Anything not listed is refused
 * as `wrong-step` by the controller, so no wizard names another wizard's actions or checks the page by hand.
 */
export type Transitions<K extends WizardStepKind> = { [S in K]?: { [A in WizardAction]?: Transition<S, A> } };

/** One wizard's behaviour: its pages in order, its transition table, and how it begins, resumes and cancels. */
export interface WizardModule<K extends WizardStepKind = WizardStepKind> {
  readonly kind: WizardKind;
  /** Page kinds in order, for the "Step n of m" label. */
  readonly pages: readonly K[];
  /** Pages shown in between that keep the previous position (progress, failure): "Step 6 of 9: Disabling". */
  readonly detours?: readonly K[];
  readonly titles: Partial<Record<NoInfer<K>, string>>;
  readonly transitions: Transitions<NoInfer<K>>;
  begin(run: WizardRun): Promise<void>;
  resume(run: WizardRun, draft: WizardDraft): Promise<void>;
  cancel(run: WizardRun): Promise<void>;
}

/** Declares a wizard with its page kinds inferred, so its table may only name its own pages. */
export function defineWizard<K extends WizardStepKind>(module: WizardModule<K>): WizardModule {
  return module as unknown as WizardModule;
}

/**
 * The state of one wizard run and the mechanics every wizard shares: showing a page (which persists the
 * draft and pushes `wizard:state-changed`), reporting errors, and running long steps in the background.
 */
export class WizardRun {
  state: WizardState;
  readonly memory: WizardMemory = { journal: [] };
  private background: Promise<void> = Promise.resolve();
  private readonly abort = new AbortController();
  private closed = false;

  constructor(
    readonly deps: WizardDeps,
    readonly module: WizardModule,
    private readonly emitState: (state: WizardState) => void,
    private readonly stamp: () => { epoch: string; rev: number },
    resumed = false,
  ) {
    this.state = { wizard: module.kind, step: null, busy: false, error: null, position: null, resumed, ...stamp() };
  }

  /** Every change gets the next revision before it goes out, so the UI can drop stale snapshots. */
  private emit(state: WizardState): void {
    this.state = { ...state, ...this.stamp() };
    this.emitState(this.state);
  }

  /** Aborted when the wizard is cancelled (stops a pending sign-in). */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Shows a page: clears busy/error, saves the non-secret draft, tells the UI. */
  show(step: WizardStep, options: { error?: WizardState['error'] } = {}): void {
    if (this.closed) return;
    this.state = { ...this.state, step, busy: false, error: options.error ?? null, position: this.positionOf(step) };
    this.persist();
    this.emit(this.state);
  }

  /** Updates the page in place (progress lists, the sign-in URL) without touching busy. */
  patch(step: WizardStep): void {
    if (this.closed) return;
    this.state = { ...this.state, step, position: this.positionOf(step) };
    this.emit(this.state);
  }

  private positionOf(step: WizardStep): WizardState['position'] {
    const index = this.module.pages.indexOf(step.kind);
    const label = this.module.titles[step.kind];
    if (index >= 0) return { index: index + 1, total: this.module.pages.length, label: label ?? step.kind };
    return this.state.position && { ...this.state.position, label: label ?? this.state.position.label };
  }

  /** Leaves the page as it is and shows why the last action failed. */
  fail(error: unknown): void {
    if (this.closed) return;
    const safe = toWireError(error);
    this.deps.log.warn('Wizard step failed', { wizard: this.module.kind, step: this.state.step?.kind, code: safe.code });
    this.state = { ...this.state, busy: false, error: safe };
    this.emit(this.state);
  }

  setBusy(busy: boolean): void {
    if (this.closed) return;
    this.state = { ...this.state, busy, error: busy ? null : this.state.error };
    this.emit(this.state);
  }

  /** Runs `work` with the busy flag, turning a failure into the page's error. */
  async guarded(work: () => Promise<void>): Promise<void> {
    this.setBusy(true);
    try {
      await work();
      if (this.state.busy) this.setBusy(false);
    } catch (error) {
      this.fail(error);
    }
  }

  /** Starts `work` without waiting (sign-in waits on the browser); `idle()` resolves when it is done. */
  inBackground(work: () => Promise<void>): void {
    this.setBusy(true);
    this.background = this.background.then(() => this.guarded(work));
  }

  /** Resolves once background work has finished (tests, cancel). */
  idle(): Promise<void> {
    return this.background;
  }

  /** Writes the draft (the wizard's kind, page and journal; no secret has a field in it). */
  persist(): void {
    if (this.closed || !this.state.step) return;
    if (this.state.step.kind === 'finished') return clearDraft(this.deps.dataDir);
    const draft: WizardDraft = {
      version: 1,
      wizard: this.module.kind,
      stepKind: this.state.step.kind,
      directory: this.memory.directory ? { url: this.memory.directory.url, bindUpn: this.memory.directory.bindUpn, trust: this.memory.directory.trust } : null,
      journal: this.memory.journal,
      savedAt: this.deps.ports.now().toISOString(),
    };
    saveDraft(this.deps.dataDir, draft);
  }

  /** Ends the run: stops pending work and forgets the draft. */
  close(): void {
    this.abort.abort();
    this.closed = true;
    this.memory.session = undefined;
    this.memory.directoryPassword = undefined;
    clearDraft(this.deps.dataDir);
  }
}
