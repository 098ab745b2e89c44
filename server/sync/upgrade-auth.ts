import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorCode } from '../../shared/errors.ts';
import { SLUG_PATTERN } from '../../shared/ids.ts';
import { authenticateDevice } from '../auth/devices.ts';
import { bearerToken, isAdminToken } from '../auth/middleware.ts';
import type { Deps } from '../deps.ts';
import { AppError, errorBody, HTTP_STATUS } from '../http/errors.ts';
import { storeMetaKey } from '../redis/keys.ts';
import { SAVED_ACKS_PARAM } from './protocol.ts';
import { redeemSyncTicket, SYNC_TICKET_PARAM } from './ticket.ts';

export const SYNC_PATH = /^\/sync\/([^/]+)$/;

/** Who may open a store's document, decided before the upgrade. */
export interface Grant {
  storeId: string;
  /** An admin watches; its updates are dropped. */
  readOnly: boolean;
  /** The tablet, re-checked for revocation while connected; none for an admin. */
  deviceId: string | undefined;
  /** The client asked for MESSAGE_SAVED (protocol.ts). */
  savedAcks: boolean;
}

/**
 * Decides, before the upgrade, whether a request may open `/sync/:storeId`: a tablet enrolled
 * in that store reads and writes; an admin reads. A tablet's browser comes with a one-time
 * `?ticket=` (ticket.ts), so no credential is in the URL; other clients send
 * `Authorization: Bearer`. A credential in the URL (`?token=`, as tablets sent before tickets)
 * is refused, so no proxy log or console error keeps one that works. Throws AppError.
 */
export async function authorizeUpgrade(deps: Deps, request: IncomingMessage): Promise<Grant> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const storeId = SYNC_PATH.exec(url.pathname)?.[1];
  if (!storeId || !SLUG_PATTERN.test(storeId)) throw new AppError('ROUTE_NOT_FOUND');
  const savedAcks = url.searchParams.get(SAVED_ACKS_PARAM) === '1';
  const ticket = url.searchParams.get(SYNC_TICKET_PARAM);
  if (ticket) {
    const grant = await redeemSyncTicket(deps, ticket);
    if (grant.storeId !== storeId)
      throw new AppError('FORBIDDEN', { reason: 'this tablet belongs to another store' });
    return { storeId, readOnly: false, deviceId: grant.deviceId, savedAcks };
  }
  if (url.searchParams.has('token'))
    throw new AppError('UNAUTHENTICATED', {
      reason: 'a credential in the URL is not accepted: use a sync ticket or the Authorization header',
    });
  const token = bearerToken(request.headers.authorization);
  if (!token) throw new AppError('UNAUTHENTICATED');
  if (await isAdminToken(deps, token)) {
    if (!(await deps.redis.exists(storeMetaKey(storeId)))) throw new AppError('STORE_NOT_FOUND');
    return { storeId, readOnly: true, deviceId: undefined, savedAcks };
  }
  const device = await authenticateDevice(deps, token);
  if (device.storeId !== storeId)
    throw new AppError('FORBIDDEN', { reason: 'this tablet belongs to another store' });
  return { storeId, readOnly: false, deviceId: device.deviceId, savedAcks };
}

/** Answers a refused upgrade with the API's error shape and status, and no socket. */
export function refuseUpgrade(socket: Duplex, error: unknown, onError: (error: unknown) => void): void {
  const code: ErrorCode = error instanceof AppError ? error.code : 'INTERNAL';
  if (code === 'INTERNAL') onError(error);
  const status = HTTP_STATUS[code];
  const body = JSON.stringify(error instanceof AppError ? errorBody(code, error.details) : errorBody(code));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
