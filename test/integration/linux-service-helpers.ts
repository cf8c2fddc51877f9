// Helpers for linux-service.test.ts: the installer, systemd-analyze, the dashboard's HTTP API as an admin's browser uses
// it, and every key an attacker could make out of the repository and a copied data dir.
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { WizardInput, WizardState } from '../../shared/contract';
import { REPO_ROOT } from '../e2e/fixtures/build-renderer';
import { request } from '../support/http-request';

/** Runs scripts/service-install.mjs (or an installed copy) and returns what it printed; throws with it on failure. */
export function installer(args: string[], script = path.join(REPO_ROOT, 'scripts/service-install.mjs')): string {
  const r = spawnSync(process.execPath, [script, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`service-install ${args.join(' ')} failed (${r.status}): ${r.stdout}${r.stderr}`);
  return r.stdout + r.stderr;
}

/** `systemd-analyze verify`: '' when the unit is clean; otherwise every complaint, warnings included. */
export function verifyUnit(unitFile: string): string {
  const r = spawnSync('systemd-analyze', ['verify', unitFile], { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`.trim() || (r.status === 0 ? '' : `exit ${r.status}`);
}

/** `systemd-analyze security --offline=yes`: the overall exposure score (0 = locked down, 10 = unsafe). */
export function exposure(unitFile: string): number {
  const out = execFileSync('systemd-analyze', ['security', '--offline=yes', unitFile], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return Number(/Overall exposure level for \S+: ([\d.]+)/.exec(out)?.[1] ?? NaN);
}

/** Every regular file below `dir` (symlinks not followed), skipping folders named in `skip`. */
export function filesUnder(dir: string, skip: string[] = []): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory() && !skip.includes(entry.name)) out.push(...filesUnder(p, skip));
    else if (entry.isFile()) out.push(p);
  }
  return out;
}

/** The dashboard as a browser drives it: the one-time link for a session cookie, then contract calls. */
export async function dashboardClient(launchUrl: string): Promise<{ invoke<T>(channel: string, ...args: unknown[]): Promise<T>; submit(input: WizardInput): Promise<WizardState> }> {
  const origin = new URL(launchUrl).origin;
  const cookie = String((await request(launchUrl)).headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
  const invoke = async <T>(channel: string, ...args: unknown[]): Promise<T> => {
    const r = await request(`${origin}/api/invoke/${channel}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie, Origin: origin }, body: JSON.stringify({ args }) });
    const outcome = JSON.parse(r.body) as { ok: boolean; result?: T; error?: unknown };
    if (!outcome.ok) throw new Error(`${channel}: ${JSON.stringify(outcome.error)}`);
    return outcome.result as T;
  };
  const submit = async (input: WizardInput): Promise<WizardState> => {
    // Sent from the page the core shows now, as the dashboard does.
    await invoke('wizard:submit-step', (await invoke<WizardState>('wizard:get-state')).step?.kind ?? 'get-started', input);
    for (let i = 0; i < 600; i++) {
      const s = await invoke<WizardState>('wizard:get-state');
      if (!s.busy) return s;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('wizard stayed busy');
  };
  return { invoke, submit };
}

/**
 * Every 32-byte key that can be made from these files without a secret: each file's bytes and their SHA-256, and each
 * word or string in it as UTF-8 (if 32 bytes), hashed, or decoded from base64/hex — the keyring password in
 * scripts/with-keyring.sh, the test passwords, any constant a key could have been derived from.
 */
export function candidateKeys(files: string[]): Buffer[] {
  const seen = new Set<string>();
  const keys: Buffer[] = [];
  const add = (key: Buffer): void => {
    const id = key.toString('hex');
    if (key.length === 32 && !seen.has(id)) {
      seen.add(id);
      keys.push(key);
    }
  };
  const sha = (b: Buffer | string): Buffer => createHash('sha256').update(b).digest();
  for (const file of files) {
    const bytes = fs.readFileSync(file);
    add(bytes);
    add(sha(bytes));
    for (const token of new Set(bytes.toString('latin1').split(/["'`\s,;(){}[\]<>]+/))) {
      if (token.length < 4) continue;
      add(Buffer.from(token, 'utf8'));
      add(sha(token));
      if (/^[A-Za-z0-9+/_-]{40,}={0,2}$/.test(token)) add(Buffer.from(token, 'base64'));
      if (/^[0-9a-f]{64}$/i.test(token)) add(Buffer.from(token, 'hex'));
    }
  }
  return keys;
}
