import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError, respondError } from './errors.ts';

/** The largest JSON body any route accepts (a full catalog import fits). */
export const MAX_BODY_BYTES = 2_000_000;

/**
 * The rest of a body over the limit is never read, so its connection cannot carry another
 * request (RFC 9112 §9.6): say so, or a client reusing it fails its next request.
 */
function tooLarge(c: Context) {
  c.header('Connection', 'close');
  return respondError(c, 'PAYLOAD_TOO_LARGE', { limitBytes: MAX_BODY_BYTES });
}

const limitBody = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge });

/** `application/json`, or a `+json` type, with any parameters (charset). */
function isJson(contentType: string): boolean {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

/**
 * In front of every route that takes a body (`declareRoute`): a body labelled as anything
 * but JSON, or not labelled at all, is refused with 415; a body over MAX_BODY_BYTES with 413,
 * whether its length is declared or it arrives chunked (the bytes are counted as they are read).
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
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming) {
    // Served by @hono/node-server: read the bytes from Node's request directly. Going through
    // the web Request (as bodyLimit does) builds a ReadableStream, an AbortSignal and undici's
    // Request for every body: about a fifth of the server's CPU per hold.
    const text = await readLimited(incoming, MAX_BODY_BYTES);
    if (text === undefined) return tooLarge(c);
    // Hono keeps the promise of each body form it read; its json() parses the cached text.
    (c.req.bodyCache as unknown as { text?: Promise<string> }).text = Promise.resolve(text);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: left to the route's validator, which says so.
      return await next();
    }
    const issue = issueAt(body);
    if (issue !== undefined) throw new AppError('VALIDATION_FAILED', { issues: [issue] });
    // Hono's json() parses the text again on every call, and the route's validator calls it:
    // it is handed this parse instead (the validator builds its own object from it).
    const parsed = Promise.resolve(body);
    c.req.json = (() => parsed) as typeof c.req.json;
    return await next();
  }
  return limitBody(c, () => checkTextThen(c, next));
};

/**
 * The body as text, or undefined as soon as it is over `max` bytes, declared or counted as it
 * arrives (a chunked body has no declared length).
 */
function readLimited(incoming: IncomingMessage, max: number): Promise<string | undefined> {
  if (Number(incoming.headers['content-length'] ?? 0) > max) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      incoming.off('data', onData).off('end', onEnd).off('error', reject);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) return void chunks.push(chunk);
      // Read no further; the 413 answer closes the connection (tooLarge).
      stop();
      incoming.pause();
      resolve(undefined);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    incoming.on('data', onData).on('end', onEnd).on('error', reject);
  });
}

async function checkTextThen(c: Context, next: () => Promise<void>): Promise<void> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    return await next();
  }
  const issue = issueAt(body);
  if (issue !== undefined) throw new AppError('VALIDATION_FAILED', { issues: [issue] });
  await next();
}

/** Deeper than any schema's nesting; a deeper body is refused before anything walks it. */
export const MAX_JSON_DEPTH = 32;

/**
 * The first string (value or key) in a parsed JSON body that is not well-formed Unicode (a lone
 * surrogate such as \ud800), which Redis, logs and browsers would mangle, or the first value
 * nested deeper than MAX_JSON_DEPTH (a 2 MB body of `[` would otherwise overflow the stack
 * of every recursive reader after JSON.parse).
 */
function issueAt(body: unknown): { path: string; message: string } | undefined {
  const issue = issueIn(body, 0);
  return issue && { path: issue.path.join('.'), message: issue.message };
}

/**
 * issueAt's walk. The path is built only on the way back from an issue: a valid body (every
 * hold) walks without allocating one array per value.
 */
function issueIn(value: unknown, depth: number): { path: string[]; message: string } | undefined {
  if (typeof value === 'string')
    return value.isWellFormed() ? undefined : { path: [], message: LONE_SURROGATE };
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth >= MAX_JSON_DEPTH) return { path: [], message: `nested deeper than ${MAX_JSON_DEPTH} levels` };
  for (const key in value) {
    if (!key.isWellFormed()) return { path: ['(key)'], message: LONE_SURROGATE };
    const found = issueIn((value as Record<string, unknown>)[key], depth + 1);
    if (found !== undefined) return { ...found, path: [key, ...found.path] };
  }
  return undefined;
}

const LONE_SURROGATE = 'text with a lone surrogate (not valid Unicode)';
