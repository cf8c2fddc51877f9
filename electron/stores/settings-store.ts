import Conf from 'conf';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Tenant endpoints: Microsoft 365 by default; the sandbox tenant by configuration only. */
export const TenantEndpointsSettings = z.object({
  authorityHost: z.string().url(),
  graphBaseUrl: z.string().url(),
  /** PEM of a private CA to trust (the sandbox's); never needed for Microsoft 365. */
  caPem: z.string().optional(),
});

const DirectorySettings = z.object({
  url: z.string(),
  bindUpn: z.string(),
  caPem: z.string().optional(),
  fingerprintSha256: z.string().optional(),
  serverName: z.string().optional(),
  scopeDns: z.array(z.string()).default([]),
  /** Where this DC's Samba keeps its config and the gpg key for password capture (Samba DCs only). */
  passwordCapture: z.object({ smbConf: z.string(), gnupgHome: z.string() }).optional(),
});

const TenantSettings = z.object({
  endpoints: TenantEndpointsSettings,
  tenantId: z.string(),
  clientId: z.string().optional(),
  applicationObjectId: z.string().optional(),
  servicePrincipalId: z.string().optional(),
  certificateThumbprintSha256: z.string().optional(),
  certificatePem: z.string().optional(),
  /** The tenant's `…onmicrosoft.com` domain: always verified, the fallback for new accounts' names. */
  initialDomain: z.string().optional(),
  defaultDomain: z.string().optional(),
  defaultUsageLocation: z.string().optional(),
  defaultSkuId: z.string().optional(),
  adminUpn: z.string().optional(),
  integratedAt: z.string().optional(),
});

/**
 * Everything the app remembers that is not a secret, one validator per section. Secrets (passwords, private keys,
 * tokens) live in the SecretStore; this file is plain JSON in the user-data folder and is safe to read.
 */
export const SETTINGS_SECTIONS = {
  schemaVersion: z.literal(1).default(1),
  directory: DirectorySettings.nullable().default(null),
  tenant: TenantSettings.nullable().default(null),
  /**
   * Set only by the Disable wizard (and cleared when Integrate completes): the one thing that lets the sync engine
   * forget its state. A missing or unreadable `tenant` section never does.
   */
  integrationDisabledAt: z.string().nullable().default(null),
  /** Tenant endpoints the next Integrate run uses (the sandbox tenant in the demo and tests); Microsoft 365 when null. */
  tenantEndpoints: TenantEndpointsSettings.nullable().default(null),
  sync: z
    .object({
      deleteThreshold: z.number().int().min(0).default(10),
      fullReconcileMinutes: z.number().int().min(1).default(60),
    })
    .default({ deleteThreshold: 10, fullReconcileMinutes: 60 }),
  web: z
    .object({ host: z.string().default('127.0.0.1'), port: z.number().int().min(0).max(65535).default(0), allowNonLoopback: z.boolean().default(false) })
    .default({ host: '127.0.0.1', port: 0, allowNonLoopback: false }),
} as const;

/** The whole settings object (what `get()` returns and `update()` takes). */
export const Settings = z.object(SETTINGS_SECTIONS);
export type Settings = z.infer<typeof Settings>;
type SectionName = keyof typeof SETTINGS_SECTIONS;

/** A section of the file that failed validation: its defaults are used and its stored value is kept untouched. */
export interface SettingsProblem {
  /** `file` when the file itself could not be parsed (every section is then on its defaults). */
  section: SectionName | 'file';
  /** The first bad field, as a dotted path inside the file (e.g. `tenant.integratedAt`). */
  field: string;
  issue: string;
}

/** The minimal surface of conf/electron-store the core relies on, so either can back it. */
export interface ConfLike {
  /** Reading parses the file; assigning writes the whole object in one atomic write (temp file, fsync, rename). */
  store: Record<string, unknown>;
  readonly path: string;
}

/** Typed, validated settings over conf (plain Node) or electron-store (Electron): same file either way. */
export class SettingsStore {
  private readonly reported = new Set<string>();

  constructor(
    private readonly backend: ConfLike,
    /** Told once per damaged field (the host logs it). */
    private readonly onProblem: (problem: SettingsProblem) => void = () => undefined,
  ) {}

  get path(): string {
    return this.backend.path;
  }

  /** The settings, validated section by section: a bad field costs only its own section's defaults. */
  get(): Settings {
    return this.read().settings;
  }

  /** Sections of the file that failed validation (empty when the file is sound). */
  problems(): SettingsProblem[] {
    return this.read().problems;
  }

  /**
   * One atomic write of the whole file. A section that was damaged and that `mutate` left as it was is written back
   * exactly as it was stored, so a bad field is never silently replaced by defaults (the admin can still repair it).
   */
  update(mutate: (current: Settings) => Settings): Settings {
    const { settings, problems, raw } = this.read();
    const next = Settings.parse(mutate(settings));
    const out: Record<string, unknown> = { ...next };
    for (const p of problems) {
      if (p.section === 'file') keepDamagedCopy(this.backend.path);
      else if (deepEqual(next[p.section], settings[p.section])) out[p.section] = raw[p.section];
    }
    this.backend.store = out;
    return next;
  }

  private read(): { settings: Settings; problems: SettingsProblem[]; raw: Record<string, unknown> } {
    let raw: Record<string, unknown>;
    try {
      raw = this.backend.store;
    } catch (e) {
      // An unparsable file: every section on its defaults, reported; the next update() rewrites the file.
      const problem: SettingsProblem = { section: 'file', field: path.basename(this.backend.path), issue: e instanceof Error ? e.message.slice(0, 200) : 'unreadable' };
      this.report(problem);
      return { settings: Settings.parse({}), problems: [problem], raw: {} };
    }
    const settings: Record<string, unknown> = {};
    const problems: SettingsProblem[] = [];
    for (const [name, schema] of Object.entries(SETTINGS_SECTIONS) as Array<[SectionName, z.ZodType]>) {
      const parsed = schema.safeParse(raw[name]);
      if (parsed.success) {
        settings[name] = parsed.data;
        continue;
      }
      settings[name] = schema.parse(undefined);
      const first = parsed.error.issues[0];
      const problem: SettingsProblem = { section: name, field: [name, ...(first?.path ?? []).map(String)].join('.'), issue: first?.message ?? 'invalid' };
      problems.push(problem);
      this.report(problem);
    }
    return { settings: settings as Settings, problems, raw };
  }

  private report(p: SettingsProblem): void {
    const key = `${p.field}:${p.issue}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.onProblem(p);
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** Before an unparsable file is rewritten, its bytes are kept beside it (`config.json.damaged-<time>`) for repair. */
function keepDamagedCopy(file: string): void {
  try {
    fs.copyFileSync(file, `${file}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`, fs.constants.COPYFILE_EXCL);
  } catch {
    // nothing to keep (the file vanished) or a copy of this instant exists
  }
}

/** Opens `<dataDir>/config.json` with conf — the file electron-store uses for the desktop app — readable only by us. */
export function openNodeSettings(dataDir: string, onProblem?: (problem: SettingsProblem) => void): SettingsStore {
  const conf = new Conf<Record<string, unknown>>({ cwd: dataDir, configName: 'config', projectName: 'OpenEssentials', configFileMode: 0o600 });
  return new SettingsStore(conf as unknown as ConfLike, onProblem);
}
