import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { loadDocUpdates } from '../../server/sync/doc-store.ts';
import { PRODUCTS_MAP } from '../../shared/store-doc.ts';
import { enrollTablet, seedStore, waitUntil } from '../helpers/fixtures.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { connectDoc } from '../helpers/tablet-client.ts';

/**
 * Several tablets on two server instances make random edits while dropping off and coming
 * back; every run must end with identical documents everywhere, Redis's copy included.
 */

const SKUS = ['A', 'B', 'C'];
const FIELDS = ['name', 'shelf', 'notes'];
const CLIENTS = 4;

type Step =
  | { kind: 'edit'; client: number; sku: string; field: string; value: string }
  | { kind: 'add'; client: number; sku: string; value: string }
  | { kind: 'drop'; client: number }
  | { kind: 'back'; client: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('edit' as const),
      client: fc.nat(CLIENTS - 1),
      sku: fc.constantFrom(...SKUS),
      field: fc.constantFrom(...FIELDS),
      value: fc.string({ maxLength: 6 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('add' as const),
      client: fc.nat(CLIENTS - 1),
      sku: fc.constantFrom('N1', 'N2'),
      value: fc.string({ maxLength: 4 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('drop' as const), client: fc.nat(CLIENTS - 1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('back' as const), client: fc.nat(CLIENTS - 1) }) },
);

let redis: TestRedis;
let servers: TestServer[];
let token: string;

beforeAll(async () => {
  redis = await startTestRedis();
  servers = [await startTestServer(redis), await startTestServer(redis)];
  const [first] = servers;
  if (!first) throw new Error('no server');
  await seedStore(
    first.url,
    'aiea',
    SKUS.map((sku) => ({ sku, onHand: 1 })),
  );
  token = (await enrollTablet(first.url, 'aiea')).token;
});
afterAll(async () => {
  for (const s of servers ?? []) await s.close();
  await redis?.stop();
});

/** JSON with sorted keys: replicas agree on content, not on the order keys were inserted. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

async function runScenario(steps: Step[]) {
  const clients = Array.from({ length: CLIENTS }, (_, i) =>
    connectDoc(servers[i % 2]?.url ?? '', 'aiea', token),
  );
  try {
    await Promise.all(clients.map((c) => c.synced));
    for (const step of steps) {
      const client = clients[step.client];
      if (!client) continue;
      const products = client.doc.getMap<Y.Map<string>>(PRODUCTS_MAP);
      if (step.kind === 'edit') products.get(step.sku)?.set(step.field, step.value);
      if (step.kind === 'add') {
        const entry = new Y.Map<string>();
        entry.set('name', step.value);
        products.set(step.sku, entry);
      }
      if (step.kind === 'drop') client.provider.disconnect();
      if (step.kind === 'back') client.provider.connect();
    }
    for (const client of clients) client.provider.connect();
    const snapshot = (doc: Y.Doc) => canonical(doc.getMap(PRODUCTS_MAP).toJSON());
    await waitUntil(
      async () => new Set(clients.map((c) => snapshot(c.doc))).size,
      (distinct) => distinct === 1,
      10_000,
    );
    for (const s of servers) await s.sync.documentOf('aiea')?.flushed();
    const stored = new Y.Doc();
    for (const update of await loadDocUpdates(redis.client(), 'aiea')) Y.applyUpdate(stored, update);
    const expected = snapshot(clients[0]?.doc ?? new Y.Doc());
    const inRedis = await waitUntil(
      async () => {
        for (const update of await loadDocUpdates(redis.client(), 'aiea')) Y.applyUpdate(stored, update);
        return snapshot(stored);
      },
      (json) => json === expected,
      5000,
    ).catch(() => snapshot(stored));
    expect(JSON.parse(inRedis)).toEqual(JSON.parse(expected));
  } finally {
    for (const client of clients) client.close();
  }
}

describe('convergence of store documents', () => {
  it('ends with identical documents on every tablet and in Redis, whatever the order of edits and drops', async () => {
    const seed = Number(process.env.SYNC_SEED ?? Date.now() % 2 ** 31);
    console.log(`convergence seed: ${seed} (rerun with SYNC_SEED=${seed})`);
    await fc.assert(fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 30 }), runScenario), {
      seed,
      numRuns: Number(process.env.SYNC_RUNS ?? 12),
    });
  }, 120_000);
});

// Seeds that ever failed, pinned (the first runs of each seed's generated scenarios).
describe('regressions found by the convergence test', () => {
  it('seed 57587989: replicas that inserted keys in different orders still count as converged', async () => {
    await fc.assert(fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 30 }), runScenario), {
      seed: 57587989,
      numRuns: 3,
    });
  }, 60_000);
});
