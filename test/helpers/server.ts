import type { createApp } from '../../server/app.ts';
import { type Config, testConfig } from '../../server/config.ts';
import type { ConsumerOptions } from '../../server/consumers/consumer.ts';
import { type Clock, createDeps, type Deps } from '../../server/deps.ts';
import { type HoldfastOptions, startHoldfast } from '../../server/holdfast.ts';
import type { LedgerDb } from '../../server/ledger/db.ts';
import type { Logger } from '../../server/observability/log.ts';
import type { StoreSync } from '../../server/projection/store-sync.ts';
import type { TestBackend } from './backends.ts';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestServer {
  deps: Deps;
  app: ReturnType<typeof createApp>;
  /** Base URL of the real HTTP server on a free port. */
  url: string;
  sync: StoreSync;
  close(): Promise<void>;
}

/** The real server (HTTP and sync websocket) on port 0 over a test Redis; rate limits off unless set. */
export async function startTestServer(
  redis: Pick<TestBackend, 'client'>,
  overrides: Partial<Config> = {},
  options: {
    webRoot?: string;
    clock?: Clock;
    log?: Logger;
    ledger?: LedgerDb;
    archiver?: ConsumerOptions;
    webhooks?: HoldfastOptions['webhooks'];
  } = {},
): Promise<TestServer> {
  const config = testConfig({
    adminToken: TEST_ADMIN_TOKEN,
    rateLimitPerMinute: 0,
    rateLimitPerIdentityPerMinute: 0,
    ...overrides,
  });
  const onError = (error: unknown) => console.warn('error in test server:', error);
  const deps = createDeps(redis.client(), config, {
    onError,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.log === undefined ? {} : { log: options.log }),
    ...(options.ledger === undefined ? {} : { ledger: options.ledger }),
  });
  const holdfast = await startHoldfast(deps, {
    port: 0,
    hostname: '127.0.0.1',
    webRoot: options.webRoot ?? '/nonexistent',
    onError,
    // New events are picked up within 100 ms here, so tests need not wait the production 5 s.
    eventCheckMs: 100,
    ...(options.archiver === undefined ? {} : { archiver: options.archiver }),
    ...(options.webhooks === undefined ? {} : { webhooks: options.webhooks }),
  });
  return { deps, app: holdfast.app, url: holdfast.url, sync: holdfast.sync, close: () => holdfast.close() };
}

/** JSON request helper: returns status and parsed body. */
export async function call(
  base: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string; idempotencyKey?: string; headers?: Record<string, string> } = {},
  // Tests read many shapes; each asserts the fields it needs.
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field in tests.
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  const init: RequestInit = { method, headers };
  if (options.body !== undefined) init.body = JSON.stringify(options.body);
  const response = await fetch(`${base}${path}`, init);
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

let keyCounter = 0;
/** A fresh idempotency key, as a tablet would make when the person acts. */
export function newKey(label = 'k'): string {
  keyCounter += 1;
  return `${label}-${process.pid}-${Date.now()}-${keyCounter}`;
}
