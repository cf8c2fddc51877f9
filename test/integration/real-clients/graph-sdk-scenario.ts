// Everyday admin work done by Microsoft's own clients — the Kiota-based Graph SDK (@microsoft/msgraph-sdk +
// -users) signed in by Azure Identity — against whatever "Microsoft 365" this process reaches: the sandbox at
// its own address (authorityHost/graphBaseUrl given, CA trusted through NODE_EXTRA_CA_CERTS), or Microsoft's
// public host names resolved to a loopback TLS proxy (nothing given). Only public client APIs are used.
// Prints one JSON line per step; exits non-zero on the first failure.
import { ClientCertificateCredential, ClientSecretCredential, DeviceCodeCredential, type TokenCredential } from '@azure/identity';
import { Headers, HttpMethod, RequestInformation, type Parsable, type ParsableFactory } from '@microsoft/kiota-abstractions';
import { AzureIdentityAuthenticationProvider } from '@microsoft/kiota-authentication-azure';
import { createGraphServiceClient, GraphRequestAdapter, type GraphServiceClient } from '@microsoft/msgraph-sdk';
import {
  createDirectoryObjectCollectionResponseFromDiscriminatorValue, createGroupFromDiscriminatorValue, createPasswordCredentialFromDiscriminatorValue,
  createSubscribedSkuCollectionResponseFromDiscriminatorValue, createUserCollectionResponseFromDiscriminatorValue, createUserFromDiscriminatorValue,
  type DirectoryObjectCollectionResponse, type Group, type PasswordCredential, type SubscribedSkuCollectionResponse, type User,
} from '@microsoft/msgraph-sdk/models';
import { createODataErrorFromDiscriminatorValue, type ODataError } from '@microsoft/msgraph-sdk/models/oDataErrors';
import { PageIterator } from '@microsoft/msgraph-sdk-core';
import '@microsoft/msgraph-sdk-users';

/** What the test hands the scenario (env SCENARIO, JSON). */
export interface ScenarioInput {
  /** Absent: Microsoft's public hosts (login.microsoftonline.com, graph.microsoft.com). */
  authorityHost?: string;
  graphBaseUrl?: string;
  tenantId: string;
  clientId: string;
  certificatePem: string;
  publicClientId: string;
  admin: { upn: string; password: string };
  controlSecret: string;
  /** Only the steps named (all when absent). */
  steps?: string[];
}

const input = JSON.parse(process.env.SCENARIO ?? '{}') as ScenarioInput;
const login = input.authorityHost ?? 'https://login.microsoftonline.com';
const graphRoot = `${input.graphBaseUrl ?? 'https://graph.microsoft.com'}/v1.0`;
const idOptions = input.authorityHost ? { authorityHost: input.authorityHost, disableInstanceDiscovery: true } : {};
const errors = { XXX: createODataErrorFromDiscriminatorValue };

function eventual(): Headers {
  const h = new Headers();
  h.add('ConsistencyLevel', 'eventual');
  return h;
}

function report(step: string, data: Record<string, unknown>): void { process.stdout.write(`${JSON.stringify({ step, ...data })}\n`); }

function client(credential: TokenCredential, scopes = ['https://graph.microsoft.com/.default']): { graph: GraphServiceClient; adapter: GraphRequestAdapter } {
  const hosts = new Set([new URL(graphRoot).hostname]);
  const adapter = new GraphRequestAdapter(new AzureIdentityAuthenticationProvider(credential, scopes, undefined, hosts));
  adapter.baseUrl = graphRoot;
  return { graph: createGraphServiceClient(adapter), adapter };
}

/** A request the fluent packages don't cover (groups, recycle bin, SKUs), through the same adapter and middleware. */
async function raw<T extends Parsable>(adapter: GraphRequestAdapter, method: HttpMethod, path: string, factory?: ParsableFactory<T>, json?: unknown): Promise<T | undefined> {
  const info = new RequestInformation(method, `{+baseurl}${path}`);
  info.pathParameters.baseurl = adapter.baseUrl;
  info.headers.tryAdd('Accept', 'application/json');
  if (json !== undefined) {
    info.headers.tryAdd('Content-Type', 'application/json');
    info.content = new TextEncoder().encode(JSON.stringify(json)).buffer as ArrayBuffer;
  }
  if (!factory) { await adapter.sendNoResponseContent(info, errors); return undefined; }
  return (await adapter.send<T>(info, factory, errors)) ?? undefined;
}

