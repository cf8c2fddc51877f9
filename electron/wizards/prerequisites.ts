import type { CheckResult } from '../../shared/contract/wizard';
import type { DirectoryFacts } from './ports';

/** What the checks were run against; each probe's failure is passed in rather than thrown. */
export interface PrerequisiteInputs {
  facts: DirectoryFacts | null;
  directoryError: { code: string; message: string } | null;
  /** How the DC's certificate is trusted: a CA, an approved fingerprint. */
  trustedBy: 'ca' | 'fingerprint';
  tenantTime: Date | null;
  tenantError: { code: string; message: string } | null;
  localTime: Date;
}

const WARN_SKEW_MS = 60_000;
const FAIL_SKEW_MS = 5 * 60_000;

function skewCheck(id: string, title: string, other: Date | null, local: Date, what: string): CheckResult {
  if (!other) return { id, title, status: 'warn', detail: `The ${what} clock could not be read.`, fix: 'Make sure the time service (w32time or chrony) is running.' };
  const skew = Math.abs(other.getTime() - local.getTime());
  const seconds = Math.round(skew / 1000);
  if (skew > FAIL_SKEW_MS) {
    return { id, title, status: 'fail', detail: `This server's clock is ${seconds} seconds away from the ${what}. Sign-in tokens and Kerberos fail beyond 5 minutes.`, fix: 'Synchronise the clock with an internet time source, then run the checks again.' };
  }
  if (skew > WARN_SKEW_MS) return { id, title, status: 'warn', detail: `This server's clock is ${seconds} seconds away from the ${what}.`, fix: 'Synchronise the clock with an internet time source.' };
  return { id, title, status: 'pass', detail: `Within ${Math.max(seconds, 0)} seconds of the ${what}.` };
}

/**
 * The Integrate wizard's first checks (product features §A), each with a fix the admin can act on.
 * Pure: the wizard gathers the facts, this decides pass/warn/fail — so every rule is unit-tested.
 */
export function evaluatePrerequisites(input: PrerequisiteInputs): CheckResult[] {
  const checks: CheckResult[] = [];
  const { facts } = input;
  if (!facts) {
    checks.push({
      id: 'ldaps',
      title: 'Directory reachable over LDAPS',
      status: 'fail',
      detail: input.directoryError?.message ?? 'The domain controller could not be read.',
      fix: 'Check the domain controller address, the service account and its password, then run the checks again.',
    });
  } else {
    const n = facts.domainControllers.length;
    checks.push(
      n === 1
        ? { id: 'single-dc', title: 'One domain controller', status: 'pass', detail: `${facts.connectedDc || facts.domainControllers[0]} is the only domain controller in ${facts.dnsDomainName}.` }
        : {
            id: 'single-dc',
            title: 'One domain controller',
            status: 'fail',
            detail: `${facts.dnsDomainName} has ${n} domain controllers (${facts.domainControllers.join(', ')}). This dashboard supports a domain with exactly one.`,
            fix: 'Demote the additional domain controllers, or manage this domain with Microsoft Entra Connect instead.',
          },
    );
    checks.push(
      facts.thisHostIsDc
        ? { id: 'on-dc', title: 'Running on the domain controller', status: 'pass', detail: `This server is ${facts.connectedDc}.` }
        : {
            id: 'on-dc',
            title: 'Running on the domain controller',
            status: 'warn',
            detail: `This dashboard runs on another machine and will manage ${facts.connectedDc} over the network.`,
            fix: 'For password sync, install OpenEssentials on the domain controller itself.',
          },
    );
    checks.push({
      id: 'ldaps',
      title: 'Directory reachable over LDAPS',
      status: 'pass',
      detail: input.trustedBy === 'ca' ? 'Connected over LDAPS; the certificate is issued by a trusted authority.' : 'Connected over LDAPS; the certificate matches the fingerprint you approved.',
    });
    const bad = facts.upnSuffixes.filter((s) => !s.routable).map((s) => s.suffix);
    checks.push(
      bad.length === 0
        ? { id: 'upn-suffixes', title: 'User sign-in names', status: 'pass', detail: `Every UPN suffix (${facts.upnSuffixes.map((s) => s.suffix).join(', ')}) can be verified in Microsoft 365.` }
        : {
            id: 'upn-suffixes',
            title: 'User sign-in names',
            status: 'warn',
            detail: `Users whose sign-in name ends in ${bad.map((s) => `@${s}`).join(', ')} cannot keep it online: Microsoft 365 only accepts domains you own and can verify. Their online accounts will use the default domain you choose later in this wizard.`,
            fix: 'Optionally add a routable UPN suffix (e.g. your public domain) in Active Directory Domains and Trusts and assign it to users.',
          },
    );
    checks.push(skewCheck('clock-dc', 'Clock matches the domain controller', facts.dcTime, input.localTime, 'domain controller'));
  }
  if (input.tenantError) {
    checks.push({
      id: 'tenant',
      title: 'Microsoft 365 reachable',
      status: 'fail',
      detail: input.tenantError.message,
      fix: 'Check the internet connection, the proxy and the firewall (HTTPS to login.microsoftonline.com and graph.microsoft.com).',
    });
  } else {
    checks.push({ id: 'tenant', title: 'Microsoft 365 reachable', status: 'pass', detail: 'The Microsoft 365 sign-in and Graph endpoints answered.' });
    checks.push(skewCheck('clock-tenant', 'Clock matches Microsoft 365', input.tenantTime, input.localTime, 'Microsoft 365 service'));
  }
  return checks;
}

/** The wizard may go on when nothing failed (warnings are explained, not blocking). */
export function canContinue(checks: readonly CheckResult[]): boolean {
  return checks.every((c) => c.status !== 'fail');
}
