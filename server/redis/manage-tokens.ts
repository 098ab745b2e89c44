import { ownerOfId } from '../../shared/ids.ts';
import type { Deps } from '../deps.ts';
import { eventPrefix, storePrefix } from './keys.ts';

/** Long enough for a booking weeks ahead and its reminders. */
const KEEP_MS = 60 * 24 * 60 * 60_000;

/**
 * The manage token of a hold or booking, for the links in its messages. The record keeps
 * only its hash, and events never carry it (streams are read by staff); the request that made
 * the hold or booking leaves it here, next to the record (same hash tag), as the idempotency
 * answer already keeps it. Only the notifier reads it.
 */
function tokenKey(kind: 'hold' | 'booking', id: string): string {
  const owner = ownerOfId(id) ?? '';
  return `${kind === 'hold' ? storePrefix(owner) : eventPrefix(owner)}notify-token:${id}`;
}

export async function rememberManageToken(
  deps: Deps,
  kind: 'hold' | 'booking',
  id: string,
  token: string,
): Promise<void> {
  await deps.redis.set(tokenKey(kind, id), token, 'PX', KEEP_MS);
}

export async function readManageToken(
  deps: Deps,
  kind: 'hold' | 'booking',
  id: string,
): Promise<string | undefined> {
  return (await deps.redis.get(tokenKey(kind, id))) ?? undefined;
}
