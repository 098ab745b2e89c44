import { z } from 'zod';
import { slugSchema } from '../../shared/api/common.ts';
import { syncTicketSchema } from '../../shared/api/sync.ts';
import { newSecret } from '../../shared/ids.ts';
import { readDevice } from '../auth/devices.ts';
import { staffActor } from '../auth/middleware.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../http/errors.ts';
import { apiRouter, declareRoute } from '../http/route.ts';
import { AUTH_PREFIX } from '../redis/keys.ts';

/**
 * Issue 8.12: a browser cannot set headers on a websocket, so the credential went in the URL,
 * where console errors and proxy logs keep it. The tablet trades its credential (in the
 * Authorization header) for a ticket that opens one socket, once, within SYNC_TICKET_TTL_MS.
 */
export const SYNC_TICKET_TTL_MS = 30_000;
export const SYNC_TICKET_PARAM = 'ticket';

const ticketKey = (ticket: string) => `${AUTH_PREFIX}sync-ticket:${ticket}`;

/** `POST /api/staff/:storeId/sync-ticket` (behind requireStoreDevice): a one-time ticket for `/sync/:storeId`. */
export function syncTicketRoutes(deps: Deps) {
  const app = apiRouter();
  declareRoute(
    app,
    {
      method: 'post',
      path: '/staff/{storeId}/sync-ticket',
      summary: 'A one-time ticket that opens the store document’s websocket once',
      access: 'staff',
      params: z.object({ storeId: slugSchema }),
      ok: { status: 200, schema: syncTicketSchema, description: 'Use within expiresInMs, once' },
    },
    async (c) => {
      const { storeId, deviceId } = staffActor(c);
      const ticket = newSecret();
      await deps.redis.set(
        ticketKey(ticket),
        JSON.stringify({ storeId, deviceId }),
        'PX',
        SYNC_TICKET_TTL_MS,
      );
      return { ticket, expiresInMs: SYNC_TICKET_TTL_MS };
    },
  );
  return app;
}

const grantSchema = z.object({ storeId: z.string(), deviceId: z.string() });

/** Spends a ticket (GETDEL: a second use finds nothing) and returns the tablet it was made for. */
export async function redeemSyncTicket(
  deps: Deps,
  ticket: string,
): Promise<{ storeId: string; deviceId: string }> {
  const raw = await deps.redis.getdel(ticketKey(ticket));
  if (!raw) throw new AppError('UNAUTHENTICATED', { reason: 'unknown, used or expired sync ticket' });
  const grant = grantSchema.parse(JSON.parse(raw));
  const device = await readDevice(deps, grant.deviceId);
  if (!device) throw new AppError('UNAUTHENTICATED');
  if (device.revokedAt !== undefined) throw new AppError('DEVICE_REVOKED');
  return grant;
}