async function failure(p: Promise<unknown>): Promise<{ status?: number; code?: string; message?: string }> {
  try { await p; return {}; } catch (e) {
    const o = e as ODataError & { responseStatusCode?: number };
    return { status: o.responseStatusCode, code: o.errorEscaped?.code ?? undefined, message: o.errorEscaped?.message ?? (e as Error).message };
  }
}

async function control(name: string, args: unknown[]): Promise<unknown> {
  const r = await fetch(`${login}/_control/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-sandbox-control-secret': input.controlSecret }, body: JSON.stringify({ args }) });
  return ((await r.json()) as { result: unknown }).result;
}

const cert = new ClientCertificateCredential(input.tenantId, input.clientId, { certificate: input.certificatePem }, idOptions);
const { graph, adapter } = client(cert);
const state: { userId?: string; alexId?: string; groupId?: string } = {};

const steps: Record<string, () => Promise<Record<string, unknown>>> = {
  async 'certificate sign-in'() {
    const me = await failure(graph.me.get());
    const alex = await graph.users.byUserId('alex.wilber@contoso.com').get();
    state.alexId = alex?.id ?? undefined;
    return { alexKeys: Object.keys(alex ?? {}).filter((k) => k !== 'additionalData' && k !== 'backingStoreEnabled').sort(), meAppOnly: me };
  },
  async 'list, page, filter, select, expand'() {
    const names: string[] = [];
    const first = await graph.users.get({
      queryParameters: { top: 2, select: ['id', 'displayName', 'userPrincipalName'], filter: "endswith(userPrincipalName,'@contoso.com')", count: true, orderby: ['displayName'] },
      headers: { ConsistencyLevel: 'eventual' },
    });
    // An advanced query's next pages need the same ConsistencyLevel header (PageIterator's headers option).
    const it = new PageIterator<User>(adapter, first as never, (u) => { names.push(String(u.userPrincipalName)); return true; }, createUserCollectionResponseFromDiscriminatorValue as never, errors, { headers: eventual() });
    await it.iterate();
    const searched = await graph.users.get({ queryParameters: { search: '"displayName:megan"', count: true, select: ['displayName'] }, headers: { ConsistencyLevel: 'eventual' } });
    const expanded = await graph.users.byUserId('alex.wilber@contoso.com').get({ queryParameters: { select: ['id', 'displayName'], expand: ['memberOf'] } });
    const notSupported = await failure(graph.users.get({ queryParameters: { filter: "endswith(userPrincipalName,'@contoso.com')" } }));
    return {
      count: first?.odataCount, names, firstPage: first?.value?.length, searched: searched?.value?.map((u) => u.displayName),
      memberOf: expanded?.memberOf?.map((g) => (g as Group).displayName).sort(), notSupported,
    };
  },
  async 'create, patch, manager, delete'() {
    const created = await graph.users.post({
      accountEnabled: true, displayName: 'Sdk Person', mailNickname: 'sdk.person', userPrincipalName: 'sdk.person@contoso.com', usageLocation: 'US',
      passwordProfile: { password: 'Kiota-Sdk-Pass-42', forceChangePasswordNextSignIn: false },
    });
    state.userId = created?.id ?? undefined;
    await graph.users.byUserId(state.userId!).patch({ jobTitle: 'SDK tester', businessPhones: ['+1 555 0100'] });
    await graph.users.byUserId(state.userId!).manager.ref.put({ odataId: `${graphRoot}/users/${state.alexId}` });
    const manager = await graph.users.byUserId(state.userId!).manager.get();
    const got = await graph.users.byUserId(state.userId!).get({ queryParameters: { select: ['jobTitle', 'businessPhones', 'accountEnabled'] } });
    const twoPhones = await failure(graph.users.byUserId(state.userId!).patch({ businessPhones: ['+1 555 0100', '+1 555 0101'] }));
    const dup = await failure(graph.users.post({ accountEnabled: true, displayName: 'Dup', mailNickname: 'dup', userPrincipalName: 'sdk.person@contoso.com', passwordProfile: { password: 'Kiota-Sdk-Pass-42' } }));
    const weak = await failure(graph.users.post({ accountEnabled: true, displayName: 'Weak', mailNickname: 'weak', userPrincipalName: 'weak@contoso.com', passwordProfile: { password: 'password1' } }));
    return { id: state.userId, jobTitle: got?.jobTitle, accountEnabled: got?.accountEnabled, manager: (manager as User | undefined)?.userPrincipalName, twoPhones, dup, weak };
  },
  async licenses() {
    const skus = await raw<SubscribedSkuCollectionResponse>(adapter, HttpMethod.GET, '/subscribedSkus', createSubscribedSkuCollectionResponseFromDiscriminatorValue);
    const sku = skus?.value?.find((s) => s.skuPartNumber === 'EXCHANGESTANDARD');
    await graph.users.byUserId(state.userId!).assignLicense.post({ addLicenses: [{ skuId: sku?.skuId, disabledPlans: [] }], removeLicenses: [] });
    const details = await graph.users.byUserId(state.userId!).licenseDetails.get();
    const filtered = await graph.users.get({ queryParameters: { filter: `assignedLicenses/any(x:x/skuId eq ${sku?.skuId})`, select: ['userPrincipalName', 'mail'] } });
    return { details: details?.value?.map((d) => d.skuPartNumber), licensed: filtered?.value?.map((u) => [u.userPrincipalName, u.mail]) };
  },
  async 'groups and members'() {
    const group = await raw<Group>(adapter, HttpMethod.POST, '/groups', createGroupFromDiscriminatorValue, { displayName: 'SDK Team', mailEnabled: false, mailNickname: 'sdkteam', securityEnabled: true });
    state.groupId = group?.id ?? undefined;
    const ref = { '@odata.id': `${graphRoot}/directoryObjects/${state.userId}` };
    await raw(adapter, HttpMethod.POST, `/groups/${state.groupId}/members/$ref`, undefined, ref);
    const again = await failure(raw(adapter, HttpMethod.POST, `/groups/${state.groupId}/members/$ref`, undefined, ref));
    const members = await raw<DirectoryObjectCollectionResponse>(adapter, HttpMethod.GET, `/groups/${state.groupId}/members`, createDirectoryObjectCollectionResponseFromDiscriminatorValue);
    const memberOf = await graph.users.byUserId(state.userId!).memberOf.get();
    const groups = await graph.users.byUserId(state.userId!).getMemberGroups.post({ securityEnabledOnly: true });
    const all = await raw<DirectoryObjectCollectionResponse>(adapter, HttpMethod.GET, "/groups?$filter=displayName eq 'Announcements'", createDirectoryObjectCollectionResponseFromDiscriminatorValue);
    const dl = all?.value?.[0]?.id;
    const readOnly = await failure(raw(adapter, HttpMethod.POST, `/groups/${dl}/members/$ref`, undefined, ref));
    const mailEnabled = await failure(raw<Group>(adapter, HttpMethod.POST, '/groups', createGroupFromDiscriminatorValue, { displayName: 'DL', mailEnabled: true, mailNickname: 'dl', securityEnabled: false }));
    return {
      members: members?.value?.map((m) => m.id), memberOf: memberOf?.value?.map((g) => (g as Group).displayName), memberGroups: groups?.value,
      again, readOnly, mailEnabled,
    };
  },
  async 'recycle bin'() {
    await graph.users.byUserId(state.userId!).delete();
    const deleted = await raw<DirectoryObjectCollectionResponse>(adapter, HttpMethod.GET, '/directory/deletedItems/microsoft.graph.user', createDirectoryObjectCollectionResponseFromDiscriminatorValue);
    const restored = await raw<User>(adapter, HttpMethod.POST, `/directory/deletedItems/${state.userId}/restore`, createUserFromDiscriminatorValue);
    await graph.users.byUserId(state.userId!).delete();
    await raw(adapter, HttpMethod.DELETE, `/directory/deletedItems/${state.userId}`);
    const gone = await failure(raw(adapter, HttpMethod.GET, `/directory/deletedItems/${state.userId}`, createUserFromDiscriminatorValue));
    return { inBin: deleted?.value?.some((d) => d.id === state.userId), restored: restored?.userPrincipalName, gone };
  },
  async delta() {
    const seen: string[] = [];
    const first = await graph.users.delta.get({ queryParameters: { select: ['displayName', 'jobTitle'] } });
    const it = new PageIterator<User>(adapter, first as never, (u) => { seen.push(String(u.id)); return true; }, createUserCollectionResponseFromDiscriminatorValue as never, errors);
    await it.iterate();
    const deltaLink = it.getOdataDeltaLink();
    await graph.users.byUserId('megan.bowen@contoso.com').patch({ jobTitle: 'Changed by SDK' });
    const next = await graph.users.delta.withUrl(deltaLink!).get();
    return { initial: seen.length, deltaHost: deltaLink ? new URL(deltaLink).host : null, changed: next?.value?.map((u) => u.jobTitle) };
  },
  async 'client secret'() {
    const secret = await raw<PasswordCredential>(adapter, HttpMethod.POST, `/applications(appId='${input.clientId}')/addPassword`, createPasswordCredentialFromDiscriminatorValue, { passwordCredential: { displayName: 'sdk' } });
    const viaSecret = client(new ClientSecretCredential(input.tenantId, input.clientId, secret!.secretText!, idOptions));
    const org = await viaSecret.graph.users.byUserId('alex.wilber@contoso.com').get({ queryParameters: { select: ['displayName'] } });
    await raw(adapter, HttpMethod.POST, `/applications(appId='${input.clientId}')/removePassword`, undefined, { keyId: secret!.keyId });
    const revoked = await failure(new ClientSecretCredential(input.tenantId, input.clientId, secret!.secretText!, idOptions).getToken('https://graph.microsoft.com/.default'));
    return { hint: secret?.hint, length: secret?.secretText?.length, readWithSecret: org?.displayName, revoked: revoked.message?.split('\n')[0]?.match(/AADSTS\d+/)?.[0] };
  },
  async 'device code'() {
    const credential = new DeviceCodeCredential({
      tenantId: input.tenantId, clientId: input.publicClientId, ...idOptions,
      userPromptCallback: (info) => {
        // The person at the device login page: code, then the admin's account.
        const form = new URLSearchParams({ otc: info.userCode, login: input.admin.upn, passwd: input.admin.password });
        void fetch(`${login}/devicelogin`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
      },
    });
    const delegated = client(credential);
    const me = await delegated.graph.me.get({ queryParameters: { select: ['userPrincipalName'] } });
    const roles = await delegated.graph.me.memberOf.get();
    return { me: me?.userPrincipalName, roles: roles?.value?.map((r) => (r as { displayName?: string }).displayName).filter(Boolean) };
  },
  async throttled() {
    await control('setThrottle', [{ writesPerAppPer150s: 3, timeScale: 150 }]);
    const t = Date.now();
    for (let i = 0; i < 8; i++) await graph.users.byUserId('lee.gu@contoso.com').patch({ officeLocation: `Desk ${i}` });
    const elapsedMs = Date.now() - t;
    const stats = await control('throttleStats', []);
    await control('setThrottle', [{ writesPerAppPer150s: 3000, timeScale: 1 }]);
    const got = await graph.users.byUserId('lee.gu@contoso.com').get({ queryParameters: { select: ['officeLocation'] } });
    return { elapsedMs, officeLocation: got?.officeLocation, throttled: (stats as { throttled: number }).throttled };
  },
};

for (const [name, run] of Object.entries(steps)) {
  if (input.steps && !input.steps.includes(name)) continue;
  try { report(name, await run()); } catch (e) {
    const o = e as ODataError;
    report(name, { error: o.errorEscaped?.message ?? (e as Error).message, code: o.errorEscaped?.code });
    process.exitCode = 1;
    break;
  }
}
