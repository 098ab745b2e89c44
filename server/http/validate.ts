import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError, respondError } from './errors.ts';

/** The largest JSON body any route accepts (a full catalog import fits). */
export const MAX_BODY_BYTES = 2_000_000;

const limitBody = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: (c) => {
    // The rest of the body is never read, so this connection cannot carry another request
    // (RFC 9112 §9.6): say so, or a client reusing it fails its next request.
    c.header('Connection', 'close');
    return respondError(c, 'PAYLOAD_TOO_LARGE', { limitBytes: MAX_BODY_BYTES });
  },
});

/** `application/json`, or a `+json` type, with any parameters (charset). */
function isJson(contentType: string): boolean {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

/**
 * In front of every route that takes a body (`declareRoute`): a body labelled as anything
 * but JSON, or not labelled at all, is refused with 415; a body over MAX_BODY_BYTES with 413, whether its length is
 * declared or it arrives chunked (Hono's bodyLimit counts the bytes as they are read).
 */
export const rejectLargeBody: MiddlewareHandler = async (c, next) => {
  const contentType = c.req.header('content-type');
  // Content with no type is octets (RFC 9110 §8.3), not JSON; no content at all is left to the
  // validator, which says the body is missing.
  const hasContent =
    c.req.header('transfer-encoding') !== undefined || Number(c.req.header('content-length') ?? 0) > 0;
  if (contentType === undefined ? hasContent : !isJson(contentType)) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', { expected: 'application/json' });
  }
  return limitBody(c, async () => {
    const issue = await textIssueIn(c);
    if (issue !== undefined) throw new AppError('VALIDATION_FAILED', { issues: [issue] });
    await next();
  });
};

/** Deeper than any schema's nesting; a deeper body is refused before anything walks it. */
export const MAX_JSON_DEPTH = 32;

/**
 * The first string (value or key) in the JSON body that is not well-formed Unicode (a lone
 * surrogate such as \ud800), which Redis, logs and browsers would mangle, or the first value
 * nested deeper than MAX_JSON_DEPTH (a 2 MB body of `[` would otherwise overflow the stack
 * of every recursive reader after JSON.parse). A body that is not JSON is left to the route's
 * validator.
 */
async function textIssueIn(c: Context): Promise<{ path: string; message: string } | undefined> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    return undefined;
  }
  const walk = (value: unknown, path: string[]): { path: string; message: string } | undefined => {
    if (typeof value === 'string')
      return value.isWellFormed() ? undefined : { path: path.join('.'), message: LONE_SURROGATE };
    if (typeof value !== 'object' || value === null) return undefined;
    if (path.length >= MAX_JSON_DEPTH)
      return { path: path.join('.'), message: `nested deeper than ${MAX_JSON_DEPTH} levels` };
    for (const [key, inner] of Object.entries(value)) {
      if (!key.isWellFormed()) return { path: [...path, '(key)'].join('.'), message: LONE_SURROGATE };
      const found = walk(inner, [...path, key]);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return walk(body, []);
}

const LONE_SURROGATE = 'text with a lone surrogate (not valid Unicode)';
