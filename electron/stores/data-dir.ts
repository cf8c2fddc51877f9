import os from 'node:os';
import path from 'node:path';

/**
 * The folder Electron calls `userData` for an app named OpenEssentials, computed without Electron so the
 * headless service, the web dashboard and the desktop app all read and write the same settings file.
 * `OE_DATA_DIR` overrides it (tests, demo).
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.OE_DATA_DIR) return path.resolve(env.OE_DATA_DIR);
  const home = os.homedir();
  switch (process.platform) {
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'OpenEssentials');
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'OpenEssentials');
    default:
      return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'OpenEssentials');
  }
}
