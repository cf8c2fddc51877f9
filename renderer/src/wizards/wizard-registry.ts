import type { ComponentType } from 'react';
import { ChangeAdminWizard, DisableWizard, IntegrateWizard } from './core-wizard';
import type { WizardKind } from '../../../shared/contract';

/**
 * Wizards a page can open: every wizard the core runs (`WizardKind`, so a new kind fails to compile until it
 * is registered here) plus UI-only ones.
 */
export type WizardId = WizardKind | 'add-user';

/** What every wizard component receives from the host dialog. */
export interface WizardProps {
  /** Ends the wizard (Cancel, Close, or after the last step). */
  onClose(): void;
}

/** A wizard's title and summary (shown even before its steps exist) and, once built, its lazily loaded body. */
export interface WizardEntry {
  title: string;
  summary: string;
  component?: ComponentType<WizardProps>;
}

/**
 * The one place wizards plug in. Components are imported eagerly: a React.lazy body suspending inside the
 * Fluent Dialog left the DialogSurface aria-hidden (tabster), hiding the wizard from screen readers.
 */
export const WIZARDS: Record<WizardId, WizardEntry> = {
  integrate: {
    title: 'Integrate with Microsoft 365',
    summary:
      'Connect this server to your Microsoft 365 subscription so user accounts, passwords and licenses are managed from this dashboard.',
    component: IntegrateWizard,
  },
  'change-admin': {
    title: 'Change the Microsoft 365 administrator',
    summary: 'Sign in with a different Microsoft 365 global administrator account for this server to use.',
    component: ChangeAdminWizard,
  },
  disable: {
    title: 'Disable Microsoft 365 integration',
    summary: 'Stop synchronizing with Microsoft 365 and remove what this server created in your subscription. User accounts are kept.',
    component: DisableWizard,
  },
  'add-user': {
    title: 'Add a user account',
    summary: 'Create a user account on the server and, when integrated, a matching Microsoft 365 account with a license.',
  },
};
