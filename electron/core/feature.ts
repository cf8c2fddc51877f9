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
