import { randomUUID } from 'node:crypto';
import type { ExchangeRecord, RecordedAction, SandboxContext } from './graph-core';
import type { FaultInjector, FaultProfile, FaultStats } from './faults';
import type { GraphService } from './graph-service';
import type { Identity } from './identity';
import { GRAPH_APP_ROLES } from './permissions';
import { ensureGraphServicePrincipal } from './routes-apps';
import { addIncident, resolveIncident, type IncidentInput } from './health-state';
import { findUser } from './user-rules';
import { emptyCollections } from './csdl-model';
import { hashPassword, verifyPassword, type GraphObject, type SandboxSeed, type TenantState } from './state';
import type { ThrottleProfile, Throttler } from './throttle';

/** A throttle profile plus the time scale it runs at. */
export type ThrottleSettings = Partial<ThrottleProfile> & { timeScale?: number };

/** Registers an app with a certificate and/or a client secret and grants, skipping the interactive bootstrap (for tests). */
export interface RegisterAppInput {
  displayName: string;
  certificateDerBase64?: string;
  /** A client secret the app may sign in with (client_secret), as addPassword would have made. */
  clientSecret?: string;
  appRoles: string[];
  directoryRoles?: string[];
}

/** The control API: the same methods in-process and over HTTPS at /_control/<name>. */
export interface SandboxControl {
  seed(s: SandboxSeed): Promise<void>;
  reset(): Promise<void>;
  actions(): Promise<RecordedAction[]>;
  /** How many recorded actions match, counted in the sandbox (benchmarks: no 10,000 records shipped to the caller). */
  countActions(q: { method?: string; succeeded?: boolean; bodyHas?: string }): Promise<number>;
  clearActions(): Promise<void>;
  advanceClock(ms: number): Promise<void>;
  setThrottle(profile: ThrottleSettings): Promise<void>;
  setFaults(profile: FaultProfile): Promise<void>;
  faultStats(): Promise<FaultStats>;
  checkPassword(upn: string, password: string): Promise<boolean>;
  getUser(idOrUpn: string): Promise<GraphObject | null>;
  listUsers(): Promise<GraphObject[]>;
  deletedUsers(): Promise<GraphObject[]>;
  /** Where domain verification looks the record up (`ip` / `ip:port`); replaces the list given at start. */
  setDnsServers(servers: string[]): Promise<void>;
  /** Opens a service health incident (or advisory); returns its id (`EX123456`). */
  addIncident(input: IncidentInput): Promise<string>;
  /** Marks an incident resolved with a closing post; the service's status follows. */
  resolveIncident(id: string, finalUpdate?: string): Promise<void>;
  exchanges(): Promise<ExchangeRecord[]>;
  clearExchanges(): Promise<void>;
  setReplicationDelay(ms: number): Promise<void>;
  registerApplication(input: RegisterAppInput): Promise<{ appId: string; servicePrincipalId: string; objectId: string }>;
  state(): Promise<TenantState>;
  /** Sign a device code in as a user (what the person at microsoft.com/devicelogin does); false if unknown. */
  approveDeviceCode(userCode: string, upn: string): Promise<boolean>;
  /** How many requests were answered 429 since the throttle profile was last set. */
  throttleStats(): Promise<{ throttled: number }>;
  /** Make $batch's order of independent requests reproducible. */
  seedBatchOrder(seed: number): Promise<void>;
}

/** What control needs from the running sandbox. */
export interface ControlHost {
  ctx(): SandboxContext;
  setReplicationDelay(ms: number): void;
  setDnsServers(servers: string[]): void;
  reseed(seed: SandboxSeed | undefined): void;
  actions: RecordedAction[];
  exchanges: ExchangeRecord[];
  throttler: Throttler;
  faults: FaultInjector;
  persist(): void;
  lastSeed(): SandboxSeed | undefined;
  identity: Identity;
  graph: GraphService;
}

