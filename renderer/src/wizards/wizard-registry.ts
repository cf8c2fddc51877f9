import type { WizardKind } from '../../../shared/contract';

/** What the dashboard says about a wizard before it opens (tasks, the dialog title). */
export interface WizardEntry {
  title: string;
  summary: string;
}

/**
 * The one place a wizard's name lives in the renderer: keyed by the core's `WizardKind`, so a new kind fails to compile
 * until it is named here. Its pages are drawn by `core-wizard.tsx` from the step kinds.
 */
export const WIZARDS: Record<WizardKind, WizardEntry> = {
  integrate: {
    title: 'Integrate with Microsoft 365',
    summary:
      'Connect this server to your Microsoft 365 subscription so user accounts, passwords and licenses are managed from this dashboard.',
  },
  'change-admin': {
    title: 'Change the Microsoft 365 administrator',
    summary: 'Sign in with a different Microsoft 365 global administrator account for this server to use.',
  },
  disable: {
    title: 'Disable Microsoft 365 integration',
    summary: 'Stop synchronizing with Microsoft 365 and remove what this server created in your subscription. User accounts are kept.',
  },
};
