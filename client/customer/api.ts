import { fetchEventSource } from '@microsoft/fetch-event-source';
import type { z } from 'zod';
import { newUlid } from '../../shared/ids.ts';

/** A refusal or failure, with a sentence for the customer and the fields it concerns. */
export class CustomerError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly fields: Record<string, string> = {},
    /** For a rate-limited request: how long to wait. */
    readonly retryAfterSeconds?: number,
    /** The refusal's details as the server sent them (e.g. the place a second device already holds). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** The sentences a customer reads for the refusals they can meet (the server's codes). */
const SENTENCES: Record<string, string> = {
  SOLD_OUT: 'Sorry, the store does not have that many left. Choose fewer, or another store.',
  HOLD_LIMIT_REACHED: 'Sorry, that is more than one customer may reserve of this product. Choose fewer.',
  SLOT_FULL: 'Sorry, that time slot just filled up. Please choose another one.',
  SLOT_NOT_OPEN: 'Booking for that day has not opened yet.',
  SLOT_CLOSED: 'That time slot has already started. Please choose a later one.',
  BOOKING_LIMIT_REACHED:
    'You already have a booking for this event with this email or phone. You can change its time on its page, at the link you got when you booked. Lost it? Ask for it below.',
  HOLD_EXPIRED: 'This reservation expired before it was confirmed, and its units went back on the shelf.',
  INVALID_TRANSITION: 'That is no longer possible: the reservation has moved on.',
  PRODUCT_NOT_FOUND: 'This store does not carry that product.',
  STORE_NOT_FOUND: 'There is no such store.',
  HOLD_NOT_FOUND:
    'We cannot find this reservation. Check that you opened the full link from your confirmation.',
  BOOKING_NOT_FOUND:
    'We cannot find this booking. Check that you opened the full link from your confirmation.',
  EVENT_NOT_FOUND: 'There is no such event.',
  WAITING_ROOM_TICKET_REQUIRED:
    'This release has a waiting line. Join it, and book when the line says it is your turn (with the same email or phone).',
  WAITING_ROOM_ALREADY_JOINED:
    'You already have a place in this line (this email or phone, or this connection). Keep the page where you joined open.',
  WAITING_ROOM_OFF: 'This event has no waiting line right now: you can book directly.',
  WAITING_ROOM_PLACE_NOT_FOUND: 'We cannot find your place in the line. Please join again.',
  REPLICATION_UNCONFIRMED:
    'Your request was received; we are still confirming it. Please press the button again.',
  OUTCOME_UNKNOWN:
    'We could not confirm your request. Please press the button again: it will not be made twice.',
  REDIS_UNAVAILABLE: 'The shop is briefly unavailable; nothing was changed. Please try again in a moment.',
};

/**
 * A 503 (Redis away, or a change whose outcome is unknown) is sent again this many times,
 * with the same idempotency key, so a change that did happen is answered as made, once.
 */
export const RETRIES_ON_503 = 3;
/** The longest a page waits before sending again, whatever Retry-After says. */
const MAX_RETRY_WAIT_S = 5;

async function toError(response: Response): Promise<CustomerError> {
  const body = (await response.json().catch(() => ({}))) as {
    code?: string;
    message?: string;
    details?: {
      issues?: { path: string; message: string }[];
      by?: string;
      place?: unknown;
      maxHeldAtOnce?: number;
      heldNow?: number;
    };
  };
  const code = body.code ?? 'INTERNAL';
  if (response.status === 429) {
    const wait = Number(response.headers.get('retry-after') ?? '60');
    const who = body.details?.by === 'customer' ? 'for this email or phone' : 'from this connection';
    return new CustomerError(
      `Too many tries ${who}. Please wait ${wait} seconds and try again.`,
      code,
      {},
      wait,
    );
  }
  const fields = Object.fromEntries((body.details?.issues ?? []).map((i) => [i.path, i.message]));
  const atOnce = body.details?.maxHeldAtOnce;
  if (code === 'HOLD_LIMIT_REACHED' && atOnce !== undefined) {
    return new CustomerError(
      `One customer may hold at most ${atOnce} of this product at once, over all our stores, and you hold ${body.details?.heldNow ?? 0}. Choose fewer, or cancel another reservation first.`,
      code,
    );
  }
  if (code === 'WAITING_ROOM_ALREADY_JOINED' && body.details?.by === 'customer') {
    return new CustomerError(
      'This email or phone already has a place in this line, taken on another device or browser.',
      code,
      {},
      undefined,
      body.details as Record<string, unknown>,
    );
  }
  const sentence =
    SENTENCES[code] ??
    (response.status >= 500
      ? 'Something went wrong on our side. Please try again; nothing was booked twice.'
      : (body.message ?? 'That did not work. Please try again.'));
  return new CustomerError(sentence, code, fields);
}

/** Reads JSON, checked against the schema the server declares for it (shared/api). */
export async function getJson<T>(path: string, schema: z.ZodType<T>, token?: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  } catch {
    throw new CustomerError(
      'We cannot reach the shop right now. Check your connection and try again.',
      'OFFLINE',
    );
  }
  if (!response.ok) throw await toError(response);
  return schema.parse(await response.json());
}

/**
 * Sends a change with an idempotency key made when the person acted: pressing again after a
 * failure sends the same key, so nothing is made twice (DESIGN rule 2). A 503 is sent again
 * by itself, after Retry-After, with the same key (issue 9: the outcome may be unknown).
 */
export async function sendJson<T>(
  method: 'POST' | 'DELETE',
  path: string,
  options: {
    body?: unknown;
    token?: string;
    idempotencyKey: string;
    schema: z.ZodType<T>;
    headers?: Record<string, string>;
  },
): Promise<T> {
  const headers: Record<string, string> = { ...options.headers, 'idempotency-key': options.idempotencyKey };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const init: RequestInit = {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  };
  let response: Response;
  for (let retries = 0; ; retries++) {
    try {
      response = await fetch(path, init);
    } catch {
      throw new CustomerError(
        'We cannot reach the shop right now. Check your connection and press the button again.',
        'OFFLINE',
      );
    }
    if (response.status !== 503 || retries >= RETRIES_ON_503) break;
    const wait = Math.min(MAX_RETRY_WAIT_S, Math.max(1, Number(response.headers.get('retry-after')) || 1));
    await new Promise((resolve) => setTimeout(resolve, wait * 1000));
  }
  if (!response.ok) throw await toError(response);
  return options.schema.parse(await response.json());
}

export function newActionKey(label: string): string {
  return `${label}-${newUlid()}`;
}

/**
 * Follows a live stream (server-sent events over fetch, so a manage token travels in the
 * Authorization header, never in a URL). Reconnects by itself, resuming from the last event.
 * Returns a function that stops.
 */
export function followLive(
  path: string,
  onEvent: (event: string, data: string) => void,
  options: { token?: string; onOpen?: () => void } = {},
): () => void {
  const controller = new AbortController();
  void fetchEventSource(path, {
    signal: controller.signal,
    headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
    openWhenHidden: true,
    async onopen(response) {
      if (!response.ok) throw new Error(`live stream answered ${response.status}`);
      options.onOpen?.();
    },
    onmessage(message) {
      onEvent(message.event, message.data);
    },
    onerror() {
      // Retry after a short pause; fetch-event-source resends Last-Event-ID.
      return 2_000;
    },
  }).catch(() => undefined);
  return () => controller.abort();
}