/** Build the control object over a host. */
export function createControl(h: ControlHost): SandboxControl {
  return {
    async seed(s) { h.reseed(s); h.persist(); },
    async reset() { h.reseed(h.lastSeed()); h.actions.length = 0; h.exchanges.length = 0; h.persist(); },
    async actions() { return structuredClone(h.actions); },
    async countActions(q) {
      return h.actions.filter((a) => (!q.method || a.method === q.method) && (q.succeeded === undefined || (a.status < 400) === q.succeeded)
        && (!q.bodyHas || (a.body !== undefined && JSON.stringify(a.body).includes(q.bodyHas)))).length;
    },
    async clearActions() { h.actions.length = 0; },
    async advanceClock(ms) { h.ctx().state.clockOffsetMs += ms; h.persist(); },
    async setThrottle(p) {
      const { timeScale, ...rest } = p;
      if (timeScale) h.throttler.timeScale = timeScale;
      h.throttler.setProfile(rest);
    },
    async setFaults(p) { h.faults.set(p); },
    async faultStats() { return { ...h.faults.stats }; },
    async checkPassword(upn, password) {
      const c = h.ctx();
      const u = findUser(c, upn);
      return !!u && verifyPassword(c.state.passwords[u.id], password);
    },
    async getUser(id) { const u = findUser(h.ctx(), id); return u ? structuredClone(u) : null; },
    async listUsers() { return structuredClone(h.ctx().state.users); },
    async deletedUsers() { return structuredClone(h.ctx().state.deletedUsers); },
    async setDnsServers(servers) { h.setDnsServers(servers); },
    async addIncident(input) { const id = addIncident(h.ctx(), input); h.persist(); return id; },
    async resolveIncident(id, finalUpdate) { resolveIncident(h.ctx(), id, finalUpdate); h.persist(); },
    async exchanges() { return structuredClone(h.exchanges); },
    async clearExchanges() { h.exchanges.length = 0; },
    async setReplicationDelay(ms) { h.setReplicationDelay(ms); },
    async registerApplication(input) {
      const c = h.ctx();
      const st = c.state;
      const graph = ensureGraphServicePrincipal(st);
      const now = c.now().toISOString();
      const inYear = new Date(c.now().getTime() + 365 * 86_400_000).toISOString();
      const app: GraphObject = {
        ...emptyCollections('application'), id: randomUUID(), appId: randomUUID(), displayName: input.displayName, createdDateTime: now, signInAudience: 'AzureADMyOrg',
        keyCredentials: input.certificateDerBase64 ? [{
          customKeyIdentifier: null, displayName: input.displayName, endDateTime: inYear,
          startDateTime: now, key: input.certificateDerBase64, keyId: randomUUID(), type: 'AsymmetricX509Cert', usage: 'Verify',
        }] : [],
      };
      if (input.clientSecret) {
        const keyId = randomUUID();
        app.passwordCredentials = [{ customKeyIdentifier: null, displayName: 'test secret', endDateTime: inYear, hint: input.clientSecret.slice(0, 3), keyId, secretText: null, startDateTime: now }];
        st.secrets[keyId] = { appId: String(app.appId), hash: hashPassword(input.clientSecret) };
      }
      const sp: GraphObject = {
        ...emptyCollections('servicePrincipal'), id: randomUUID(), appId: app.appId, displayName: input.displayName, accountEnabled: true, servicePrincipalType: 'Application',
        appRoleAssignmentRequired: false, servicePrincipalNames: [String(app.appId)],
      };
      st.applications.push(app);
      st.servicePrincipals.push(sp);
      for (const r of input.appRoles) {
        const appRoleId = GRAPH_APP_ROLES[r];
        if (!appRoleId) throw new Error(`unknown app role ${r}`);
        st.appRoleAssignments.push({ id: randomUUID(), appRoleId, principalId: sp.id, principalType: 'ServicePrincipal', resourceId: graph.id, createdDateTime: now });
      }
      for (const d of input.directoryRoles ?? []) st.roleAssignments.push({ id: randomUUID(), principalId: sp.id, roleDefinitionId: d, directoryScopeId: '/' });
      h.persist();
      return { appId: String(app.appId), servicePrincipalId: sp.id, objectId: app.id };
    },
    async state() { return structuredClone(h.ctx().state); },
    async approveDeviceCode(userCode, upn) {
      const u = findUser(h.ctx(), upn);
      return !!u && h.identity.approveDeviceCode(userCode, u.id);
    },
    async seedBatchOrder(seed) { h.graph.seedBatchOrder(seed); },
    async throttleStats() { return { throttled: h.throttler.throttled }; },
  };
}
