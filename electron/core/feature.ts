import type { Handlers, RequestChannel, RequestMap } from '../../shared/contract';

/** The handlers a domain must provide: exactly the channels of its own request map. */
export type DomainHandlers<M extends RequestMap> = Pick<Handlers, keyof M & RequestChannel>;

/** What a domain module (wizards, sync, directory, tenant) contributes to the core. */
export interface Feature<M extends RequestMap> {
  handlers: DomainHandlers<M>;
  /** Starts background work once every feature exists (e.g. the sync engine when integrated). */
  start?(): Promise<void> | void;
  dispose?(): Promise<void> | void;
}

/** Internal, in-process signals between features (not sent to any UI). */
export interface CoreSignals {
  /** Integration was completed, changed (new admin/credential) or disabled: features re-read settings. */
  integrationChanged: () => void;
  /** The sync engine's status changed: pushed to every UI as `app:health-changed`. */
  healthChanged: (health: import('../../shared/contract').SyncHealth) => void;
}
