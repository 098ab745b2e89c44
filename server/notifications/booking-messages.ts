import type { Store } from '../../shared/api/stores.ts';
import { type MessageContent, storeDateTime } from './compose.ts';
import { inviteFile } from './invite.ts';

export interface BookingFacts {
  id: string;
  eventName: string;
  startsAt: number;
  endsAt: number;
  createdAt: number;
  customerName: string;
}

export type BookingMessageKind =
  | 'booking_made'
  | 'booking_received'
  | 'booking_rescheduled'
  | 'booking_cancelled'
  | 'booking_reminder';

/** What each message about a booking says; `revision` tells reschedules apart (the entry id). */
export function bookingMessage(
  kind: BookingMessageKind,
  booking: BookingFacts,
  store: Store,
  link: string | undefined,
  change: { revision: string; at: number; organizer: string; sequence: number },
): MessageContent {
  const when = storeDateTime(booking.startsAt, store.timeZone);
  const base = {
    subjectId: booking.id,
    kind,
    revision: kind === 'booking_rescheduled' || kind === 'booking_reminder' ? change.revision : '0',
    store,
    ...(link ? { link } : {}),
  };
  const invite = (method: 'REQUEST' | 'CANCEL') =>
    inviteFile({
      uid: `${booking.id}@holdfast`,
      sequence: change.sequence,
      method,
      title: `${booking.eventName} at ${store.name}`,
      startsAt: booking.startsAt,
      endsAt: booking.endsAt,
      location: `${store.name}, ${store.address}`,
      description: link ? `Manage your appointment: ${link}` : `Questions? Call ${store.phone}.`,
      organizer: change.organizer,
      now: change.at,
    });
  switch (kind) {
    case 'booking_made':
      return {
        ...base,
        subject: `Booked: ${booking.eventName}, ${when}`,
        lines: [
          `Hello ${booking.customerName}, you are booked for ${booking.eventName} on ${when} at ${store.name}, ${store.address}.`,
          'The invitation attached adds it to your calendar.',
        ],
        sms: `${store.name}: booked for ${booking.eventName}, ${when}.`,
        ics: invite('REQUEST'),
      };
    case 'booking_received':
      return {
        ...base,
        subject: `${store.name} has received your booking`,
        lines: [`${store.name} has received your booking for ${when}. See you then.`],
        sms: `${store.name} has received your booking for ${when}.`,
      };
    case 'booking_rescheduled':
      return {
        ...base,
        subject: `Moved: ${booking.eventName}, now ${when}`,
        lines: [
          `Your appointment for ${booking.eventName} is now on ${when} at ${store.name}, ${store.address}.`,
          'The invitation attached moves it in your calendar.',
        ],
        sms: `${store.name}: your appointment is now ${when}.`,
        ics: invite('REQUEST'),
      };
    case 'booking_reminder':
      return {
        ...base,
        subject: `Reminder: ${booking.eventName}, ${when}`,
        lines: [
          `A reminder of your appointment for ${booking.eventName} on ${when} at ${store.name}, ${store.address}.`,
          'Cannot come? Move or cancel it with the link below, so someone else can have the time.',
        ],
        sms: `${store.name}: reminder, your appointment is ${when}.`,
      };
    case 'booking_cancelled':
      return {
        ...base,
        subject: `Cancelled: ${booking.eventName}, ${when}`,
        lines: [
          `Your appointment for ${booking.eventName} on ${when} at ${store.name} is cancelled.`,
          `Questions? Call ${store.phone}.`,
        ],
        sms: `${store.name}: your appointment on ${when} is cancelled.`,
        ics: invite('CANCEL'),
      };
  }
}
