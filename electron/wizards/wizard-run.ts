import type { EventEmitter } from 'node:events';
import type { WizardInput, WizardKind, WizardState, WizardStep, WizardStepKind } from '../../shared/contract/wizard';
import type { CoreMode } from '../core/core-context';
import { UserFacingError } from '../core/dispatch';
import type { Logger } from '../core/logger';
import { redact } from '../core/redact';
import type { SecretStore } from '../stores/secret-store';
import type { SettingsStore } from '../stores/settings-store';
import type { AdminSession, DirectoryConnection, DirectoryFacts, TenantEndpoints, WizardPorts } from './ports';
import { PortError } from './ports';
import { clearDraft, saveDraft, type JournalEntry, type WizardDraft } from './wizard-draft';

/** What a running wizard may touch: the stores, the ports and the host's capabilities. */
export interface WizardDeps {
  ports: WizardPorts;
  settings: SettingsStore;
  secrets: SecretStore;
  log: Logger;
  signals: EventEmitter;
  dataDir: string;
  serverName: string;
  mode: CoreMode;
  openExternal?: (url: string) => Promise<void>;
  /** Tells every UI that integration changed (app info, Office 365 page). */
  announceIntegration(): void;
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

/** One wizard's behaviour: its first page, how it reacts to input, how it resumes and cancels. */
export interface WizardModule {
  readonly kind: WizardKind;
  /** Page kinds in order, for the "Step n of m" label. */
  readonly pages: readonly WizardStepKind[];
  readonly titles: Partial<Record<WizardStepKind, string>>;
  begin(run: WizardRun): Promise<void>;
  submit(run: WizardRun, input: WizardInput): Promise<void>;
  resume(run: WizardRun, draft: WizardDraft): Promise<void>;
  cancel(run: WizardRun): Promise<void>;
}

/** Turns any failure into a code + message safe to show (redacted; no stack, no secret). */
export function toUserError(error: unknown): { code: string; message: string } {
  if (error instanceof UserFacingError || error instanceof PortError) return { code: error.code, message: redact(error.message) };
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : 'internal';
  const message = typeof e?.message === 'string' && e.message ? e.message : 'Something went wrong.';
  return { code, message: redact(message) };
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
  show(step: WizardStep, options: { error?: { code: string; message: string } | null } = {}): void {
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
    const safe = toUserError(error);
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
