// The state file: everything a restart needs, written before a write is acknowledged so that an answered
// write survives `kill -9` of the sandbox (write to a temporary file, fsync, rename over the old one).
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import type { SandboxSeed, TenantState } from './state';
import type { SandboxTls } from './tls';

/** What the state file holds. */
export interface Persisted { state: TenantState; tls: SandboxTls; signingKeyPem: string; controlSecret: string; seed?: SandboxSeed }

/** One sandbox's state file (or none: in-memory runs). */
export class StateFile {
  private dirty = false;
  constructor(private readonly path: string | undefined) {}

  /** The saved state, or undefined when there is no file yet. */
  load(): Persisted | undefined {
    return this.path && existsSync(this.path) ? (JSON.parse(readFileSync(this.path, 'utf8')) as Persisted) : undefined;
  }

  /** Something changed; `flush` will write it. */
  markDirty(): void { this.dirty = true; }

  /** Write now if anything changed (called before each answer goes out). */
  flush(p: Persisted): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.write(p);
  }

  /** Write unconditionally. */
  write(p: Persisted): void {
    if (!this.path) return;
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, JSON.stringify(p));
      fsyncSync(fd);
    } finally { closeSync(fd); }
    renameSync(tmp, this.path);
  }
}
