// Realistic users for tests, the demo ("a few dozen") and benchmarks (thousands), with accented names too.
import { Attribute, Change, Client } from 'ldapts';
import * as tls from 'node:tls';

const GIVEN = ['Anna', 'José', 'Zoë', 'Łukasz', 'Søren', 'Émilie', 'Björn', 'Chloé', 'Mehmet', 'Aoife', 'Raúl', 'Françoise', 'Jürgen', 'Priya', 'Oliver', 'Mia', 'Noah', 'Sofía', 'Kenji', 'Grace', 'Dmitri', 'Ingrid', 'Tomás', 'Hannah'];
const FAMILY = ['Müller', 'García', 'O\'Brien', 'Nowak', 'Jørgensen', 'Lefèvre', 'Smith', 'Yılmaz', 'Nakamura', 'Dubois', 'Schröder', 'Kowalski', 'Ramírez', 'Andersson', 'Brown', 'Rossi', 'Patel', 'Novák', 'Ivanova', 'Kelly'];
const DEPTS: [string, string[]][] = [
  ['Sales', ['Account Manager', 'Sales Representative', 'Head of Sales']],
  ['Finance', ['Accountant', 'Controller']],
  ['Operations', ['Office Manager', 'Logistics Coordinator']],
  ['Engineering', ['Software Engineer', 'IT Administrator']],
  ['Marketing', ['Marketing Specialist', 'Designer']],
];
const OFFICES = ['Berlin', 'Lyon', 'Dublin', 'Kraków', 'Remote'];

/** Deterministic realistic person #i (stable across runs so the demo looks the same every time). */
export function seedPerson(i: number, realm: string): { cn: string; sam: string; upn: string; given: string; sn: string; dept: string; title: string; office: string; phone: string } {
  const given = GIVEN[i % GIVEN.length]!;
  const sn = FAMILY[(i * 7 + Math.floor(i / GIVEN.length)) % FAMILY.length]!;
  const [dept, titles] = DEPTS[i % DEPTS.length]!;
  const ascii = (s: string): string => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[Łł]/g, 'l').replace(/[Øø]/g, 'o').replace(/ı/g, 'i').replace(/[^A-Za-z]/g, '').toLowerCase();
  const idx = i >= GIVEN.length ? String(i) : '';
  const sam = `${ascii(given)}.${ascii(sn)}`.slice(0, 20 - idx.length) + idx; // unique, within AD's 20 chars
  return {
    cn: i >= GIVEN.length ? `${given} ${sn} ${i}` : `${given} ${sn}`, sam, upn: `${sam}@${realm.toLowerCase()}`, given, sn, dept,
    title: titles[i % titles.length]!, office: OFFICES[i % OFFICES.length]!, phone: `+49 30 5550${String(1000 + i).slice(-4)}`,
  };
}

/** What seedUsers needs from a DC (TestDc satisfies it). */
export interface SeedTarget { url: string; caPem: string; dnsHostName: string; adminUpn: string; adminPassword: string; domainDn: string; realm: string }

/**
 * Creates OU=Staff and `count` users in it. With `passwords` (default when count ≤ 500) they get a password and are
 * enabled; bulk seeding (benchmarks) skips passwords, which cost Kerberos key derivation per user.
 */
export async function seedUsers(dc: SeedTarget, count: number, opts: { ou?: string; passwords?: boolean; start?: number; connections?: number } = {}): Promise<string> {
  const ouName = opts.ou ?? 'Staff';
  const ou = `OU=${ouName},${dc.domainDn}`;
  const passwords = opts.passwords ?? count <= 500;
  const open = async (): Promise<Client> => {
    const c = new Client({ url: dc.url, timeout: 60_000, strictDN: false, tlsOptions: { ca: [dc.caPem], checkServerIdentity: (_h, cert) => tls.checkServerIdentity(dc.dnsHostName, cert) } });
    await c.bind(dc.adminUpn, dc.adminPassword);
    return c;
  };
  const first = await open();
  try {
    await first.add(ou, { objectClass: ['top', 'organizationalUnit'], ou: ouName });
  } catch (e) {
    if ((e as { code?: number }).code !== 68) throw e;
  }
  const conns = [first, ...(await Promise.all(Array.from({ length: Math.max(0, (opts.connections ?? 2) - 1) }, open)))];
  let next = opts.start ?? 0;
  const end = next + count;
  await Promise.all(conns.map(async (c) => {
    for (let i = next++; i < end; i = next++) {
      const p = seedPerson(i, dc.realm);
      const dn = `CN=${p.cn.replace(/([,+"\\<>;=])/g, '\\$1')},${ou}`;
      await c.add(dn, {
        objectClass: ['top', 'person', 'organizationalPerson', 'user'], sAMAccountName: p.sam, userPrincipalName: p.upn,
        givenName: p.given, sn: p.sn, displayName: `${p.given} ${p.sn}`, mail: p.upn, title: p.title, department: p.dept,
        physicalDeliveryOfficeName: p.office, telephoneNumber: p.phone, userAccountControl: '514',
      });
      if (passwords) {
        await c.modify(dn, new Change({ operation: 'replace', modification: new Attribute({ type: 'unicodePwd', values: [Buffer.from(`"Welcome-${i}-Aa!"`, 'utf16le')] }) }));
        await c.modify(dn, new Change({ operation: 'replace', modification: new Attribute({ type: 'userAccountControl', values: ['512'] }) }));
      }
    }
  }));
  await Promise.all(conns.map((c) => c.unbind().catch(() => undefined)));
  return ou;
}
