// Thin adapter from the wizard's DirectoryProbe port to the directory client (electron/directory/*).
import { DirectoryClient } from '../directory/directory-client';
import { discoverDomain } from '../directory/directory-discovery';
import { DirectoryError } from '../directory/directory-errors';
import { first, parseGeneralizedTime } from '../directory/directory-types';
import { probeCertificate } from '../directory/tls-trust';
import type { DirectoryFacts, DirectoryProbe } from './ports';

function ouDepth(dn: string): number {
  return Math.max(0, dn.split(/,(?=(?:OU|DC|CN)=)/i).filter((p) => /^OU=/i.test(p.trim())).length - 1);
}

function ouName(dn: string): string {
  return (/^OU=((?:\\,|[^,])+)/i.exec(dn)?.[1] ?? dn).replace(/\\(.)/g, '$1');
}

/** Sorts OUs so each parent comes right before its children (a tree read top-down). */
function treeOrder(dns: string[]): string[] {
  const key = (dn: string) => dn.toLowerCase().split(/,(?=(?:ou|dc|cn)=)/).reverse().join(',');
  return [...dns].sort((a, b) => key(a).localeCompare(key(b)));
}

/** The DC over LDAPS: the certificate is judged before any credential is sent, then bind + discovery. */
export const directoryProbe: DirectoryProbe = {
  async probeCertificate(url, trust) {
    try {
      const r = await probeCertificate(url, trust);
      const { pem: _pem, ...certificate } = r.certificate;
      return { trusted: r.trusted, reason: r.problem?.message ?? 'The certificate is trusted.', certificate };
    } catch (error) {
      if (error instanceof DirectoryError) throw error;
      throw new DirectoryError('unreachable', 'The domain controller cannot be reached. Check its address and that it is running.', {}, { cause: error });
    }
  },
  async discover(connection): Promise<DirectoryFacts> {
    const client = new DirectoryClient({
      url: connection.url,
      bindUpn: connection.bindUpn,
      password: connection.password,
      tls: connection.trust,
      connectTimeoutMs: 5_000,
      timeoutMs: 15_000,
      reconnect: { attempts: 1 },
    });
    try {
      const d = await discoverDomain(client);
      const [root] = await client.searchEntries('', { scope: 'base', attributes: ['currentTime'] });
      const ouEntries = await client.searchEntries(d.domainDn, { scope: 'sub', filter: '(objectClass=organizationalUnit)', attributes: ['ou'], paged: { pageSize: 500 } });
      const ous = treeOrder(ouEntries.map((e) => e.dn).filter((dn) => !/^OU=Domain Controllers,/i.test(dn)));
      return {
        dnsDomainName: d.dnsDomainName,
        netbiosName: d.netbiosName,
        domainControllers: d.domainControllers.map((c) => c.dnsHostName || c.name),
        connectedDc: d.connectedDc,
        thisHostIsDc: d.thisHostIsDc,
        upnSuffixes: d.upnSuffixes.map((s) => ({ suffix: s.suffix, routable: s.routable })),
        dcTime: root ? parseGeneralizedTime(first(root, 'currentTime')) ?? null : null,
        ous: ous.map((dn) => ({ dn, name: ouName(dn), depth: ouDepth(dn) })),
      };
    } finally {
      await client.close();
    }
  },
};
