/**
 * The admin's control pages, for the console's shell: each takes `api`, an AdminApi over the
 * console's own credential (session cookie + CSRF, or the bearer token). The shell adapts its
 * fetch wrapper to `AdminApi` (get, send with an idempotency key, events for the live feed).
 */

export { AuditPage } from './AuditPage.tsx';
export type { AdminApi, Sent } from './admin-api.ts';
export { ApiError } from './admin-api.ts';
export { EventsPage } from './EventsPage.tsx';
export { ProductsPage } from './ProductsPage.tsx';
export { TabletsPage } from './TabletsPage.tsx';
