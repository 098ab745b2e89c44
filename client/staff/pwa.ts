import { Workbox } from 'workbox-window';

/**
 * Registers the service worker that precaches the app shell. When a new version is
 * deployed and waiting, `onUpdate` gets a function that activates it and reloads.
 */
export function registerServiceWorker(onUpdate: (activate: () => void) => void): void {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  // The staff app only: the customer site and the admin console are never served by it.
  const wb = new Workbox('/sw.js', { scope: '/staff/' });
  wb.addEventListener('waiting', () => {
    onUpdate(() => {
      wb.addEventListener('controlling', () => window.location.reload());
      wb.messageSkipWaiting();
    });
  });
  wb.register().catch((error: unknown) => console.error('service worker registration failed', error));
}
