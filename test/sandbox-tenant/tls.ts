import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

/** The sandbox's own CA and the server certificate it signs for 127.0.0.1/localhost. */
export interface SandboxTls {
  caPem: string;
  caKeyPem: string;
  certPem: string;
  keyPem: string;
}

function keyPair(): { publicKeyPem: string; privateKeyPem: string } {
  // Node's generator is far faster than forge's pure-JS one; forge only builds the certificates.
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

function serial(): string {
  return `01${randomBytes(8).toString('hex')}`;
}

/** Generate a CA (10 years) and a server certificate for the given hosts (1 year). */
export function generateSandboxTls(hosts: string[] = ['127.0.0.1', 'localhost']): SandboxTls {
  const ca = keyPair();
  const caKey = forge.pki.privateKeyFromPem(ca.privateKeyPem);
  const caCert = forge.pki.createCertificate();
  caCert.publicKey = forge.pki.publicKeyFromPem(ca.publicKeyPem);
  caCert.serialNumber = serial();
  caCert.validity.notBefore = new Date(Date.now() - 86_400_000);
  caCert.validity.notAfter = new Date(Date.now() + 10 * 365 * 86_400_000);
  const caName = [{ name: 'commonName', value: 'OpenEssentials Sandbox Tenant CA' }, { name: 'organizationName', value: 'OpenEssentials test' }];
  caCert.setSubject(caName);
  caCert.setIssuer(caName);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(caKey, forge.md.sha256.create());

  const srv = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(srv.publicKeyPem);
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 365 * 86_400_000);
  cert.setSubject([{ name: 'commonName', value: hosts[0] ?? '127.0.0.1' }]);
  cert.setIssuer(caName);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: hosts.map((h) => (/^[\d.]+$/.test(h) ? { type: 7, ip: h } : { type: 2, value: h })),
    },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return {
    caPem: forge.pki.certificateToPem(caCert),
    caKeyPem: ca.privateKeyPem,
    certPem: forge.pki.certificateToPem(cert),
    keyPem: srv.privateKeyPem,
  };
}
