import { Menu, nativeImage, Tray } from 'electron';
import type { SyncHealth } from '../../shared/contract';

/** A tray icon whose tooltip and menu show the sync status, so the admin sees problems without opening the app. */
export function createStatusTray(iconPath: string, actions: { show(): void; quit(): void }): (health: SyncHealth) => void {
  const tray = new Tray(nativeImage.createFromPath(iconPath));
  const render = (health: SyncHealth): void => {
    tray.setToolTip(`OpenEssentials — ${health.message}`);
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: `Sync: ${health.state}${health.pending ? ` (${health.pending} pending)` : ''}`, enabled: false },
        { type: 'separator' },
        { label: 'Open Dashboard', click: actions.show },
        { label: 'Quit', click: actions.quit },
      ]),
    );
  };
  tray.on('click', actions.show);
  return render;
}
