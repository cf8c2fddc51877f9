import type { wizardRequests } from '../../shared/contract';
import type { CoreContext } from '../core/core-context';
import type { Feature } from '../core/feature';

/** The `wizard:*` handlers and background work (filled in by the wizard work). */
export function createWizardFeature(_ctx: CoreContext): Feature<typeof wizardRequests> {
  return { handlers: {} };
}
