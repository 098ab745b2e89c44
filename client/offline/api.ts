import { requestFor } from './commands.ts';
import type { OutboxEntry } from './db.ts';
import type { Send } from './outbox.ts';

/** Who the tablet is: its store and credential (undefined before enrollment). */
export type TabletIdentity = () => { storeId: string; credential: string } | undefined;

/** Sends an outbox entry's command to the server with the tablet's credential and the entry's own idempotency key. */
export function createSend(baseUrl: string, identity: TabletIdentity, fetchImpl: typeof fetch = fetch): Send {
  return async (entry: OutboxEntry) => {
    const who = identity();
    if (!who) throw new TypeError('This tablet is not enrolled yet.');
    const request = requestFor(who.storeId, entry.command);
    const headers: Record<string, string> = {
      'idempotency-key': entry.key,
      authorization: `Bearer ${who.credential}`,
    };
    const init: RequestInit = { method: request.method, headers };
    if (request.body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(request.body);
    }
    const response = await fetchImpl(`${baseUrl}${request.path}`, init);
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
