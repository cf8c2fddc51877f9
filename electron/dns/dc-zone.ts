// Split-brain DNS: does this domain controller hold a zone for the domain (e.g. the AD domain is contoso.com)? Then
// office PCs resolve the domain through the DC, and Microsoft's records must be in that internal zone too. Zones
// are dnsZone objects under CN=MicrosoftDNS in the DNS application partitions (or, on old domains, CN=System).
import { DnsError } from './dns-errors';
import { enclosingNames, normalizeDomainName } from './dns-names';

/**
 * The one LDAP operation needed, shaped like electron/directory's DirectoryClient.searchEntries so the caller
 * passes its (LDAPS, verified) client; this module may not import the directory layer itself.
 */
export interface LdapSearcher {
  searchEntries(baseDn: string, options: { scope: 'base' | 'one' | 'sub'; filter?: string; attributes?: string[] }): Promise<Array<{ dn: string } & Record<string, unknown>>>;
}

/** A zone the DC holds. */
export interface DcZone {
  /** Zone name (`contoso.com`); the domain may be this or lie below it. */
  zone: string;
  dn: string;
  partition: 'domain' | 'forest' | 'legacy';
}

const firstString = (v: unknown): string | undefined => (Array.isArray(v) ? firstString(v[0]) : typeof v === 'string' ? v : Buffer.isBuffer(v) ? v.toString() : undefined);
const many = (v: unknown): string[] => (Array.isArray(v) ? v.map(firstString).filter((x): x is string => !!x) : firstString(v) ? [firstString(v)!] : []);

/** The containers that hold dnsZone objects, from the rootDSE's naming contexts. */
async function zoneContainers(ldap: LdapSearcher): Promise<Array<{ base: string; partition: DcZone['partition'] }>> {
  const [root] = await ldap.searchEntries('', { scope: 'base', attributes: ['namingContexts', 'defaultNamingContext'] });
  if (!root) throw new DnsError('failed', 'The domain controller did not describe its directory (no rootDSE).');
  const ncs = many(root.namingContexts);
  const domainNc = firstString(root.defaultNamingContext);
  const out: Array<{ base: string; partition: DcZone['partition'] }> = [];
  for (const nc of ncs) {
    if (/^DC=DomainDnsZones,/i.test(nc)) out.push({ base: `CN=MicrosoftDNS,${nc}`, partition: 'domain' });
    else if (/^DC=ForestDnsZones,/i.test(nc)) out.push({ base: `CN=MicrosoftDNS,${nc}`, partition: 'forest' });
  }
  if (domainNc) out.push({ base: `CN=MicrosoftDNS,CN=System,${domainNc}`, partition: 'legacy' });
  return out;
}

/** LDAP code 32 (noSuchObject): that container doesn't exist on this DC, e.g. no DNS was provisioned. */
const isNoSuchObject = (e: unknown): boolean => {
  const x = e as { code?: unknown; details?: { ldapCode?: unknown } };
  return x?.code === 'not-found' || x?.code === 32 || x?.details?.ldapCode === 32;
};

/**
 * The DC's zone for `domain`: the zone named `domain` or the closest one above it. Undefined when the DC holds
 * none (the records then go only to the public DNS host). Directory errors other than "no such container" propagate.
 */
export async function findDcZone(ldap: LdapSearcher, domain: string): Promise<DcZone | undefined> {
  const name = normalizeDomainName(domain);
  const candidates = enclosingNames(name);
  const filter = `(&(objectClass=dnsZone)(|${candidates.map((c) => `(name=${c})`).join('')}))`;
  const found: DcZone[] = [];
  for (const { base, partition } of await zoneContainers(ldap)) {
    let entries: Array<{ dn: string } & Record<string, unknown>>;
    try {
      entries = await ldap.searchEntries(base, { scope: 'one', filter, attributes: ['name'] });
    } catch (e) {
      if (isNoSuchObject(e)) continue;
      throw e;
    }
    for (const e of entries) {
      const zone = firstString(e.name)?.toLowerCase();
      if (zone) found.push({ zone, dn: e.dn, partition });
    }
  }
  // longest zone name = the closest enclosing zone (a delegated child zone wins over its parent)
  return found.sort((a, b) => b.zone.length - a.zone.length)[0];
}
