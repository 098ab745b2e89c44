import { fetchEventSource } from '@microsoft/fetch-event-source';
import { newUlid } from '../../../shared/ids.ts';

/** A refusal from the API, with the server's own message for the person. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  /** Per-field messages of a VALIDATION_FAILED answer, keyed by the field's path. */
  fieldErrors(): Record<string, string> {
    const issues = (this.details?.issues ?? []) as { path: string; message: string }[];
    return Object.fromEntries(issues.map((i) => [i.path, i.message]));
  }
}

export interface Sent<T> {
  body: T;
  /** The server had this request already (same idempotency key): nothing changed. */
  replayed: boolean;
}

/** What the control pages need from the console: reads and sends with the admin's credential. */
export interface AdminApi {
  get<T>(path: string): Promise<T>;
  /** A change; `idempotencyKey` is made once per action by the caller (DESIGN rule 2). */
  send<T>(
    method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
    idempotencyKey?: string,
  ): Promise<Sent<T>>;
  /** Follows a server-sent event stream until `signal` aborts, reconnecting after a failure. */
  events(path: string, onEvent: (event: string, data: string) => void, signal: AbortSignal): Promise<void>;
}

/** How long to wait before reconnecting a broken event stream. */
const RECONNECT_MS = 2_000;

/** A fresh idempotency key for one action of the person. */
export function newActionKey(label: string): string {
  return `${label}-${newUlid()}`;
}

/** Turns a network failure into words a person can act on. */
export function describeFailure(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return 'No connection to the server. Check the network and try again.';
  return error instanceof Error ? error.message : String(error);
}

/** An AdminApi over fetch with a bearer token (the admin token); `baseUrl` is '' on the same origin. */
export function bearerAdminApi(token: string | undefined, baseUrl = '', onSignedOut?: () => void): AdminApi {
  // Without a token the console's session cookie (same origin) is the credential.
  const auth: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  async function request<T>(method: string, path: string, body?: unknown, idempotencyKey?: string) {
    const headers: Record<string, string> = { ...auth };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    const init: RequestInit = { method, headers };
    if (body !== undefined) init.body = JSON.stringify(body);
    const response = await fetch(`${baseUrl}${path}`, init);
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as unknown) : undefined;
    if (response.status === 401) onSignedOut?.();
    if (!response.ok) {
      const e = (parsed ?? {}) as { code?: string; message?: string; details?: Record<string, unknown> };
      throw new ApiError(
        response.status,
        e.code ?? 'INTERNAL',
        e.message ?? `The server answered ${response.status}.`,
        e.details,
      );
    }
    return { body: parsed as T, replayed: response.headers.get('idempotent-replayed') === 'true' };
  }
  return {
    events: (path, onEvent, signal) =>
      fetchEventSource(`${baseUrl}${path}`, {
        headers: auth,
        signal,
        openWhenHidden: true,
        onmessage: (message) => onEvent(message.event, message.data),
        // Keep trying (the default would give up on a refused open): the page says it is live only after `ready`.
        onerror: () => RECONNECT_MS,
      }),
    get: async <T>(path: string) => (await request<T>('GET', path)).body,
    send: <T>(method: string, path: string, body?: unknown, idempotencyKey?: string) =>
      request<T>(method, path, body, idempotencyKey),
  };
}
