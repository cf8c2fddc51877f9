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
});
