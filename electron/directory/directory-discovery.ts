// What the Integrate wizard needs to know about the domain before connecting it to Microsoft 365.
import * as dns from 'node:dns/promises';
import * as os from 'node:os';
import type { DirectoryClient } from './directory-client';
import { first } from './directory-types';
import { ldapFilter } from './ldap-escape';

/** Domain facts for the wizard (names, UPN suffixes and whether each can be verified in Microsoft 365). */
export interface DomainDiscovery {
  domainDn: string;
  forestDn: string;
  dnsDomainName: string;
  netbiosName: string;
  forestDnsName: string;
  /** Domain DNS name first, then forest-wide alternative suffixes (uPNSuffixes). */
  upnSuffixes: { suffix: string; source: 'domain' | 'forest'; routable: boolean }[];
  nonRoutableSuffixes: string[];
  domainControllers: { dnsHostName: string; name: string }[];
  domainControllerCount: number;
  connectedDc: string;
  /** True when the DC we are talking to runs on this machine (the product installed on the DC). */
  thisHostIsDc: boolean;
}

const RESERVED_TLDS = new Set(['local', 'lan', 'internal', 'localdomain', 'home', 'corp', 'intranet', 'private', 'test', 'example', 'invalid', 'localhost']);

/** A suffix Microsoft 365 cannot verify: single-label or under a reserved/private TLD (.local, .lan, .internal, …). */
export function isNonRoutableSuffix(suffix: string): boolean {
  const labels = suffix.toLowerCase().replace(/\.$/, '').split('.').filter(Boolean);
  if (labels.length < 2) return true;
  return RESERVED_TLDS.has(labels[labels.length - 1]!);
}

/** Turns DC=corp,DC=example,DC=test into corp.example.test. */
export function dnToDnsName(dn: string): string {
  return dn.split(',').map((p) => p.trim()).filter((p) => /^dc=/i.test(p)).map((p) => p.slice(3)).join('.').toLowerCase();
}

async function isLocalAddress(host: string): Promise<boolean> {
  const local = new Set(Object.values(os.networkInterfaces()).flat().map((i) => i?.address).filter(Boolean));
  if (local.has(host)) return true;
  try {
    const addrs = await dns.lookup(host, { all: true });
    return addrs.some((a) => local.has(a.address));
  } catch {
    return false;
  }
}

/** Reads rootDSE, the Partitions container and the DC list; a handful of small searches. */
export async function discoverDomain(client: DirectoryClient): Promise<DomainDiscovery> {
  const [root] = await client.searchEntries('', {
    scope: 'base', attributes: ['defaultNamingContext', 'rootDomainNamingContext', 'configurationNamingContext', 'dnsHostName'],
  });
  if (!root) throw new Error('rootDSE unreadable');
  const domainDn = first(root, 'defaultNamingContext')!;
  const forestDn = first(root, 'rootDomainNamingContext') ?? domainDn;
  const configDn = first(root, 'configurationNamingContext')!;
  const connectedDc = (first(root, 'dnsHostName') ?? '').toLowerCase();
  const partitions = `CN=Partitions,${configDn}`;

  const [xref] = await client.searchEntries(partitions, {
    scope: 'one', filter: ldapFilter`(&(objectClass=crossRef)(nCName=${domainDn}))`, attributes: ['nETBIOSName', 'dnsRoot'],
  });
  const [parts] = await client.searchEntries(partitions, { scope: 'base', attributes: ['uPNSuffixes'] });
  const dnsDomainName = (xref && first(xref, 'dnsRoot')) || dnToDnsName(domainDn);
  const forestDnsName = dnToDnsName(forestDn);
  const forestSuffixes = parts ? ([] as unknown[]).concat(parts.uPNSuffixes ?? []).map(String) : [];

  const seen = new Set<string>();
  const upnSuffixes: DomainDiscovery['upnSuffixes'] = [];
  const addSuffix = (suffix: string, source: 'domain' | 'forest'): void => {
    const s = suffix.toLowerCase();
    if (!s || seen.has(s)) return;
    seen.add(s);
    upnSuffixes.push({ suffix: s, source, routable: !isNonRoutableSuffix(s) });
  };
  addSuffix(dnsDomainName, 'domain');
  addSuffix(forestDnsName, 'forest');
  forestSuffixes.forEach((s) => addSuffix(s, 'forest'));

  const dcs = await client.searchEntries(domainDn, {
    scope: 'sub', filter: '(&(objectCategory=computer)(userAccountControl:1.2.840.113556.1.4.803:=8192))', attributes: ['dNSHostName', 'cn'],
  });
  const domainControllers = dcs.map((e) => ({ dnsHostName: (first(e, 'dNSHostName') ?? '').toLowerCase(), name: first(e, 'cn') ?? '' }));
  const urlHost = new URL(client.config.url).hostname.replace(/^\[|\]$/g, '');
  const hostNames = new Set([os.hostname().toLowerCase(), os.hostname().toLowerCase().split('.')[0]]);
  const thisHostIsDc = (await isLocalAddress(urlHost)) || hostNames.has(connectedDc) || hostNames.has(connectedDc.split('.')[0]);

  return {
    domainDn, forestDn, dnsDomainName, netbiosName: (xref && first(xref, 'nETBIOSName')) || '', forestDnsName,
    upnSuffixes, nonRoutableSuffixes: upnSuffixes.filter((s) => !s.routable).map((s) => s.suffix),
    domainControllers, domainControllerCount: domainControllers.length, connectedDc, thisHostIsDc,
  };
}
