import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

/** The app's credential: the public part goes to Entra (keyCredential), the private key to the keychain. */
export interface AppCertificate {
  certificatePem: string;
  privateKeyPem: string;
  /** base64url SHA-256 of the DER certificate, as MSAL wants it (hex accepted too). */
  thumbprintSha256: string;
  keyCredential: { type: 'AsymmetricX509Cert'; usage: 'Verify'; key: string; displayName: string; startDateTime: string; endDateTime: string };
}

/** Generate a self-signed RSA-2048 certificate (default 2 years) for client-credential sign-in. */
export function generateAppCertificate(subject = 'OpenEssentials', validDays = 730): AppCertificate {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  const start = new Date(Date.now() - 5 * 60_000);
  const end = new Date(start.getTime() + validDays * 86_400_000);
  cert.validity.notBefore = start;
  cert.validity.notAfter = end;
  const name = [{ name: 'commonName', value: subject }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([{ name: 'basicConstraints', cA: false }, { name: 'keyUsage', digitalSignature: true, critical: true }]);
  cert.sign(forge.pki.privateKeyFromPem(privateKeyPem), forge.md.sha256.create());
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  return {
    certificatePem: forge.pki.certificateToPem(cert),
    privateKeyPem,
    thumbprintSha256: createHash('sha256').update(der).digest('hex'),
    keyCredential: {
      type: 'AsymmetricX509Cert', usage: 'Verify', key: der.toString('base64'), displayName: `CN=${subject}`,
      startDateTime: start.toISOString(), endDateTime: end.toISOString(),
    },
  };
}
