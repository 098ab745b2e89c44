import { z } from 'zod';
import {
  bookingIdSchema,
  customerBookingSchema,
  listedSlotSchema,
  slotViewSchema,
} from '../../shared/api/bookings.ts';
import { skuSchema, slugSchema } from '../../shared/api/common.ts';
import { availabilityEventSchema } from '../../shared/api/customer.ts';
import { customerHoldSchema } from '../../shared/api/holds.ts';
import { bookingIdOf, holdIdOf, skusOf, slotsOf } from '../../shared/audit-events.ts';
import { slotState } from '../../shared/slot-state.ts';
import { AppError } from '../app-error.ts';
import { readBookingForCustomer } from '../appointments/bookings.ts';
import { readEvent, slotView } from '../appointments/events.ts';
import { eventKeys } from '../appointments/keys.ts';
import type { StreamSubscriber } from '../audit/hub.ts';
import { type AuditEntry, eventAuditStream, storeAuditStream } from '../audit/streams.ts';
import { bearerToken } from '../auth/middleware.ts';
import type { Deps } from '../deps.ts';
import { apiRouter, declareRoute } from '../http/route.ts';
import { readHoldForCustomer, storeOfHold } from '../stock/holds.ts';
import { readStockOf } from '../stock/staff-reads.ts';
import { readStore } from '../stores/stores.ts';
import { type SendEvent, SharedReads, serveEvents } from './sse.ts';

const holdParams = z.object({ holdId: z.string().min(1).max(80) });

/**
 * Live updates for the customer site over server-sent events, all fed from the audit streams
 * through the instance's one hub (DESIGN "Live updates"): any instance serves any viewer, and a
 * reconnect with Last-Event-ID (each event's id is its stream id) gets what it missed. Public
 * streams carry counts and states only; a hold's or booking's own stream needs its manage token
 * in the Authorization header. Mount at /api.
 */
