// TLS trust for LDAPS: a CA the admin approved, or a pinned SHA-256 fingerprint (trust on first use), or the
// system store. Verification happens in a gate before ldapts sees the connection, so no credential is ever sent to
// an unverified server, and a failure says *why* (untrusted vs wrong name vs changed fingerprint) with the cert.
import * as crypto from 'node:crypto';
import * as tls from 'node:tls';
import { DirectoryError, type CertificateInfo } from './directory-errors';

/** What the admin approved for this DC. `serverName` is the DC's DNS name when connecting by IP. */
export interface TlsTrust {
  caPem?: string;
  fingerprintSha256?: string;
  serverName?: string;
}

/** Normalises "AB:CD:…" / "abcd…" to lowercase hex without separators, for comparisons. */
export function normalizeFingerprint(fp: string): string {
  return fp.replace(/[^0-9a-f]/gi, '').toLowerCase();
}

/** Certificate details for the TOFU prompt. */
export function describeCertificate(cert: tls.PeerCertificate): CertificateInfo {
  const der = cert.raw;
  const pem = `-----BEGIN CERTIFICATE-----\n${(der.toString('base64').match(/.{1,64}/g) ?? []).join('\n')}\n-----END CERTIFICATE-----\n`;
  const name = (n: unknown): string => (n && typeof n === 'object'
    ? Object.entries(n as Record<string, string | string[]>).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`).join(', ')
    : '');
  return {
    fingerprintSha256: crypto.createHash('sha256').update(der).digest('hex'),
    subject: name(cert.subject), issuer: name(cert.issuer), validFrom: cert.valid_from, validTo: cert.valid_to,
    subjectAltNames: cert.subjectaltname ?? '', pem,
  };
}

const NAME_ERRORS = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH']);

/**
 * Decides whether a completed handshake is trusted; returns a DirectoryError if not. `authorized`/`authorizationError`
 * are Node's own chain + hostname verdict against `ca` (or the system store).
 */
export function verdict(socket: tls.TLSSocket, trust: TlsTrust, host: string): DirectoryError | undefined {
  const peer = socket.getPeerCertificate(false);
  if (!peer || !peer.raw) return new DirectoryError('tls-untrusted', 'The domain controller presented no certificate.');
  const info = describeCertificate(peer);
  if (trust.fingerprintSha256) {
    if (info.fingerprintSha256 === normalizeFingerprint(trust.fingerprintSha256)) return undefined;
    return new DirectoryError('fingerprint-mismatch',
      'The domain controller\'s certificate is not the one you approved. If it was renewed, review and approve the new fingerprint; otherwise someone may be intercepting the connection.',
      { certificate: info });
  }
  if (socket.authorized) return undefined;
  const reason = String(socket.authorizationError ?? 'unknown');
  if (NAME_ERRORS.has(reason)) {
    return new DirectoryError('tls-name-mismatch',
      `The domain controller's certificate is for a different name than ${trust.serverName ?? host}. Connect using the name on the certificate.`,
      { certificate: info, tlsReason: reason });
  }
  return new DirectoryError('tls-untrusted',
    'The domain controller\'s certificate is not trusted yet. Check the fingerprint with your administrator and approve it to continue.',
    { certificate: info, tlsReason: reason });
}

/**
 * A `createSecureConnection` for ldapts: the handshake's 'secureConnect' is only forwarded once `verdict` passes;
 * otherwise the socket errors with the DirectoryError. Chain failures are evaluated here rather than by OpenSSL's
 * reject (rejectUnauthorized is only relaxed for the handshake, never for what is sent after it), which is what
 * lets a pinned fingerprint work for self-signed DC certificates.
 */
export function gatedTlsConnect(trust: TlsTrust, onVerified?: (cert: CertificateInfo) => void): typeof tls.connect {
  return ((...args: unknown[]) => {
    const port = args[0] as number;
    const host = args[1] as string;
    const base = (args[2] ?? {}) as tls.ConnectionOptions;
    const serverName = trust.serverName ?? host;
    const socket = tls.connect({
      ...base, port, host,
      ...(trust.caPem ? { ca: [trust.caPem] } : {}),
      ...(net_isIp(serverName) ? {} : { servername: serverName }),
      rejectUnauthorized: false,
      checkServerIdentity: (_h: string, cert: tls.PeerCertificate) => tls.checkServerIdentity(serverName, cert),
    });
    const emit = socket.emit.bind(socket);
    socket.emit = ((event: string | symbol, ...rest: unknown[]): boolean => {
      if (event === 'secureConnect') {
        const bad = verdict(socket, trust, host);
        if (bad) {
          socket.destroy(bad);
          return false;
        }
        onVerified?.(describeCertificate(socket.getPeerCertificate(false)));
      }
      return emit(event, ...rest);
    }) as typeof socket.emit;
    return socket;
  }) as typeof tls.connect;
}

function net_isIp(s: string): boolean {
  return /^[\d.]+$/.test(s) || s.includes(':');
}

/**
 * Reads the DC's certificate and judges it under `trust` without sending any LDAP data (the wizard's
 * trust-on-first-use step: show `certificate.fingerprintSha256`, let the admin approve it).
 */
export async function probeCertificate(url: string, trust: TlsTrust = {}, timeoutMs = 5_000): Promise<{ certificate: CertificateInfo; trusted: boolean; problem?: DirectoryError }> {
  const u = new URL(url);
  const port = Number(u.port || 636);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    let cert: CertificateInfo | undefined;
    const socket = gatedTlsConnect(trust, (c) => { cert = c; })(port, host, {});
    const timer = setTimeout(() => { socket.destroy(); reject(new DirectoryError('unreachable', 'The domain controller did not answer in time.')); }, timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ certificate: cert!, trusted: true });
    });
    socket.once('error', (e) => {
      clearTimeout(timer);
      if (e instanceof DirectoryError && e.details.certificate) resolve({ certificate: e.details.certificate, trusted: false, problem: e });
      else reject(new DirectoryError('unreachable', 'The domain controller cannot be reached. Check its address and that it is running.', {}, { cause: e }));
    });
  });
}
