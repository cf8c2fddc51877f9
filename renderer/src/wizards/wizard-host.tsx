import { Dialog, DialogSurface } from '@fluentui/react-components';
import { useCallback, useRef } from 'react';
import { CoreWizard } from './core-wizard';
import { useCoreWizard, useWizardCallError } from './core-wizard-store';
import { WIZARDS } from './wizard-registry';

/**
 * The wizard dialog. It is open exactly while the core says a wizard is open — or while a wizard that could not start
 * explains why — so the core's state is the only truth about which wizard is showing.
 */
export function WizardHost() {
  const state = useCoreWizard();
  const callError = useWizardCallError();
  const kind = state?.wizard ?? callError?.kind ?? null;
  const closeRef = useRef<() => void>(() => undefined);
  const registerClose = useCallback((close: () => void) => {
    closeRef.current = close;
  }, []);
  return (
    <Dialog open={kind !== null} modalType="modal" onOpenChange={(_e, data) => !data.open && closeRef.current()}>
      <DialogSurface aria-describedby={undefined}>
        {kind ? <CoreWizard kind={kind} title={WIZARDS[kind].title} registerClose={registerClose} /> : null}
      </DialogSurface>
    </Dialog>
  );
}
