// Plain-words reasons for the admin: every failure an account can show comes from here, never from raw Graph text.
import { TargetError } from './ports';

/** What was being attempted, so the sentence can say it. */
export type Action = 'create' | 'update' | 'set-enabled' | 'delete' | 'password' | 'link' | 'license';

/** Why: complaint #4 (opaque conflict errors) — say which name clashed and what to do. */
export function explain(e: unknown, ctx: { action: Action; upn?: string }): string {
  const upn = ctx.upn ?? 'this user';
  if (e instanceof TargetError) {
    switch (e.code) {
      case 'upn-conflict':
        return `the name ${upn} is already used by another online account. Link this user to that account, or change the user's name in the directory.`;
      case 'proxy-conflict':
        return `an email address of ${upn} is already used by another online account. Remove it from the other account, then sync again.`;
      case 'password-policy':
        return 'Microsoft 365 rejected the password: it does not meet the online password rules (at least 8 characters with 3 of: upper case, lower case, digits, symbols). Set a stronger password in the directory.';
      case 'no-license-seats':
        return 'there are no free licenses left for the chosen subscription. The account was created without a license; buy more licenses or free one, then assign it.';
      case 'usage-location-required':
        return 'a license needs the user\'s country (usage location). Choose a country in the Microsoft 365 settings, then assign the license again.';
      case 'not-found':
        return 'the online account no longer exists (it may have been deleted in the Microsoft 365 admin center).';
      case 'forbidden':
        return 'the dashboard is not allowed to make this change in Microsoft 365. Run the Integrate wizard again to renew its permissions.';
      case 'auth':
        return 'the dashboard could not sign in to Microsoft 365; the change is queued and will be retried. If this lasts, run the Integrate wizard again.';
      case 'throttled':
      case 'unavailable':
        return 'Microsoft 365 is busy or unreachable; the change is queued and will be retried.';
      case 'invalid':
        return `Microsoft 365 refused a value for ${upn} (for example a name with characters it does not accept).`;
      default:
        return `Microsoft 365 refused the change for ${upn}.`;
    }
  }
  return 'an unexpected error occurred while talking to Microsoft 365; try again later.';
}
