import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function layeringErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'local/layering').map((m) => m.message);
}

describe('import boundaries (lint)', () => {
  it("only electron/app/** may import 'electron'", async () => {
    expect(await layeringErrors('electron/sync/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([
      expect.stringContaining("Only electron/app/** may import 'electron'"),
    ]);
    expect(await layeringErrors('electron/core/x.ts', "import Store from 'electron-store';\nexport const a = Store;\n")).toHaveLength(1);
    expect(await layeringErrors('electron/app/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toEqual([]);
  });

  it('renderer/ imports only renderer/ and shared/', async () => {
    expect(await layeringErrors('renderer/src/x.ts', "import { createCore } from '../../electron/core/core';\nexport const a = createCore;\n")).toEqual([
      expect.stringContaining('renderer/ may not import from electron/'),
    ]);
    expect(await layeringErrors('renderer/src/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n")).toHaveLength(1);
    expect(await layeringErrors('renderer/src/x.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n")).toHaveLength(1);
    expect(await layeringErrors('renderer/src/x.ts', "import { requestChannels } from '../../shared/contract';\nexport const a = requestChannels;\n")).toEqual([]);
  });

  it('shared/ imports nothing of ours outside shared/', async () => {
    expect(await layeringErrors('shared/x.ts', "import { api } from '../renderer/src/transport/api';\nexport const a = api;\n")).toHaveLength(1);
    expect(await layeringErrors('shared/x.ts', "export { redact } from '../electron/core/redact';\n")).toHaveLength(1);
    expect(await layeringErrors('shared/x.ts', "import os from 'os';\nexport const a = os;\n")).toHaveLength(1);
    expect(await layeringErrors('shared/contract/x.ts', "import { z } from 'zod';\nimport { Ok } from './define';\nexport const a = [z, Ok];\n")).toEqual([]);
  });

  it('electron/ may not reach into renderer/ or test/', async () => {
    expect(await layeringErrors('electron/core/x.ts', "import { App } from '../../renderer/src/app';\nexport const a = App;\n")).toHaveLength(1);
    expect(await layeringErrors('electron/core/x.ts', "const s = await import('../../test/sandbox-tenant/sandbox');\nexport const a = s;\n")).toHaveLength(1);
  });

  // Inside electron/: each rule of the floor plan, proven to fire, and its allowed direction proven to pass.
  const imports = (from: string, to: string) => layeringErrors(`electron/${from}/x.ts`, `import { a } from '../${to}/y';\nexport const b = a;\n`);

  it('electron/core/ imports only stores/ and shared/', async () => {
    for (const up of ['directory', 'tenant', 'sync', 'wizards', 'host', 'web', 'headless']) {
      expect(await imports('core', up), `core → ${up}`).toEqual([expect.stringContaining('electron/core/ may not import electron/' + up)]);
    }
    expect(await imports('core', 'stores')).toEqual([]);
    expect(await layeringErrors('electron/core/x.ts', "import { z } from '../../shared/contract';\nexport const a = z;\n")).toEqual([]);
  });

  it('electron/stores/ imports nothing of electron/', async () => {
    expect(await imports('stores', 'core')).toHaveLength(1);
  });

  it('directory/, tenant/ and dns/ import only core/ and stores/ (not each other, not the features)', async () => {
    for (const service of ['directory', 'tenant', 'dns']) {
      for (const up of ['sync', 'wizards', 'host', 'web']) expect(await imports(service, up), `${service} → ${up}`).toHaveLength(1);
      expect(await imports(service, 'core')).toEqual([]);
      expect(await imports(service, 'stores')).toEqual([]);
    }
    expect(await imports('tenant', 'directory')).toHaveLength(1);
    expect(await imports('directory', 'tenant')).toHaveLength(1);
    expect(await imports('dns', 'directory')).toHaveLength(1); // the wizard hands dns/ its LDAP searcher
    expect(await imports('wizards', 'dns')).toEqual([]);
    expect(await imports('sync', 'dns')).toHaveLength(1);
  });

  it('sync/ and wizards/ import the services, core/ and stores/ — not each other, not the hosts', async () => {
    for (const feature of ['sync', 'wizards']) {
      for (const down of ['directory', 'tenant', 'core', 'stores']) expect(await imports(feature, down), `${feature} → ${down}`).toEqual([]);
      for (const up of ['host', 'web', 'headless']) expect(await imports(feature, up), `${feature} → ${up}`).toHaveLength(1);
    }
    expect(await imports('sync', 'wizards')).toHaveLength(1);
    expect(await imports('wizards', 'sync')).toHaveLength(1);
  });

  it('the hosts (app/, headless/, web/, host/) may import any room', async () => {
    for (const host of ['headless', 'web', 'host']) for (const room of ['core', 'sync', 'wizards', 'tenant']) expect(await imports(host, room)).toEqual([]);
  });

  it('a folder of electron/ that is not in the layer table is refused until it is placed on a floor', async () => {
    expect(await layeringErrors('electron/misc/x.ts', 'export const a = 1;\n')).toEqual([expect.stringContaining('electron/misc/ is not in the layer table')]);
    expect(await imports('sync', 'misc')).toEqual([expect.stringContaining('electron/misc/ is not in the layer table')]);
  });

  it('the tree itself keeps every rule', async () => {
    const results = await eslint.lintFiles(['electron', 'renderer', 'shared']);
    const broken = results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'local/layering').map((m) => `${path.relative(root, r.filePath)}:${m.line} ${m.message}`));
    expect(broken).toEqual([]);
  }, 60_000);
});
