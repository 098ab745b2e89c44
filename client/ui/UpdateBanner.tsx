import { useSyncExternalStore } from 'react';

let activate: (() => void) | undefined;
const listeners = new Set<() => void>();

/** Called by the service worker registration when a new version is waiting. */
export function showUpdateBanner(activateNewVersion: () => void): void {
  activate = activateNewVersion;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** "A new version is ready": reloading is the person's choice, so nothing they are typing is lost. */
export function UpdateBanner() {
  const ready = useSyncExternalStore(subscribe, () => activate);
  if (!ready) return null;
  return (
    <output className="banner">
      A new version of Holdfast is ready.
      <button type="button" onClick={ready}>
        Reload now
      </button>
    </output>
  );
}
