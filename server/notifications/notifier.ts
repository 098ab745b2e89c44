import type { AuditEvent } from '../../shared/audit-events.ts';
import { customerPaths } from '../../shared/customer-routes.ts';
import { ownerOfId } from '../../shared/ids.ts';
import { readEvent } from '../appointments/events.ts';
import { eventKeys } from '../appointments/keys.ts';
import type { AuditEntry } from '../audit/streams.ts';
import type { StreamConsumer } from '../consumers/consumer.ts';
import type { Deps } from '../deps.ts';
import { auditStreams } from '../ledger/archiver.ts';
import { readManageToken } from '../redis/manage-tokens.ts';
import { storeKeys } from '../stock/keys.ts';
import { readStore } from '../stores/stores.ts';
import { type BookingMessageKind, bookingMessage } from './booking-messages.ts';
import { draftsFor, type MessageContent, parseContact } from './compose.ts';
import { type HoldMessageKind, holdMessage } from './hold-messages.ts';
import { invitationsSent, type MessageDraft, readMessageByKey, recordMessage } from './messages-db.ts';

/** The notifier's consumer group on every audit stream. */
export const NOTIFIER_GROUP = 'notifier';
/** An entry older than this is history (a new group reads from the start): no message now. */
const STALE_AFTER_MS = 24 * 60 * 60_000;
/** A hold or booking this new may still be waiting for its request to leave the manage token. */
const TOKEN_WAIT_MS = 30_000;

const HOLD_KINDS: Partial<Record<string, HoldMessageKind>> = {
  'hold.created': 'hold_made',
  'hold.ack': 'hold_received',
  'hold.pick': 'hold_ready',
  'hold.expired': 'hold_expired',
  'hold.cancel': 'hold_cancelled',
};
const BOOKING_KINDS: Partial<Record<string, BookingMessageKind>> = {
  'booking.created': 'booking_made',
  'booking.ack': 'booking_received',
  'booking.rescheduled': 'booking_rescheduled',
  'booking.cancel': 'booking_cancelled',
};

export interface NotifierSink {
  /** A new message to send. */
  enqueue(id: number): Promise<void>;
  /** Reminders before `startsAt`; each checks at its time that the booking still starts then. */
  scheduleReminders(bookingId: string, startsAt: number): Promise<void>;
  /** Asks, after the store's acknowledgement time, whether a hold was received. */
  checkAckLater(holdId: string, afterMs: number): Promise<void>;
}

/** A message is made once: a draft whose key exists is sent again only if it never went out. */
export async function makeMessages(deps: Deps, sink: NotifierSink, drafts: MessageDraft[]): Promise<void> {
  const pool = deps.ledger?.pool;
  if (!pool) return;
  for (const draft of drafts) {
    const id = await recordMessage(pool, draft);
    if (id !== undefined) {
      await sink.enqueue(id);
      continue;
    }
    // Made before: a crash may have come between recording it and asking for its send.
    const existing = await readMessageByKey(pool, draft.key);
    if (existing?.status === 'made') await sink.enqueue(existing.id);
  }
}

function linkTo(deps: Deps, path: string): string {
  const base = deps.config.notify.publicUrl ?? `http://localhost:${deps.config.port}`;
  return `${base.replace(/\/$/, '')}${path}`;
}

/** A hold's message, from its record (the contact is there, never in the event). */
export async function holdContent(
  deps: Deps,
  holdId: string,
  kind: HoldMessageKind,
  eventAt: number,
): Promise<{ content: MessageContent; contact: ReturnType<typeof parseContact> } | undefined> {
  const storeId = ownerOfId(holdId);
  if (!storeId) return undefined;
  const k = storeKeys(storeId);
  const [h, store, token] = await Promise.all([
    deps.redis.hgetall(k.hold(holdId)),
    readStore(deps, storeId),
    readManageToken(deps, 'hold', holdId),
  ]);
  if (!h.id || !store) return undefined;
  if (!token && deps.clock.now() - eventAt < TOKEN_WAIT_MS)
    throw new Error(`hold ${holdId}: token not there yet`);
  const product = JSON.parse((await deps.redis.hget(k.catalog, String(h.sku))) ?? '{}') as { name?: string };
  const contact = parseContact(h.customer);
  const facts = {
    id: holdId,
    sku: String(h.sku),
    productName: product.name ?? String(h.sku),
    quantity: Number(h.quantity),
    expiresAt: Number(h.expiresAt),
    customerName: contact.name,
  };
  const link = token ? linkTo(deps, customerPaths.hold(holdId, token)) : undefined;
  return { content: holdMessage(kind, facts, store, link), contact };
}

