import Conf from 'conf';
import { z } from 'zod';

/** Tenant endpoints: Microsoft 365 by default; the sandbox tenant by configuration only. */
export const TenantEndpointsSettings = z.object({
  authorityHost: z.string().url(),
  graphBaseUrl: z.string().url(),
  /** PEM of a private CA to trust (the sandbox's); never needed for Microsoft 365. */
  caPem: z.string().optional(),
});

/**
 * Everything the app remembers that is not a secret. Secrets (passwords, private keys, tokens) live in
 * the SecretStore; this file is plain JSON in the user-data folder and is safe to read.
 */
export const Settings = z.object({
  schemaVersion: z.literal(1).default(1),
  directory: z
    .object({
      url: z.string(),
      bindUpn: z.string(),
      caPem: z.string().optional(),
      fingerprintSha256: z.string().optional(),
      serverName: z.string().optional(),
      scopeDns: z.array(z.string()).default([]),
      /** Where this DC's Samba keeps its config and the gpg key for password capture (Samba DCs only). */
      passwordCapture: z.object({ smbConf: z.string(), gnupgHome: z.string() }).optional(),
    })
    .nullable()
    .default(null),
  tenant: z
    .object({
      endpoints: TenantEndpointsSettings,
      tenantId: z.string(),
      clientId: z.string().optional(),
      applicationObjectId: z.string().optional(),
      servicePrincipalId: z.string().optional(),
      certificateThumbprintSha256: z.string().optional(),
      certificatePem: z.string().optional(),
      defaultDomain: z.string().optional(),
      defaultUsageLocation: z.string().optional(),
      defaultSkuId: z.string().optional(),
      adminUpn: z.string().optional(),
      integratedAt: z.string().optional(),
    })
    .nullable()
    .default(null),
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
});
export type Settings = z.infer<typeof Settings>;

/** The minimal surface of conf/electron-store the core relies on, so either can back it. */
export interface ConfLike {
  readonly store: Record<string, unknown>;
  set(object: Record<string, unknown>): void;
  clear(): void;
  readonly path: string;
}

/** Typed, validated settings over conf (plain Node) or electron-store (Electron): same file either way. */
export class SettingsStore {
  constructor(private readonly backend: ConfLike) {}

  get path(): string {
    return this.backend.path;
  }

  get(): Settings {
    const parsed = Settings.safeParse(this.backend.store);
    // A damaged or older file falls back to defaults for the bad parts rather than crashing the service.
    return parsed.success ? parsed.data : Settings.parse({});
  }

  update(mutate: (current: Settings) => Settings): Settings {
    const next = Settings.parse(mutate(this.get()));
    this.backend.clear();
    this.backend.set(next as unknown as Record<string, unknown>);
    return next;
  }
}

/** Opens `<dataDir>/config.json` with conf — the file electron-store uses for the desktop app. */
export function openNodeSettings(dataDir: string): SettingsStore {
  const conf = new Conf<Record<string, unknown>>({ cwd: dataDir, configName: 'config', projectName: 'OpenEssentials' });
  return new SettingsStore(conf as unknown as ConfLike);
}
