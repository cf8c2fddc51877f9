import { createStore, useStore } from '../stores/create-store';
import type { WizardId } from './wizard-registry';

/** Which wizard dialog is open, if any; one at a time, like the Essentials dashboard. */
export const wizardStore = createStore<WizardId | null>(null);

/** Opens a wizard from any page or task. */
export function openWizard(id: WizardId): void {
  wizardStore.set(id);
}

/** Closes the open wizard. */
export function closeWizard(): void {
  wizardStore.set(null);
}

/** The open wizard in a component. */
export function useOpenWizard(): WizardId | null {
  return useStore(wizardStore);
}

let closeGuard: (() => void) | null = null;

/** A wizard that must clean up before closing (cancel in the core) registers here; Escape goes through it. */
export function setCloseGuard(guard: (() => void) | null): void {
  closeGuard = guard;
}

/** Closes the dialog the way its own Cancel button would (used for Escape / the dialog's close request). */
export function requestCloseWizard(): void {
  if (closeGuard) closeGuard();
  else closeWizard();
}
