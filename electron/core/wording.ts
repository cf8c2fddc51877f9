// The one place for admin-facing wording of failures: what a code means in plain words, and the sentence shown on an
// account when an operation on it failed. Layers pick a code; the words come from here, never from raw service text.
import { AppError } from './errors';

/** What was being attempted on an account, so the sentence can say it. */
export type AccountAction = 'create' | 'update' | 'set-enabled' | 'delete' | 'password' | 'link' | 'license';

/** The short meaning of a Microsoft 365 refusal (what a TenantError says when it is raised). */
export const TENANT_TEXT = {
  'upn-conflict': 'An online account with this user name already exists.',
  'proxy-conflict': 'Another online account already uses one of this account\'s email addresses.',
  'immutable-id-conflict': 'Another online account is already linked to this directory user.',
  'password-policy': 'The password does not meet Microsoft 365\'s password requirements.',
  'no-license-seats': 'There are no free licenses left in this subscription.',
  'usage-location-required': 'Set the user\'s location before assigning a license.',
  'invalid-domain': 'The user name must use one of the organization\'s verified domains.',
  'domain-in-use': 'The domain is still used by accounts and cannot be removed.',
  'domain-not-verified': 'Microsoft 365 could not find the verification record in DNS yet.',
  throttled: 'Microsoft 365 is limiting requests; the operation will be retried later.',
  unauthorized: 'Microsoft 365 did not accept the app\'s sign-in.',
  forbidden: 'The app is not allowed to do this in Microsoft 365. Re-run the Integrate wizard to grant permissions.',
  'not-found': 'The object was not found in Microsoft 365.',
} as const;

/**
 * The reason shown on an account (and in results files and Activity) when an operation on it failed: which name
 * clashed and what to do — never an opaque "Uniqueness violation".
 */
export function accountFailure(e: unknown, ctx: { action: AccountAction; upn?: string }): string {
  const upn = ctx.upn ?? 'this user';
  if (!(e instanceof AppError)) return 'an unexpected error occurred while talking to Microsoft 365; try again later.';
  switch (e.code) {
    case 'upn-conflict':
      return `the name ${upn} is already used by another online account. Link this user to that account, or change the user's name in the directory.`;
    case 'proxy-conflict':
      return `an email address of ${upn} is already used by another online account. Remove it from the other account, then sync again.`;
    case 'immutable-id-conflict':
      return `another online account is already linked to this directory user, so ${upn} can't be linked to it too.`;
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
    case 'unauthorized':
    case 'auth-failed':
      return 'the dashboard could not sign in to Microsoft 365; the change is queued and will be retried. If this lasts, run the Integrate wizard again.';
    case 'throttled':
    case 'unreachable':
    case 'service-error':
    case 'timeout':
      return 'Microsoft 365 is busy or unreachable; the change is queued and will be retried.';
    case 'invalid-domain':
    case 'bad-request':
      return `Microsoft 365 refused a value for ${upn} (for example a name with characters it does not accept).`;
    default:
      return `Microsoft 365 refused the change for ${upn}.`;
  }
}