/**
 * A booking's message, from its record; `slotId` is the slot the event speaks of (a replayed
 * reschedule tells its own new time), else the booking's. `change.at` 0: do not wait for the token.
 */
export async function bookingContent(
  deps: Deps,
  bookingId: string,
  slotId: string | undefined,
  kind: BookingMessageKind,
  change: { revision: string; at: number },
) {
  const eventId = ownerOfId(bookingId);
  if (!eventId) return undefined;
  const k = eventKeys(eventId);
  const [b, meta, token] = await Promise.all([
    deps.redis.hgetall(k.booking(bookingId)),
    readEvent(deps, eventId),
    readManageToken(deps, 'booking', bookingId),
  ]);
  if (!b.id) return undefined;
  if (!token && deps.clock.now() - change.at < TOKEN_WAIT_MS)
    throw new Error(`booking ${bookingId}: token not there yet`);
  const slot = await deps.redis.hgetall(k.slot(slotId ?? String(b.slotId)));
  const store = await readStore(deps, String(slot.storeId ?? b.storeId));
  if (!store) return undefined;
  const contact = parseContact(b.customer);
  const facts = {
    id: bookingId,
    eventName: meta?.name ?? eventId,
    startsAt: Number(slot.startsAt ?? b.startsAt),
    endsAt: Number(slot.endsAt ?? b.startsAt),
    createdAt: Number(b.createdAt),
    customerName: contact.name,
  };
  const link = token ? linkTo(deps, customerPaths.booking(bookingId, token)) : undefined;
  const organizer = /<([^>]+)>/.exec(deps.config.notify.mailFrom)?.[1] ?? deps.config.notify.mailFrom;
  // SEQUENCE: how many invitations this booking was sent before (a replay's key exists, so its draft is dropped).
  const sequence = deps.ledger ? await invitationsSent(deps.ledger.pool, bookingId) : 0;
  const content = bookingMessage(kind, facts, store, link, { ...change, organizer, sequence });
  return { content, contact, startsAt: facts.startsAt };
}

/**
 * The notifier (issue 19): a consumer of the audit streams, like the archiver, that turns the
 * events a customer cares about into messages, recorded once by key in the ledger's Postgres
 * and sent by the queue. Never called from a request.
 */
export function notifier(deps: Deps, sink: NotifierSink): StreamConsumer {
  async function apply(entry: AuditEntry): Promise<void> {
    const event = entry as AuditEvent;
    if (deps.clock.now() - event.at > STALE_AFTER_MS) return;
    const holdKind = HOLD_KINDS[event.type];
    const bookingKind = BOOKING_KINDS[event.type];
    let made: Awaited<ReturnType<typeof holdContent>>;
    if (holdKind) {
      const holdId = (event.data as { holdId: string }).holdId;
      made = await holdContent(deps, holdId, holdKind, event.at);
      if (holdKind === 'hold_made') await sink.checkAckLater(holdId, deps.config.storeAckTimeoutMs);
    } else if (bookingKind) {
      const data = event.data as { bookingId: string; slotId?: string; toSlot?: string };
      const booking = await bookingContent(deps, data.bookingId, data.toSlot ?? data.slotId, bookingKind, {
        revision: event.id,
        at: event.at,
      });
      made = booking;
      if (booking && (bookingKind === 'booking_made' || bookingKind === 'booking_rescheduled'))
        await sink.scheduleReminders(data.bookingId, booking.startsAt);
    }
    if (made) await makeMessages(deps, sink, draftsFor(made.content, made.contact));
  }
  return {
    name: NOTIFIER_GROUP,
    streams: auditStreams,
    async handle(_stream, entries) {
      for (const entry of entries) await apply(entry);
    },
  };
}
