/**
 * The customer site's pages, one table read by both the browser (which page to show) and the
 * server (which paths answer 200 with the customer page, and which answer 404).
 */
export type CustomerRoute =
  | { page: 'home' }
  | { page: 'product'; sku: string }
  | { page: 'reserve'; sku: string; storeId: string }
  | { page: 'hold'; holdId: string }
  | { page: 'event'; eventId: string }
  | { page: 'waiting-room'; eventId: string }
  | { page: 'booking'; bookingId: string };

const SEGMENT = '([^/]{1,128})';
const PATTERNS: [RegExp, (m: string[]) => CustomerRoute][] = [
  [/^\/$/, () => ({ page: 'home' })],
  [new RegExp(`^/products/${SEGMENT}/?$`), (m) => ({ page: 'product', sku: m[0] as string })],
  [
    new RegExp(`^/products/${SEGMENT}/reserve/${SEGMENT}/?$`),
    (m) => ({ page: 'reserve', sku: m[0] as string, storeId: m[1] as string }),
  ],
  [new RegExp(`^/holds/${SEGMENT}/?$`), (m) => ({ page: 'hold', holdId: m[0] as string })],
  [new RegExp(`^/events/${SEGMENT}/?$`), (m) => ({ page: 'event', eventId: m[0] as string })],
  [
    new RegExp(`^/events/${SEGMENT}/waiting-room/?$`),
    (m) => ({ page: 'waiting-room', eventId: m[0] as string }),
  ],
  [new RegExp(`^/bookings/${SEGMENT}/?$`), (m) => ({ page: 'booking', bookingId: m[0] as string })],
];

/** The page a path shows, or undefined for "not found". */
export function matchCustomerRoute(pathname: string): CustomerRoute | undefined {
  for (const [pattern, make] of PATTERNS) {
    const match = pattern.exec(pathname);
    if (!match) continue;
    try {
      return make(match.slice(1).map((part) => decodeURIComponent(part)));
    } catch {
      return undefined; // a malformed %-escape is not a page
    }
  }
  return undefined;
}

export const customerPaths = {
  /** The home page, with a product search when `q` is given (Back keeps it). */
  home: (q?: string, page?: number) =>
    q ? `/?q=${encodeURIComponent(q)}${page && page > 1 ? `&page=${page}` : ''}` : '/',
  product: (sku: string) => `/products/${encodeURIComponent(sku)}`,
  reserve: (sku: string, storeId: string) =>
    `/products/${encodeURIComponent(sku)}/reserve/${encodeURIComponent(storeId)}`,
  hold: (holdId: string, token: string) => `/holds/${encodeURIComponent(holdId)}#${token}`,
  /** An event's booking page, opened on `day` (YYYY-MM-DD, store time) when given. */
  event: (eventId: string, day?: string) =>
    `/events/${encodeURIComponent(eventId)}${day ? `?day=${encodeURIComponent(day)}` : ''}`,
  waitingRoom: (eventId: string) => `/events/${encodeURIComponent(eventId)}/waiting-room`,
  booking: (bookingId: string, token: string) => `/bookings/${encodeURIComponent(bookingId)}#${token}`,
};
