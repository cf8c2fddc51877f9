import type { WizardInput, WizardKind, WizardState } from '../../../shared/contract';
import { createStore, useStore } from '../stores/create-store';
import { toApiError } from '../stores/remote-value';
import { api, bridge, onEvent, type ApiError } from '../transport/api';

/** No wizard running in the core (rev 0 of no epoch: anything the core sends replaces it). */
const IDLE: WizardState = { wizard: null, step: null, busy: false, error: null, position: null, resumed: false, epoch: '', rev: 0 };

/** Keeps the newest snapshot: a call's reply can arrive after newer events (same epoch, lower rev). */
function accept(next: WizardState): void {
  coreWizardStore.set((current) => (next.epoch !== current.epoch || next.rev >= current.rev ? next : current));
}

/** The core's wizard state as last pushed (`wizard:state-changed`) or returned by a call; main owns the truth. */
export const coreWizardStore = createStore<WizardState>(IDLE);

/** A call that failed before reaching the wizard (connection lost, refused while busy). */
export const wizardCallError = createStore<ApiError | null>(null);

let unsubscribe: (() => void) | null = null;

function listen(): void {
  unsubscribe ??= onEvent(bridge, 'wizard:state-changed', accept);
}

async function call(work: () => Promise<WizardState>): Promise<WizardState | null> {
  wizardCallError.set(null);
  try {
    const state = await work();
    accept(state);
    return state;
  } catch (error) {
    wizardCallError.set(toApiError(error));
    return null;
  }
}

/** Starts (or re-attaches to) a wizard in the core. */
export function startCoreWizard(kind: WizardKind): Promise<WizardState | null> {
  listen();
  return call(() => api['wizard:start'](kind));
}

/** Sends what the admin did on the current page. */
export function submitWizard(input: WizardInput): Promise<WizardState | null> {
  return call(() => api['wizard:submit-step'](input));
}

/** Cancels (or closes a finished) wizard in the core; false when the core refused (e.g. mid-bootstrap). */
export async function cancelCoreWizard(): Promise<boolean> {
  return (await call(() => api['wizard:cancel']())) !== null;
}

/** The wizard state in a component. */
export function useCoreWizard(): WizardState {
  return useStore(coreWizardStore);
}

/** The last failed call in a component. */
export function useWizardCallError(): ApiError | null {
  return useStore(wizardCallError);
}
