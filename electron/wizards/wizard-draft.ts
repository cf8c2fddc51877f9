import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { WizardKind } from '../../shared/contract/wizard';

/** One object the bootstrap created in the tenant, recorded before the next step so it can be undone. */
export const JournalEntry = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('application'), objectId: z.string(), appId: z.string() }),
  z.object({ kind: z.literal('service-principal'), id: z.string() }),
  z.object({ kind: z.literal('app-role'), servicePrincipalId: z.string(), id: z.string(), value: z.string() }),
  z.object({ kind: z.literal('directory-role'), id: z.string(), roleTemplateId: z.string() }),
]);
export type JournalEntry = z.infer<typeof JournalEntry>;

/**
 * The wizard's non-secret progress on disk, so closing the dashboard midway resumes where it was — and
 * so objects created in the tenant before a crash are still known and can be undone. Never holds a
 * password, key or token: the schema has no field for one.
 */
export const WizardDraft = z.object({
  version: z.literal(1),
  wizard: WizardKind,
  stepKind: z.string(),
  directory: z
    .object({
      url: z.string(),
      bindUpn: z.string(),
      trust: z.object({ caPem: z.string().optional(), fingerprintSha256: z.string().optional(), serverName: z.string().optional() }),
    })
    .nullable(),
  journal: z.array(JournalEntry),
  savedAt: z.string(),
});
export type WizardDraft = z.infer<typeof WizardDraft>;

/** `<dataDir>/wizards/draft.json`: one draft, since only one wizard runs at a time. */
export function draftPath(dataDir: string): string {
  return path.join(dataDir, 'wizards', 'draft.json');
}

/** Reads the draft; a missing or damaged file means "no wizard in progress". */
export function loadDraft(dataDir: string): WizardDraft | null {
  try {
    const parsed = WizardDraft.safeParse(JSON.parse(fs.readFileSync(draftPath(dataDir), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Writes the draft atomically (temp file + rename), readable only by this account. */
export function saveDraft(dataDir: string, draft: WizardDraft): void {
  const file = draftPath(dataDir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(WizardDraft.parse(draft), null, 2), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** Forgets the draft (wizard finished or cancelled). */
export function clearDraft(dataDir: string): void {
  fs.rmSync(draftPath(dataDir), { force: true });
}
