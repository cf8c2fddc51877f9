// `npm run demo`: the whole product on one machine — a local Samba AD DC (provisioned once with a few dozen
// realistic users, then reused), the sandbox Microsoft 365 tenant, and the web dashboard in front of the
// real core. Prints where everything is; Ctrl+C stops it all (the demo domain and tenant are kept in .demo/).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHost } from '../electron/headless/host';
import { loopbackIp, startTestDc } from '../test/samba/dc-harness';
import { startSandboxTenant } from '../test/sandbox-tenant/sandbox';
import { configureDemo } from './demo-config';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const demoDir = path.join(root, '.demo');
const step = (text: string) => process.stdout.write(`• ${text}\n`);

step(`Starting the demo domain controller (Samba AD DC on ${loopbackIp(2)}; the first run provisions it, ~30 s)…`);
const dc = await startTestDc({ ip: loopbackIp(2), dir: path.join(demoDir, 'dc'), reuse: true, passwordCapture: true, users: 40 });
step(`Directory: ${dc.realm} at ${dc.url}`);

step('Starting the sandbox Microsoft 365 tenant…');
const tenant = await startSandboxTenant({ port: Number(process.env.OE_SANDBOX_PORT ?? 9443), stateFile: path.join(demoDir, 'sandbox-state.json') });
step(`Tenant: ${tenant.url} (tenant id ${tenant.tenantId})`);

const dataDir = path.join(demoDir, 'app');
const host = await startHost({ dataDir, mode: 'web', web: { port: Number(process.env.OE_DASHBOARD_PORT ?? 0) }, extraExternalOrigins: [tenant.url] });
await configureDemo(host.core, dc, tenant);

process.stdout.write(`
OpenEssentials demo is running.

  Dashboard:        ${host.web!.url}
  Sign in to Microsoft 365 (sandbox) as admin@contoso.onmicrosoft.com / Sandbox-Admin-1!
  Directory:        ${dc.realm} at ${dc.url} (service account ${dc.adminUpn}; its password is in the OS keychain)
  Sandbox tenant:   ${tenant.url}

Press Ctrl+C to stop.
`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  step('Stopping…');
  await host.stop();
  await tenant.stop();
  await dc.stop();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
