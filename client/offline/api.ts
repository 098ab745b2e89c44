import type { OutboxEntry } from './db.ts';
import type { Send } from './outbox.ts';

/** Sends an outbox entry to the server with the tablet's credential and the entry's own idempotency key. */
export function createSend(
  baseUrl: string,
  credential: () => string | undefined,
  fetchImpl: typeof fetch = fetch,
): Send {
  return async (entry: OutboxEntry) => {
    const headers: Record<string, string> = { 'idempotency-key': entry.key };
    const token = credential();
    if (token) headers.authorization = `Bearer ${token}`;
    const init: RequestInit = { method: entry.method, headers };
    if (entry.body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(entry.body);
    }
    const response = await fetchImpl(`${baseUrl}${entry.path}`, init);
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
}

/** A read for the staff app, with the credential; throws on network failure so callers fall back to the cache. */
export async function getJson<T>(
  baseUrl: string,
  path: string,
  credential?: string,
  fetchImpl: typeof fetch = fetch,
): Promise<T> {
  const headers: Record<string, string> = {};
  if (credential) headers.authorization = `Bearer ${credential}`;
  const response = await fetchImpl(`${baseUrl}${path}`, { headers });
  const body = (await response.json()) as T;
  if (!response.ok)
    throw Object.assign(new Error(`GET ${path} answered ${response.status}`), {
      status: response.status,
      body,
    });
  return body;
}
