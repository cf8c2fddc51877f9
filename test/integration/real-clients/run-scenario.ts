// Runs graph-sdk-scenario.ts in a process of its own (its TLS trust comes from NODE_EXTRA_CA_CERTS, read at
// start), optionally inside a namespace, and collects its JSON lines by step.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ScenarioInput } from './graph-sdk-scenario';

const SCENARIO = join(import.meta.dirname, 'graph-sdk-scenario.ts');

/** Step name → what the step reported. */
export type ScenarioResult = Map<string, Record<string, unknown>>;

/** Run the scenario; `spawnIn` lets a namespace run it. Rejects with the client's own error text. */
export async function runScenario(input: ScenarioInput, caPem: string, spawnIn?: (cmd: string, args: string[], env: NodeJS.ProcessEnv) => ChildProcess): Promise<ScenarioResult> {
  const caFile = join(tmpdir(), `oe-sandbox-ca-${process.pid}.pem`);
  writeFileSync(caFile, caPem);
  const env = { ...process.env, NODE_EXTRA_CA_CERTS: caFile, SCENARIO: JSON.stringify(input) };
  const args = ['--import', 'tsx', SCENARIO];
  const child = spawnIn ? spawnIn(process.execPath, args, env) : spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const result: ScenarioResult = new Map();
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => { stderr += c.toString(); });
  createInterface({ input: child.stdout! }).on('line', (l) => {
    try { const o = JSON.parse(l) as { step: string }; result.set(o.step, o); } catch { stderr += `${l}\n`; }
  });
  const code = await new Promise<number | null>((r) => child.once('close', r));
  const failed = [...result.values()].find((o) => 'error' in o);
  if (code !== 0 || failed) throw new Error(`scenario failed (exit ${code}) at ${JSON.stringify(failed ?? {})}\n${stderr.slice(-3000)}`);
  return result;
}
