import type { Context, MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { AppError, describeIssues } from './errors.ts';

/** The largest JSON body any route accepts (a full catalog import fits). */
export const MAX_BODY_BYTES = 2_000_000;

/** Refuses a body whose declared length is over MAX_BODY_BYTES before anything reads it. */
export const rejectLargeBody: MiddlewareHandler = async (c, next) => {
  const declared = Number(c.req.header('content-length') ?? 0);
  if (declared > MAX_BODY_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', { limitBytes: MAX_BODY_BYTES });
  await next();
};

/** Parses the JSON body with `schema`; a bad body is a 400 that names each wrong field. */
export async function parseBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const declared = Number(c.req.header('content-length') ?? 0);
  if (declared > MAX_BODY_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', { limitBytes: MAX_BODY_BYTES });
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new AppError('VALIDATION_FAILED', { issues: [{ path: '', message: 'the body must be JSON' }] });
  }
  return parseWith(schema, raw);
}

export function parseQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  return parseWith(schema, c.req.query());
}

export function parseWith<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw);
  if (!result.success) throw new AppError('VALIDATION_FAILED', { issues: describeIssues(result.error) });
  return result.data;
}
