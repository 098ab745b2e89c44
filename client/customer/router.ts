import { useEffect, useSyncExternalStore } from 'react';
import { type CustomerRoute, matchCustomerRoute } from '../../shared/customer-routes.ts';

const listeners = new Set<() => void>();
function notify() {
  for (const listener of listeners) listener();
}
function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

/** Moves to another page of the site without a reload. */
export function navigate(href: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  window.scrollTo(0, 0);
  notify();
}

/** The current location as a string (so React compares it cheaply). */
export function useLocationKey(): string {
  return useSyncExternalStore(
    subscribe,
    () => window.location.pathname + window.location.search + window.location.hash,
  );
}

export function useRoute(): CustomerRoute | undefined {
  const key = useLocationKey();
  return matchCustomerRoute(key.split(/[?#]/)[0] ?? '/');
}

/** One parameter of the address's query (`?day=...`), so Back and a shared link keep it. */
export function useQueryParam(name: string): string | undefined {
  const key = useLocationKey();
  const search = key.split('#')[0]?.split('?')[1] ?? '';
  return new URLSearchParams(search).get(name) ?? undefined;
}

/** The manage token, kept in the URL fragment so it never reaches a server log or a Referer. */
export function useFragmentToken(): string {
  const key = useLocationKey();
  return decodeURIComponent(key.split('#')[1] ?? '');
}

/** Sets the document title per page (screen readers announce it). */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title;
  }, [title]);
}

/** A same-site link that navigates without a reload; a modified click opens normally. */
export function onLinkClick(event: React.MouseEvent<HTMLAnchorElement>): void {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const href = event.currentTarget.getAttribute('href');
  if (!href?.startsWith('/')) return;
  event.preventDefault();
  navigate(href);
}
