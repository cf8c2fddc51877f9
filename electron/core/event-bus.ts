import { parseEvent } from '../../shared/contract/validate';
import type { EventChannel, EventPayload } from '../../shared/contract';

/** A listener receives every event; transports forward them to their UI. */
export type EventListener = <C extends EventChannel>(channel: C, payload: EventPayload<C>) => void;

/**
 * Fan-out of core events to every connected UI (Electron windows, web dashboard clients, tests).
 * Payloads are validated against the contract on the way out, so a transport never forwards a bad shape.
 */
export class EventBus {
  private readonly listeners = new Set<EventListener>();
  private readonly last = new Map<EventChannel, unknown>();

  emit<C extends EventChannel>(channel: C, payload: EventPayload<C>): void {
    const valid = parseEvent(channel, payload);
    this.last.set(channel, valid);
    for (const listener of this.listeners) {
      try {
        listener(channel, valid);
      } catch {
        // one broken transport must not stop the others
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The latest payload of each channel, so a UI that connects late starts from the current state. */
  snapshot(): Array<[EventChannel, unknown]> {
    return [...this.last.entries()];
  }
}
