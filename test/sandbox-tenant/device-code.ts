// The OAuth 2.0 device authorization grant as Entra runs it: /devicecode hands out a user code, the person
// enters it at the device login page (or a test approves it over control), and the client polls /token.
import { randomBytes, randomInt } from 'node:crypto';

interface Pending { clientId: string; scopes: string[]; userCode: string; exp: number; userId?: string; interval: number }

/** What polling the token endpoint with a device code finds. */
export type DeviceCodeState = { kind: 'pending' | 'expired' | 'unknown' } | { kind: 'approved'; userId: string; clientId: string; scopes: string[] };

/** Device codes in memory (like auth codes, they don't outlive the sandbox process). */
export class DeviceCodes {
  private readonly byDevice = new Map<string, Pending>();
  constructor(private readonly now: () => number) {}

  /** POST /devicecode: the body Entra returns. */
  start(clientId: string, scopes: string[]): Record<string, unknown> {
    const deviceCode = randomBytes(32).toString('base64url');
    const userCode = Array.from({ length: 9 }, () => 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'[randomInt(32)]).join('');
    this.byDevice.set(deviceCode, { clientId, scopes, userCode, exp: this.now() + 900_000, interval: 5 });
    return {
      user_code: userCode, device_code: deviceCode, verification_uri: 'https://microsoft.com/devicelogin', expires_in: 900, interval: 5,
      message: `To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ${userCode} to authenticate.`,
    };
  }

  /** The person signed in and entered the code. */
  approve(userCode: string, userId: string): boolean {
    for (const p of this.byDevice.values()) {
      if (p.userCode === userCode.trim().toUpperCase() && p.exp > this.now()) { p.userId = userId; return true; }
    }
    return false;
  }

  /** Polling: pending until approved; a redeemed code is gone. */
  poll(deviceCode: string, clientId: string): DeviceCodeState {
    const p = this.byDevice.get(deviceCode);
    if (!p || p.clientId !== clientId) return { kind: 'unknown' };
    if (p.exp < this.now()) { this.byDevice.delete(deviceCode); return { kind: 'expired' }; }
    if (!p.userId) return { kind: 'pending' };
    this.byDevice.delete(deviceCode);
    return { kind: 'approved', userId: p.userId, clientId: p.clientId, scopes: p.scopes };
  }
}
