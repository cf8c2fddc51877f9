/**
 * The names under which the app keeps its secrets in the SecretStore (OS keychain). One list, so the
 * wizards that write them, the features that read them and "Disable integration" that deletes them agree.
 */
export const SECRET_NAMES = {
  /** Password of the directory service account the app binds with over LDAPS. */
  directoryBindPassword: 'directory-bind-password',
  /** PKCS#8 PEM of the app registration's certificate (the service's credential to Microsoft 365). */
  appCertificateKey: 'tenant-app-certificate-key',
  /** AES-256 key (base64) that encrypts queued passwords at rest in the sync state database. */
  passwordQueueKey: 'sync-outbox-key',
} as const;
