// `npm run sandbox`: run the Microsoft 365 emulator alone and print how to use it.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startSandboxTenant } from './sandbox';
import { DEFAULT_SEED, SANDBOX_PUBLIC_CLIENT_ID } from './state';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : process.env[`SANDBOX_${name.toUpperCase().replace(/-/g, '_')}`];
}

// --memory: no state file (benchmarks: persisting 10,000 users every 200 ms would measure the disk, not the engine)
const memory = process.argv.includes('--memory');
const stateFile = arg('state-file') ?? join(tmpdir(), memory ? `openessentials-sandbox-${process.pid}` : 'openessentials-sandbox-tenant.json');
const sb = await startSandboxTenant({
  port: Number(arg('port') ?? 0) || undefined,
  host: arg('host'),
  ...(memory ? {} : { stateFile }),
  timeScale: Number(arg('time-scale') ?? 1),
  controlSecret: arg('control-secret'),
  // where domain verification looks records up, e.g. --dns-servers 127.0.0.11:53 (the demo's BIND)
  dnsServers: arg('dns-servers')?.split(',').filter(Boolean),
});
const caFile = `${stateFile}.ca.pem`;
writeFileSync(caFile, sb.caPem);
const admin = DEFAULT_SEED.admins[0]!;
console.log(`Sandbox tenant (Microsoft 365 emulator)
  url:            ${sb.url}
  tenant id:      ${sb.tenantId}
  authority:      ${sb.authorityUrl}
  graph:          ${sb.graphBaseUrl}
  CA certificate: ${caFile}   (NODE_EXTRA_CA_CERTS=${caFile})
  state file:     ${stateFile}
  control:        POST ${sb.url}/_control/<method>  header x-sandbox-control-secret: ${sb.controlSecret}
  public client:  ${SANDBOX_PUBLIC_CLIENT_ID}
  admin sign-in:  ${admin.userPrincipalName} / ${admin.password}   (sandbox-only credentials)`);
console.log(JSON.stringify({ url: sb.url, tenantId: sb.tenantId, caFile, controlSecret: sb.controlSecret, authorityUrl: sb.authorityUrl, graphBaseUrl: sb.graphBaseUrl, authorityMetadata: sb.authorityMetadata }));
const stop = () => { void sb.stop().then(() => { if (memory) rmSync(caFile, { force: true }); process.exit(0); }); };
// --memory runs are children of a benchmark: when the parent goes away (its end of our stdin closes), so do we.
if (memory) process.stdin.on('end', stop).resume();
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