export function liveRoutes(deps: Deps) {
  const app = apiRouter();
  const shared = new SharedReads();

  /** Subscribes `onEntry` to `stream` from Last-Event-ID (or now); calls entries in order, one at a time. */
  const follow = async (
    stream: string,
    lastEventId: string | undefined,
    send: SendEvent,
    onEntry: (entry: AuditEntry) => Promise<void> | void,
  ) => {
    let queue = Promise.resolve();
    const subscriber: StreamSubscriber = {
      onEntries: (entries) => {
        for (const entry of entries) queue = queue.then(() => onEntry(entry)).catch(() => undefined);
      },
      // What was missed is gone from the stream: the page reloads its numbers.
      onGap: () => send('reset', {}),
    };
    const after = lastEventId && /^\d+-\d+$/.test(lastEventId) ? lastEventId : undefined;
    const subscription = deps.hub.subscribe(stream, subscriber, after === undefined ? {} : { after });
    await subscription.ready;
    send('ready', {});
    return () => subscription.unsubscribe();
  };

  declareRoute(
    app,
    {
      method: 'get',
      path: '/live/stores/{storeId}',
      summary: 'A store’s available units, live',
      access: 'public',
      params: z.object({ storeId: slugSchema }),
      query: z.object({ sku: skuSchema.optional() }),
      ok: {
        status: 200,
        stream: availabilityEventSchema,
        description: 'A `ready` event, then one `availability` event per change (of `sku` only, if given)',
      },
      errors: ['STORE_NOT_FOUND'],
    },
    async (c) => {
      const { storeId } = c.req.valid('param');
      const { sku: only } = c.req.valid('query');
      if (!(await readStore(deps, storeId))) throw new AppError('STORE_NOT_FOUND');
      return serveEvents(c, (send) =>
        follow(storeAuditStream(storeId), c.req.header('last-event-id'), send, async (entry) => {
          for (const sku of skusOf(entry)) {
            if (only !== undefined && sku !== only) continue;
            const stock = await shared.once(
              `${entry.id}:${sku}`,
              async () => (await readStockOf(deps, storeId, [sku]))[sku],
            );
            if (stock)
              send(
                'availability',
                { storeId, sku, available: stock.available, updatedAt: stock.updatedAt },
                entry.id,
              );
          }
        }),
      );
    },
  );

  declareRoute(
    app,
    {
      method: 'get',
      path: '/live/events/{eventId}',
      summary: 'An event’s slots with remaining seats, live',
      access: 'public',
      params: z.object({ eventId: slugSchema }),
      query: z.object({ storeId: slugSchema.optional() }),
      ok: {
        status: 200,
        stream: listedSlotSchema,
        description: 'A `ready` event, then one `slot` event per slot whose seats or state changed',
      },
      errors: ['EVENT_NOT_FOUND'],
    },
    async (c) => {
      const { eventId } = c.req.valid('param');
      const { storeId } = c.req.valid('query');
      if (!(await readEvent(deps, eventId))) throw new AppError('EVENT_NOT_FOUND');
      return serveEvents(c, (send) =>
        follow(eventAuditStream(eventId), c.req.header('last-event-id'), send, async (entry) => {
          for (const slotId of slotsOf(entry)) {
            const slot = await shared.once(`${entry.id}:${slotId}`, async () => {
              const hash = await deps.redis.hgetall(eventKeys(eventId).slot(slotId));
              return hash.id ? slotViewSchema.parse(slotView(hash)) : undefined;
            });
            if (!slot || (storeId !== undefined && slot.storeId !== storeId)) continue;
            send('slot', { ...slot, state: slotState(slot, deps.clock.now()) }, entry.id);
          }
        }),
      );
    },
  );

  /** A customer's own hold or booking: sent again on each change, and when the store's time to answer runs out. */
  const followOwn = async <T extends { storeAcknowledgement: { status: string; overdueAt?: number } }>(
    stream: string,
    lastEventId: string | undefined,
    send: SendEvent,
    event: string,
    matches: (entry: AuditEntry) => boolean,
    read: () => Promise<T>,
  ) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const push = async (id?: string) => {
      const view = await read();
      send(event, view, id);
      if (timer) clearTimeout(timer);
      const ack = view.storeAcknowledgement;
      if (ack.status === 'waiting' && ack.overdueAt !== undefined) {
        timer = setTimeout(
          () => void push().catch(() => undefined),
          Math.max(0, ack.overdueAt - deps.clock.now()) + 50,
        );
      }
    };
    const stop = await follow(stream, lastEventId, send, async (entry) => {
      if (matches(entry)) await push(entry.id);
    });
    await push();
    return () => {
      if (timer) clearTimeout(timer);
      stop();
    };
  };

  declareRoute(
    app,
    {
      method: 'get',
      path: '/live/holds/{holdId}',
      summary: 'One pickup hold’s status, live (manage token in the Authorization header)',
      access: 'customer',
      params: holdParams,
      ok: {
        status: 200,
        stream: customerHoldSchema,
        description: 'A `ready` event, the hold now, then the hold again after each change',
      },
      errors: ['HOLD_NOT_FOUND'],
    },
    async (c) => {
      const { holdId } = c.req.valid('param');
      const token = bearerToken(c.req.header('authorization'));
      if (!token) throw new AppError('HOLD_NOT_FOUND');
      const read = () => readHoldForCustomer(deps, holdId, token);
      await read();
      return serveEvents(c, (send) =>
        followOwn(
          storeAuditStream(storeOfHold(holdId)),
          c.req.header('last-event-id'),
          send,
          'hold',
          (entry) => holdIdOf(entry) === holdId,
          read,
        ),
      );
    },
  );

  declareRoute(
    app,
    {
      method: 'get',
      path: '/live/bookings/{bookingId}',
      summary: 'One booking’s status, live (manage token in the Authorization header)',
      access: 'customer',
      params: z.object({ bookingId: bookingIdSchema }),
      ok: {
        status: 200,
        stream: customerBookingSchema,
        description: 'A `ready` event, the booking now, then the booking again after each change',
      },
      errors: ['BOOKING_NOT_FOUND'],
    },
    async (c) => {
      const { bookingId } = c.req.valid('param');
      const token = bearerToken(c.req.header('authorization'));
      if (!token) throw new AppError('BOOKING_NOT_FOUND');
      const read = () => readBookingForCustomer(deps, bookingId, token);
      const booking = await read();
      return serveEvents(c, (send) =>
        followOwn(
          eventAuditStream(booking.eventId),
          c.req.header('last-event-id'),
          send,
          'booking',
          (entry) => bookingIdOf(entry) === bookingId,
          read,
        ),
      );
    },
  );

  return app;
}
