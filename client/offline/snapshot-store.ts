/**
 * A value React reads with useSyncExternalStore: a new object on every change, so a render
 * compares by reference, and listeners told after each change.
 */
export class SnapshotStore<T extends object> {
  private readonly listeners = new Set<() => void>();

  constructor(private value: T) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get = (): T => this.value;

  update(patch: Partial<T>): void {
    this.value = { ...this.value, ...patch };
    for (const listener of this.listeners) listener();
  }
}
