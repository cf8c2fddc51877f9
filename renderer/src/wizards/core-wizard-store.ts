import type { WizardInput, WizardKind, WizardState, WizardStepKind } from '../../../shared/contract';
import { createStore, useStore } from '../stores/create-store';
import { createLiveValue } from '../stores/live-value';
import { toApiError } from '../stores/remote-value';
import { api, type ApiError } from '../transport/api';

/**
 * The core's wizard state — the only truth about which wizard is open and on which page. A call's reply can arrive
 * after newer `wizard:state-changed` events, so the newest snapshot wins: same epoch, higher or equal rev (a new epoch
 * means the core restarted).
 */
export const coreWizard = createLiveValue('wizard:get-state', 'wizard:state-changed', {
  accept: (current, next) => !current || next.epoch !== current.epoch || next.rev >= current.rev,
});

/** A call that failed before reaching a wizard (connection lost, refused while busy, a wizard that can't start). */
export interface WizardCallError {
  kind: WizardKind;
  error: ApiError;
}
const callError = createStore<WizardCallError | null>(null);

async function call(kind: WizardKind, work: () => Promise<WizardState>): Promise<WizardState | null> {
  callError.set(null);
  try {
    const state = await work();
    coreWizard.offer(state);
    return state;
  } catch (error) {
    callError.set({ kind, error: toApiError(error) });
    return null;
  }
}

/** Opens a wizard in the core (or re-attaches to it); the dialog follows the core's state. */
export function openWizard(kind: WizardKind): Promise<WizardState | null> {
  void coreWizard.load();
  return call(kind, () => api['wizard:start'](kind));
}

/** Sends what the admin did on page `step`; the core refuses it if that page is no longer the current one. */
export function submitWizard(kind: WizardKind, step: WizardStepKind, input: WizardInput): Promise<WizardState | null> {
  return call(kind, () => api['wizard:submit-step'](step, input));
}

/** Cancels (or closes a finished) wizard in the core; false when the core refused (e.g. mid-bootstrap). */
export async function cancelWizard(kind: WizardKind): Promise<boolean> {
  return (await call(kind, () => api['wizard:cancel']())) !== null;
}

/** Forgets a failed call once its dialog is dismissed. */
export function dismissCallError(): void {
  callError.set(null);
}

/** The wizard state in a component (null before the first answer). */
export function useCoreWizard(): WizardState | null {
  return coreWizard.use().value;
}

/** The last failed call in a component. */
export function useWizardCallError(): WizardCallError | null {
  return useStore(callError);
}
