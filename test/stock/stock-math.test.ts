import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../server/config.ts';
import { createDeps, type Deps } from '../../server/deps.ts';
import { createHold } from '../../server/stock/holds.ts';
import { storeKeys } from '../../server/stock/keys.ts';
import { changeStock } from '../../server/stock/stock.ts';
import { availableOf, shortfallOf } from '../../shared/stock-math.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { newKey } from '../helpers/server.ts';
import { writeStockRecord } from '../helpers/stock-record.ts';

/**
 * The capacity math inside the scripts (prelude.lua's available_of and record_shortfall)
 * against shared/stock-math.ts, over every small combination of on-hand, held and leased,
 * including promises beyond the shelf.
 */

const STORE = 'aiea';
const k = storeKeys(STORE);
let redis: TestRedis;
let deps: Deps;

beforeAll(async () => {
  redis = await startTestRedis();
  deps = createDeps(redis.client(), testConfig({ adminToken: 'unused-admin-token-0123' }));
  await deps.redis.hset(k.meta, 'id', STORE);
});
afterAll(async () => {
  await deps?.hub.close();
  await redis?.stop();
});

const ctx = () => ({
  idempotencyKey: newKey('math'),
  payloadHash: 'h',
  actor: { role: 'admin' as const },
});

const grid = [0, 1, 2, 3, 5].flatMap((onHand) =>
  [0, 1, 3].flatMap((held) => [0, 2, 4].map((leased) => ({ onHand, held, leased }))),
);

describe('the scripts count like shared/stock-math.ts', () => {
  it.each(grid)('onHand $onHand, held $held, leased $leased', async (counts) => {
    const sku = `S${counts.onHand}${counts.held}${counts.leased}`;
    await deps.redis.hset(k.catalog, sku, JSON.stringify({ name: sku, category: 'x', priceLabel: '$1' }));
    await writeStockRecord(deps.redis, k, sku, counts);

    // A count that finds what the tablet saw changes nothing and reports the shortfall.
    const counted = await changeStock(
      deps,
      STORE,
      sku,
      { kind: 'count', counted: counts.onHand, lastSeen: counts.onHand },
      ctx(),
    );
    expect(counted).toMatchObject({ ok: true, body: { delta: 0, shortfall: shortfallOf(counts) } });
    expect(Number((await deps.redis.hget(k.shortfalls, sku)) ?? 0)).toBe(shortfallOf(counts));

    // A hold for more than exists is refused with what the script found available.
    const refused = await createHold(
      deps,
      { storeId: STORE, sku, quantity: 20, customer: { name: 'Ana', email: 'ana@example.com' } },
      ctx(),
    );
    expect(refused).toMatchObject({
      ok: false,
      code: 'SOLD_OUT',
      details: { available: availableOf(counts) },
    });

    // And exactly the available units can be held (none when nothing is available).
    const available = availableOf(counts);
    if (available > 0) {
      const held = await createHold(
        deps,
        { storeId: STORE, sku, quantity: available, customer: { name: 'Ana', email: 'ana@example.com' } },
        ctx(),
      );
      expect(held.ok).toBe(true);
    }
  });
});
