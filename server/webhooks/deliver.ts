import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isPublicAddress } from './address-guard.ts';

/** How long one attempt may take, connection to last byte. */
export const DELIVERY_TIMEOUT_MS = 15_000;
/** How much of a receiver's answer the log keeps. */
const EXCERPT_CHARS = 1_000;

/** What one attempt came to. */
export interface AttemptResult {
  /** The HTTP status, or null when no answer came. */
  status: number | null;
  /** Seconds the receiver asked to wait (Retry-After), when it said. */
  retryAfterMs: number | null;
  responseExcerpt: string;
  /** Why no answer came (refused address, timeout, connection error). */
  error: string | null;
  durationMs: number;
}

/** The refusal a guarded lookup raises, recognisable in the log. */
export class AddressRefusedError extends Error {
  constructor(readonly address: string) {
    super(`address refused: ${address} is loopback, private, link-local or metadata`);
  }
}

/**
 * A DNS lookup that refuses private addresses: the check is made on the very address the
 * socket then connects to, at every attempt (no window for a rebinding name).
 */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const list = addresses as unknown as LookupAddress[];
    const bad = list.find((a) => !isPublicAddress(a.address));
    if (bad) return callback(new AddressRefusedError(bad.address), '', 0);
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
    const first = list[0] as LookupAddress;
    return callback(null, first.address, first.family);
  });
};

/** Retry-After as seconds or an HTTP date, in ms from now; null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * POSTs one signed body. Redirects are not followed (a 3xx is a failure like any non-2xx);
 * the whole attempt is cut at 15 s. Never throws: every outcome is a value.
 */
export function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: { allowPrivate: boolean; now: () => number; timeoutMs?: number },
): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Omit<AttemptResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, durationMs: elapsed() });
    };
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : http;
    const request = client.request(target, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      ...(options.allowPrivate ? {} : { lookup: guardedLookup }),
    });
    const timer = setTimeout(() => {
      request.destroy(new Error(`timed out after ${options.timeoutMs ?? DELIVERY_TIMEOUT_MS} ms`));
    }, options.timeoutMs ?? DELIVERY_TIMEOUT_MS);
    request.on('response', (response) => {
      let excerpt = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (excerpt.length < EXCERPT_CHARS) excerpt += chunk.slice(0, EXCERPT_CHARS - excerpt.length);
      });
      const done = () =>
        finish({
          status: response.statusCode ?? null,
          retryAfterMs: parseRetryAfter(response.headers['retry-after'], options.now()),
          responseExcerpt: excerpt,
          error: null,
        });
      response.on('end', done);
      response.on('error', done);
    });
    request.on('error', (error) => {
      // A literal IP in the URL skips the lookup: checked here instead.
      finish({ status: null, retryAfterMs: null, responseExcerpt: '', error: error.message });
    });
    request.end(body);
  });
}
