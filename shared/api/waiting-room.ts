import { z } from 'zod';
import { PLACE_STATES } from '../waiting-room.ts';
import { customerSchema } from './common.ts';

/**
 * Places one client address may take by default (issue 16 §5): high, because carrier-grade NAT
 * and shared Wi-Fi put many customers behind one address; one place per email or phone is the
 * limit that counts.
 */
export const PLACES_PER_CONNECTION_DEFAULT = 50;

/** What an admin sets for an event's release (PUT /api/admin/events/{eventId}/waiting-room). */
export const waitingRoomSettingsSchema = z
  .object({
    enabled: z.boolean().describe('While on, a booking of the event needs an admission ticket'),
    admissionsPerMinute: z.number().int().min(1).max(100_000).describe('Customers let in per minute'),
    ticketMinutes: z.number().int().min(1).max(60).describe('How long an admission ticket lasts'),
    opensAt: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('T0, the release time (ms); default: the next opening of the event’s slots'),
    placesPerConnection: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(PLACES_PER_CONNECTION_DEFAULT)
      .describe(
        'Places one client address may take: a backstop against one machine taking many places; each email or phone has one place whatever the address, and a carrier or café network puts many customers behind one address',
      ),
    activeLimit: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .optional()
      .describe(
        'Follow the booking rate: at most this many admitted customers who have not booked yet at once; each booking, or ticket run out, lets the next one in (never faster than admissionsPerMinute)',
      ),
  })
  .strict();
export type WaitingRoomSettings = z.input<typeof waitingRoomSettingsSchema>;

/** The room as an admin sees it: its settings and its counts. */
export const waitingRoomAdminSchema = z.object({
  eventId: z.string(),
  enabled: z.boolean(),
  admissionsPerMinute: z.number().int(),
  ticketMinutes: z.number().int(),
  placesPerConnection: z.number().int(),
  opensAt: z.number(),
  openedAt: z.number().optional(),
  soldOutAt: z.number().optional(),
  joined: z.number().int().describe('Places ever taken'),
  waiting: z.number().int().describe('Customers still in line'),
  admitted: z.number().int().describe('Tickets issued'),
  expired: z.number().int().describe('Tickets that ran out unused (their places went to the next)'),
  activeLimit: z.number().int().optional(),
  active: z.number().int().describe('Admitted customers who have not booked yet, tickets still valid'),
  measuredPerMinute: z
    .number()
    .optional()
    .describe('Customers let in per minute over the last measured window (while following bookings)'),
  clientAddressWarning: z
    .string()
    .optional()
    .describe('Why places per connection cannot tell customers apart on this server, when it cannot'),
});
export type WaitingRoomAdminView = z.infer<typeof waitingRoomAdminSchema>;

/** The room as anyone sees it: whether bookings need a ticket, and when the line opens. */
export const waitingRoomPublicSchema = z.object({
  enabled: z.boolean(),
  opensAt: z.number().optional(),
  admissionsPerMinute: z
    .number()
    .int()
    .optional()
    .describe('The pace the line moves at: the set rate, or the measured one while following bookings'),
  waiting: z.number().int().optional(),
  soldOut: z.boolean(),
  releaseFirstStartsAt: z
    .number()
    .optional()
    .describe('The first slot the opening releases; absent when no slot opens at the opening time'),
});
export type WaitingRoomPublicView = z.infer<typeof waitingRoomPublicSchema>;

/** Joining the line: the contact the booking will use (one place per email or phone). */
export const joinWaitingRoomSchema = z.object({ customer: customerSchema }).strict();

/** A place in line as its customer sees it (read with the place token). */
export const waitingPlaceSchema = z.object({
  eventId: z.string(),
  state: z.enum(PLACE_STATES),
  opensAt: z.number().describe('T0: when places are drawn and admission starts'),
  position: z.number().int().optional().describe('1 = next in line (state waiting)'),
  waiting: z.number().int().describe('Customers in line'),
  estimatedWaitMs: z.number().int().optional(),
  ticketExpiresAt: z.number().optional().describe('When the admission ticket runs out (your_turn)'),
});
export type WaitingPlace = z.infer<typeof waitingPlaceSchema>;

/** The answer to joining: the place and its token (the admission ticket once admitted). */
export const joinedWaitingRoomSchema = waitingPlaceSchema.extend({ token: z.string() });
export type JoinedWaitingRoom = z.infer<typeof joinedWaitingRoomSchema>;
