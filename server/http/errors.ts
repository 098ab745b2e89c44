import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import { ERROR_MESSAGES, type ErrorBody, type ErrorCode } from '../../shared/errors.ts';
import { AppError } from '../app-error.ts';
import type { AppEnv } from '../deps.ts';
import { redisFailureKind } from '../redis/check.ts';

// Domain code throws AppError without knowing about HTTP; routes may import it from here.
export { AppError };

/** The one place codes become HTTP statuses. */
export const HTTP_STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  VALIDATION_FAILED: 400,
  IDEMPOTENCY_KEY_MISSING: 400,
  IDEMPOTENCY_KEY_REUSED: 422,
  UNAUTHENTICATED: 401,
  DEVICE_REVOKED: 401,
  FORBIDDEN: 403,
  WAITING_ROOM_TICKET_REQUIRED: 403,
  WAITING_ROOM_PLACE_NOT_FOUND: 404,
  WAITING_ROOM_ALREADY_JOINED: 409,
  WAITING_ROOM_OFF: 409,
  WAITING_ROOM_OPENING_NOT_A_RELEASE: 422,
  STORE_NOT_FOUND: 404,
  PRODUCT_NOT_FOUND: 404,
  HOLD_NOT_FOUND: 404,
  EVENT_NOT_FOUND: 404,
  SLOT_NOT_FOUND: 404,
  BOOKING_NOT_FOUND: 404,
  DEVICE_NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  WEBHOOK_NOT_FOUND: 404,
  WEBHOOK_DELIVERY_NOT_FOUND: 404,
  WEBHOOK_ADDRESS_REFUSED: 400,
  ENROLLMENT_CODE_INVALID: 410,
  SOLD_OUT: 409,
  HOLD_LIMIT_REACHED: 409,
  SLOT_FULL: 409,
  SLOT_NOT_OPEN: 409,
  SLOT_CLOSED: 409,
  CAPACITY_BELOW_BOOKED: 409,
  CLOSURE_HAS_BOOKINGS: 409,
  BOOKING_LIMIT_REACHED: 409,
  INVALID_TRANSITION: 409,
  SLOT_NOT_STARTED: 409,
  UNDO_WINDOW_PASSED: 409,
  LEASE_EXCEEDED: 409,
  ACTION_AFTER_REVOCATION: 409,
  DEVICE_NOT_REVOKED: 409,
  LAST_TABLET_PICKUPS_WAITING: 409,
  HOLD_EXPIRED: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  REPLICATION_UNCONFIRMED: 503,
  INTERNAL: 500,
  REDIS_UNAVAILABLE: 503,
  OUTCOME_UNKNOWN: 503,
  LEDGER_UNAVAILABLE: 503,
};

/** Seconds a client should wait before retrying a 503. */
export const RETRY_AFTER_SECONDS = 1;

export function errorBody(code: ErrorCode, details?: Record<string, unknown>, message?: string): ErrorBody {
  const body: ErrorBody = { code, message: message ?? ERROR_MESSAGES[code] };
  if (details !== undefined) body.details = details;
  return body;
}

export function respondError(c: Context, code: ErrorCode, details?: Record<string, unknown>) {
  noteAnswered(c, code);
  return c.json(errorBody(code, details), HTTP_STATUS[code]);
}

/**
 * Records the code answered (and for a failure, where it happened) for the request's one log
 * line and its metrics (http/observe.ts). Never the error itself, whose message can carry
 * script arguments, contact details or tokens.
 */
export function noteAnswered(c: Context, code: ErrorCode, detail?: string): void {
  const context = c as Context<AppEnv>;
  context.set('errorCode', code);
  if (detail !== undefined) context.set('errorDetail', detail);
}

/** Hono's onError: known errors keep their code; anything else is a 500 that leaks nothing. */
export function handleError(error: Error, c: Context) {
  if (error instanceof AppError) {
    noteAnswered(c, error.code);
    return c.json(errorBody(error.code, error.details, error.message), HTTP_STATUS[error.code]);
  }
  if (error instanceof ZodError) {
    noteAnswered(c, 'VALIDATION_FAILED');
    return c.json(errorBody('VALIDATION_FAILED', { issues: describeIssues(error) }), 400);
  }
  // The body validator throws these for a body that is not JSON (400) or not labelled JSON (415).
  if (error instanceof HTTPException && (error.status === 400 || error.status === 415)) {
    const issue = { path: '', message: 'the body must be JSON (Content-Type: application/json)' };
    noteAnswered(c, 'VALIDATION_FAILED');
    return c.json(errorBody('VALIDATION_FAILED', { issues: [issue] }), 400);
  }
  const redisFailure = redisFailureKind(error);
  if (redisFailure !== undefined) {
    // Never sent (refused while Redis is away), or a read: nothing changed. A write that
    // was sent and lost its reply may have happened: the client retries with the same key.
    const safe = redisFailure === 'not-sent' || c.req.method === 'GET' || c.req.method === 'HEAD';
    const code: ErrorCode = safe ? 'REDIS_UNAVAILABLE' : 'OUTCOME_UNKNOWN';
    noteAnswered(c, code);
    c.header('Retry-After', String(RETRY_AFTER_SECONDS));
    return c.json(errorBody(code), HTTP_STATUS[code]);
  }
  // The stack's frames say where; its first line (the message) could carry request data. An
  // error Redis answered starts with its kind (READONLY, MASTERDOWN, ERR...), which is safe to say.
  const frames = (error.stack ?? '').split('\n').slice(1, 6).join('\n');
  const redisKind = error.name === 'ReplyError' ? /^[A-Z]+/.exec(error.message)?.[0] : undefined;
  noteAnswered(c, 'INTERNAL', `${error.name}${redisKind ? ` (${redisKind})` : ''}\n${frames}`);
  return c.json(errorBody('INTERNAL'), 500);
}

export function describeIssues(error: ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}
