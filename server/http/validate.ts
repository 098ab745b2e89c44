import type { MiddlewareHandler } from 'hono';
import { AppError } from './errors.ts';

/** The largest JSON body any route accepts (a full catalog import fits). */
export const MAX_BODY_BYTES = 2_000_000;

/**
 * Refuses a body whose declared length is over MAX_BODY_BYTES before anything reads it;
 * `declareRoute` puts it in front of every route that takes a body.
 */
export const rejectLargeBody: MiddlewareHandler = async (c, next) => {
  const declared = Number(c.req.header('content-length') ?? 0);
  if (declared > MAX_BODY_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', { limitBytes: MAX_BODY_BYTES });
  await next();
};
