type Listener = (...args: never[]) => void;

/**
 * Typed in-process signals between features (never sent to a UI): each name carries a fixed argument tuple, so a
 * listener and an emitter can't disagree on the payload.
 */
export class Signals<M extends Record<string, unknown[]>> {
  private readonly listeners = new Map<keyof M, Set<Listener>>();

  on<K extends keyof M>(name: K, listener: (...args: M[K]) => void): () => void {
    const set = this.listeners.get(name) ?? new Set<Listener>();
    set.add(listener as unknown as Listener);
    this.listeners.set(name, set);
    return () => this.off(name, listener);
  }

  off<K extends keyof M>(name: K, listener: (...args: M[K]) => void): void {
    this.listeners.get(name)?.delete(listener as unknown as Listener);
  }

  emit<K extends keyof M>(name: K, ...args: M[K]): void {
    for (const l of [...(this.listeners.get(name) ?? [])]) (l as unknown as (...a: M[K]) => void)(...args);
  }

  clear(): void {
    this.listeners.clear();
  }
}

/** The signals the core's features exchange. */
export interface CoreSignals extends Record<string, unknown[]> {
  /** Integration was completed, changed (new admin or credential) or disabled: features re-read the settings. */
  integrationChanged: [];
}
