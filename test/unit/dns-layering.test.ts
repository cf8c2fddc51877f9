// electron/dns may import only node built-ins, its own files, electron/core, electron/stores and shared/ (the
// directory client is passed in as an LdapSearcher): checked here until lint enforces layers inside electron/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = path.resolve('electron/dns');
const ALLOWED = /^(node:|\.\/|\.\.\/core\/|\.\.\/stores\/|\.\.\/\.\.\/shared\/)/;

describe('electron/dns layering', () => {
  it('imports nothing outside node, itself, core, stores and shared', () => {
    const offenders: string[] = [];
    const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      for (const m of fs.readFileSync(path.join(DIR, f), 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)) {
        if (!ALLOWED.test(m[1]!)) offenders.push(`${f}: ${m[1]}`);
      }
    }
    expect(offenders).toEqual([]);
    // the check itself sees a forbidden import
    expect(ALLOWED.test('../directory/directory-client')).toBe(false);
  });
});
