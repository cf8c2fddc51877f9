// Child process for directory-password-capture.test.ts: starts the Samba capture, prints its samba-tool PID, then
// waits to be killed with SIGKILL (no chance to stop the loop itself).
import { SambaPasswordCapture } from '../../electron/directory/samba-password-capture';

const [smbConf, gnupgHome, stateDir] = process.argv.slice(2) as [string, string, string];
const capture = new SambaPasswordCapture({ smbConf, gnupgHome, stateDir });
await capture.start(() => undefined);
process.stdout.write(`pid ${capture.pid}\n`);
setInterval(() => undefined, 60_000);
