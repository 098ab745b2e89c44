import { z } from 'zod';
import { slugSchema } from '../../shared/api/common.ts';
import {
  joinedWaitingRoomSchema,
  joinWaitingRoomSchema,
  type WaitingRoomAdminView,
  waitingPlaceSchema,
  waitingRoomAdminSchema,
  waitingRoomPublicSchema,
  waitingRoomSettingsSchema,
} from '../../shared/api/waiting-room.ts';
import { AppError } from '../app-error.ts';
import { eventAuditStream } from '../audit/streams.ts';
import { bearerToken } from '../auth/middleware.ts';
import type { Deps } from '../deps.ts';
import { mutationContext, replyWith } from '../http/mutation.ts';
import { rateLimitPublicWrites, sawUntrustedProxy } from '../http/rate-limit.ts';
import { apiRouter, declareRoute } from '../http/route.ts';
import { serveEvents } from '../live/sse.ts';
import { readPlace } from './places.ts';
import {
  configureWaitingRoom,
  joinWaitingRoom,
  readWaitingRoomForAdmin,
  readWaitingRoomForPublic,
} from './room.ts';

const eventParams = z.object({ eventId: slugSchema });

/** The place token, from the Authorization header; without it there is no place to show. */
function placeToken(header: string | undefined): string {
  const token = bearerToken(header);
  if (!token) throw new AppError('WAITING_ROOM_PLACE_NOT_FOUND');
  return token;
}

/** An event release's waiting room (issue 10 §3): join, follow one's place live, and the admin's switch. Mount at /api. */
export function waitingRoomRoutes(deps: Deps) {
  const app = apiRouter();
  const publicWrites = rateLimitPublicWrites(deps);

  declareRoute(
    app,
    {
      method: 'get',
      path: '/events/{eventId}/waiting-room',
      summary: 'Whether booking the event needs a waiting-room ticket, and when the line opens',
      access: 'public',
      params: eventParams,
      ok: { status: 200, schema: waitingRoomPublicSchema, description: 'The room, or `enabled: false`' },
      errors: ['EVENT_NOT_FOUND'],
    },
    async (c) => await readWaitingRoomForPublic(deps, c.req.valid('param').eventId),
  );

  declareRoute(
    app,
    {
      method: 'post',
      path: '/events/{eventId}/waiting-room/places',
      summary: 'Take a place in the line (one per email or phone, and per connection)',
      access: 'public',
      rateLimit: publicWrites,
      params: eventParams,
      body: joinWaitingRoomSchema,
      idempotent: true,
      ok: {
        status: 201,
        schema: joinedWaitingRoomSchema,
        description: 'The place and its token (send it as the Waiting-Room-Ticket header to book)',
      },
      errors: ['WAITING_ROOM_OFF', 'WAITING_ROOM_ALREADY_JOINED'],
    },
    async (c) => {
      const { eventId } = c.req.valid('param');
      const { customer } = c.req.valid('json');
      const actor = c.get('actor');
      const address = actor.role === 'customer' ? actor.client : 'unknown';
      const ctx = mutationContext(c, 'waiting-room.join', eventId, { customer });
      return replyWith(c, await joinWaitingRoom(deps, eventId, customer, address, ctx));
    },
  );

  declareRoute(
    app,
    {
      method: 'get',
      path: '/events/{eventId}/waiting-room/place',
      summary: 'One’s place in the line (place token in the Authorization header)',
      access: 'customer',
      params: eventParams,
      ok: { status: 200, schema: waitingPlaceSchema, description: 'The place now' },
      errors: ['WAITING_ROOM_PLACE_NOT_FOUND'],
    },
    async (c) =>
      await readPlace(deps, c.req.valid('param').eventId, placeToken(c.req.header('authorization'))),
  );

  declareRoute(
    app,
    {
      method: 'get',
      path: '/live/events/{eventId}/waiting-room',
      summary: 'One’s place in the line, live (place token in the Authorization header)',
      access: 'customer',
      params: eventParams,
      ok: {
        status: 200,
        stream: waitingPlaceSchema,
        description:
          'A `ready` event, the place now, then the place again after each admission step, ticket expiry, sell-out or change of the room',
      },
      errors: ['WAITING_ROOM_PLACE_NOT_FOUND'],
    },
    async (c) => {
      const { eventId } = c.req.valid('param');
      const token = placeToken(c.req.header('authorization'));
      const read = () => readPlace(deps, eventId, token);
      await read();
      return serveEvents(c, async (send) => {
        let queue = Promise.resolve();
        const push = (id?: string) => {
          queue = queue.then(async () => send('place', await read(), id)).catch(() => undefined);
        };
        // Only the room's own entries move a place; the bookings of the event do not.
        const subscription = deps.hub.subscribe(eventAuditStream(eventId), {
          onEntries: (entries) => {
            const last = entries.filter((e) => e.type.startsWith('waitingroom.')).at(-1);
            if (last) push(last.id);
          },
          onGap: () => push(),
        });
        await subscription.ready;
        send('ready', {});
        push();
        // The ticket's end and T0 pass without a stream entry when no instance ticks: say so on time.
        const timer = setInterval(() => push(), PLACE_REFRESH_MS);
        return () => {
          clearInterval(timer);
          subscription.unsubscribe();
        };
      });
    },
  );

  declareRoute(
    app,
    {
      method: 'get',
      path: '/admin/events/{eventId}/waiting-room',
      summary: 'An event’s waiting room: settings and counts',
      access: 'admin',
      params: eventParams,
      ok: { status: 200, schema: waitingRoomAdminSchema, description: 'The room' },
      errors: ['EVENT_NOT_FOUND'],
    },
    async (c) => withAddressWarning(await readWaitingRoomForAdmin(deps, c.req.valid('param').eventId)),
  );

  declareRoute(
    app,
    {
      method: 'put',
      path: '/admin/events/{eventId}/waiting-room',
      summary: 'Turn an event’s waiting room on or off, with its admission rate and ticket lifetime',
      access: 'admin',
      params: eventParams,
      body: waitingRoomSettingsSchema,
      ok: { status: 200, schema: waitingRoomAdminSchema, description: 'The room as saved' },
      errors: ['EVENT_NOT_FOUND', 'WAITING_ROOM_OPENING_NOT_A_RELEASE'],
    },
    async (c) =>
      withAddressWarning(
        await configureWaitingRoom(deps, c.req.valid('param').eventId, c.req.valid('json'), c.get('actor')),
      ),
  );

  /**
   * The room as the console shows it, with a warning when this instance has seen requests come
   * through a proxy it does not trust: places per connection would count the proxy, not customers.
   */
  function withAddressWarning(room: WaitingRoomAdminView): WaitingRoomAdminView {
    if (deps.config.trustProxy || !sawUntrustedProxy(deps)) return room;
    return {
      ...room,
      clientAddressWarning:
        'Requests reach this server through a proxy, but TRUST_PROXY is off: every customer behind it counts as one connection. Set TRUST_PROXY=1 on the servers.',
    };
  }

  return app;
}

/** A live place is read again this often even without news (the countdown to T0, a ticket's end). */
const PLACE_REFRESH_MS = 5_000;
