import { randomUUID } from 'node:crypto';
import type { WizardAction, WizardInput, WizardKind, WizardState, WizardStepKind } from '../../shared/contract/wizard';
import { AppError, errorCode, wrongStep } from '../core/errors';
import { changeAdminWizard } from './change-admin-wizard';
import { disableWizard } from './disable-wizard';
import { integrateWizard } from './integrate-wizard';
import { clearDraft, loadDraft } from './wizard-draft';
import { WizardRun, type Transition, type WizardDeps, type WizardModule } from './wizard-run';

/** Every wizard by kind. */
export const WIZARD_MODULES: Record<WizardKind, WizardModule> = {
  integrate: integrateWizard,
  'change-admin': changeAdminWizard,
  disable: disableWizard,
};

/** No wizard open (before its epoch/rev stamp). */
export const IDLE_STATE: Omit<WizardState, 'epoch' | 'rev'> = { wizard: null, step: null, busy: false, error: null, position: null, resumed: false };

/** Inputs that make sense while a step is still running (leaving a pending sign-in). */
const ALLOWED_WHILE_BUSY = new Set<WizardAction>(['skip-sign-in', 'back']);

/**
 * Owns the one wizard run the server has at a time: starts, resumes (from the draft on disk), feeds input
 * to the current page and cancels. Main holds the truth; every change goes out as `wizard:state-changed`.
 */
export class WizardController {
  private run: WizardRun | null = null;
  private readonly epoch = randomUUID();
  private rev = 0;
  private idleState: WizardState = { ...IDLE_STATE, epoch: this.epoch, rev: 0 };
  private readonly stamp = () => ({ epoch: this.epoch, rev: ++this.rev });

  private goIdle(): WizardState {
    this.idleState = { ...IDLE_STATE, ...this.stamp() };
    this.emit(this.idleState);
    return this.idleState;
  }

  constructor(
    private readonly deps: WizardDeps,
    private readonly emit: (state: WizardState) => void,
  ) {}

  state(): WizardState {
    return this.run?.state ?? this.idleState;
  }

  private open(module: WizardModule, resumed: boolean): WizardRun {
    const run = new WizardRun(
      this.deps,
      module,
      (s) => {
        if (this.run === run) this.emit(s);
      },
      this.stamp,
      resumed,
    );
    this.run = run;
    return run;
  }

  /** Re-opens a wizard the dashboard was closed in (the draft holds no secrets, so sign-in may be asked again). */
  async resume(): Promise<void> {
    const draft = loadDraft(this.deps.dataDir);
    if (!draft) return;
    const run = this.open(WIZARD_MODULES[draft.wizard], true);
    try {
      await run.module.resume(run, draft);
    } catch (error) {
      this.deps.log.warn('A saved wizard could not be resumed; it was discarded', { wizard: draft.wizard, code: errorCode(error) });
      run.close();
      this.run = null;
      clearDraft(this.deps.dataDir);
    }
  }

  /** Opens a wizard; asking for the one already open returns it as it is (resume after a reload). */
  async start(kind: WizardKind): Promise<WizardState> {
    const current = this.run;
    if (current && !current.isClosed && current.state.step?.kind !== 'finished') {
      if (current.module.kind === kind) return current.state;
      throw new AppError('wizard-open', 'Another wizard is open. Finish or cancel it first.');
    }
    current?.close();
    const run = this.open(WIZARD_MODULES[kind], false);
    try {
      await run.module.begin(run);
    } catch (error) {
      run.close();
      this.run = null;
      this.goIdle();
      throw error;
    }
    return run.state;
  }

  /**
   * Applies the admin's input to the page it was sent on, through the wizard's transition table: an action the current
   * page doesn't list (or sent from a page no longer shown) is `wrong-step`. A refusal shows on the page rather than rejecting.
   */
  async submit(stepKind: WizardStepKind, input: WizardInput): Promise<WizardState> {
    const run = this.run;
    if (!run || run.isClosed) throw new AppError('no-wizard', 'No wizard is open.');
    if (run.state.busy && !ALLOWED_WHILE_BUSY.has(input.action)) throw new AppError('wizard-busy', 'Please wait for the current step to finish.');
    try {
      const step = run.state.step;
      const transition = step && step.kind === stepKind ? (run.module.transitions[step.kind]?.[input.action] as Transition<typeof step.kind, typeof input.action> | undefined) : undefined;
      if (!step || !transition) throw wrongStep();
      await transition(run, input as never, step as never);
    } catch (error) {
      run.fail(error);
    }
    return run.state;
  }

  /** Closes the wizard; undoes what it created unless it finished. Refused while the bootstrap runs. */
  async cancel(): Promise<WizardState> {
    const run = this.run;
    if (!run) return this.idleState;
    if (run.state.busy && run.state.step?.kind === 'working') {
      throw new AppError('wizard-busy', 'Setup is changing Microsoft 365 right now. Wait for it to finish — it undoes its own changes if it fails.');
    }
    run.memory.signInAbort?.abort();
    await run.idle();
    if (run.state.step?.kind !== 'finished') {
      try {
        await run.module.cancel(run);
      } catch (error) {
        this.deps.log.warn('Cleaning up a cancelled wizard failed', { wizard: run.module.kind, code: errorCode(error) });
      }
    }
    run.close();
    this.run = null;
    return this.goIdle();
  }

  /** Waits for background steps (tests; shutdown). */
  async idle(): Promise<void> {
    for (let pending = this.run?.idle(); pending; ) {
      await pending;
      const next = this.run?.idle();
      if (next === pending) return;
      pending = next;
    }
  }

  /** Stops pending work without discarding the draft (the dashboard is shutting down; resume later). */
  dispose(): void {
    this.run?.memory.signInAbort?.abort();
  }
}
