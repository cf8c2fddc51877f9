/**
 * Last line of defence before text leaves the core (logs, error messages, IPC events): strips anything
 * shaped like a secret. Secrets should never get this far; this catches the ones that would.
 */
const PATTERNS: Array<[RegExp, string]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, '[REDACTED KEY]'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, '[REDACTED TOKEN]'],
  [/(bearer\s+)[A-Za-z0-9._~+/=-]{12,}/gi, '$1[REDACTED]'],
  [/("?(?:password|newPassword|unicodePwd|client_secret|refresh_token|access_token|secret)"?\s*[:=]\s*)("[^"]*"|[^\s,;&}]+)/gi, '$1"[REDACTED]"'],
];

/** Returns `text` with private keys, JWTs, bearer tokens and `password=…`-style values replaced. */
export function redact(text: string): string {
  return PATTERNS.reduce((acc, [re, by]) => acc.replace(re, by), text);
}
