import type { wizardRequests } from '../../shared/contract';
import type { CoreContext } from '../core/core-context';
import type { Feature } from '../core/feature';
import { createDefaultPorts } from './default-ports';
import type { WizardPorts } from './ports';
import { WizardController } from './wizard-controller';

/**
 * The `wizard:*` handlers: one WizardController per core. `ports` defaults to the real directory and
 * tenant adapters; tests pass fakes. A wizard left open when the dashboard closed resumes on start.
 */
export function createWizardFeature(ctx: CoreContext, ports?: WizardPorts): Feature<typeof wizardRequests> & { controller: WizardController } {
  const controller = new WizardController(
    {
      ports: ports ?? createDefaultPorts(ctx),
      settings: ctx.settings,
      secrets: ctx.secrets,
      log: ctx.log,
      dataDir: ctx.dataDir,
      serverName: ctx.serverName,
      mode: ctx.mode,
      openExternal: ctx.openExternal,
      integrationChanged: () => ctx.signals.emit('integrationChanged'),
    },
    (state) => ctx.events.emit('wizard:state-changed', state),
  );
  return {
    controller,
    handlers: {
      'wizard:get-state': async () => controller.state(),
      'wizard:start': async (kind) => controller.start(kind),
      'wizard:submit-step': async (step, input) => controller.submit(step, input),
      'wizard:cancel': async () => controller.cancel(),
    },
    start: () => controller.resume(),
    dispose: () => controller.dispose(),
  };
}
