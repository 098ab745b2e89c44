import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testConfig } from '../../server/config.ts';
import { createDeps, type Deps } from '../../server/deps.ts';
import { stepHold } from '../../server/stock/holds.ts';
import { storeKeys } from '../../server/stock/keys.ts';
import { HOLD_STATUSES, type HoldStatus } from '../../shared/api/holds.ts';
import {
  decideHoldStep,
  HOLD_STEPS,
  type HoldFacts,
  type HoldStep,
  holdRefusalCode,
  isHoldOpen,
  STAFF_HOLD_STEP_PATHS,
} from '../../shared/hold-steps.ts';
import { availableOf } from '../../shared/stock-math.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { newKey } from '../helpers/server.ts';
import { readStockRecord, writeStockRecord } from '../helpers/stock-record.ts';

/**
 * hold-step.lua against the shared state machine (shared/hold-steps.ts): every step from every
 * status, with and without the acknowledged/accepted marks, through the real script on a real
 * Redis. What the script did (status, marks, refusal code, held and on-hand) must be what
 * decideHoldStep says.
 */

const STORE = 'aiea';
const SKU = 'KIT';
const QTY = 2;
const ON_HAND = 10;
const k = storeKeys(STORE);

let redis: TestRedis;
let deps: Deps;

beforeAll(async () => {
  redis = await startTestRedis();
  deps = createDeps(redis.client(), testConfig({ adminToken: 'unused-admin-token-0123' }));
});
afterAll(async () => {
  await deps?.hub.close();
  await redis?.stop();
});
beforeEach(async () => {
  await redis.flush();
});

const MARK_SETS: { acknowledged: boolean; accepted: boolean }[] = [
  { acknowledged: false, accepted: false },
  { acknowledged: true, accepted: false },
  { acknowledged: true, accepted: true },
];

/** Writes a hold in the given state straight into Redis, with the counters that state implies. */
async function seedHold(facts: HoldFacts): Promise<string> {
  const holdId = `${STORE}.${newKey('h').replaceAll(/[^A-Za-z0-9]/g, '')}`;
  const now = Date.now();
  const fields: Record<string, string | number> = {
    id: holdId,
    sku: SKU,
    quantity: QTY,
    status: facts.status,
    createdAt: now,
    // An hour away: the script's own sweep must not expire it.
    expiresAt: now + 3_600_000,
    tokenHash: 'not-used',
    customer: JSON.stringify({ name: 'Ana' }),
  };
  if (facts.acknowledged) Object.assign(fields, { acknowledgedAt: now, acknowledgedBy: 'dev-0' });
  if (facts.accepted) Object.assign(fields, { acceptedAt: now, acceptedBy: 'dev-0' });
  const direct = deps.redis;
  await direct.hset(k.meta, 'id', STORE);
  await direct.hset(k.catalog, SKU, JSON.stringify({ name: 'Kit', category: 'x', priceLabel: '$1' }));
  await writeStockRecord(direct, k, SKU, { onHand: ON_HAND, held: isHoldOpen(facts.status) ? QTY : 0 });
  await direct.hset(k.hold(holdId), fields);
  if (facts.status === 'held') await direct.zadd(k.holdExpiry, now + 3_600_000, holdId);
  if (isHoldOpen(facts.status)) await direct.zadd(k.holdsOpen, now, holdId);
  return holdId;
}

async function countsOf() {
  const { onHand, held, leased } = await readStockRecord(deps.redis, k, SKU);
  return { onHand, held, leased };
}

const cases = HOLD_STATUSES.flatMap((status: HoldStatus) =>
  MARK_SETS.flatMap((marks) =>
    HOLD_STEPS.map((step: HoldStep) => ({
      status,
      step,
      ...marks,
      label: `${step} from ${status}${marks.accepted ? ' (accepted)' : marks.acknowledged ? ' (acknowledged)' : ''}`,
    })),
  ),
);

describe('hold-step.lua follows shared/hold-steps.ts', () => {
  it.each(cases)('$label', async ({ status, step, acknowledged, accepted }) => {
    const facts: HoldFacts = { status, acknowledged, accepted };
    const holdId = await seedHold(facts);
    const before = await deps.redis.hgetall(k.hold(holdId));
    const countsBefore = await countsOf();
    const ctx = {
      idempotencyKey: newKey('step'),
      payloadHash: 'h',
      actor: { role: 'staff' as const, deviceId: 'dev-1', storeId: STORE },
    };
    const outcome = await stepHold(deps, STORE, holdId, step, { deviceId: 'dev-1' }, ctx);
    const after = await deps.redis.hgetall(k.hold(holdId));
    const counts = await countsOf();
    const decision = decideHoldStep(facts, step);

    if (decision.kind === 'refused') {
      expect(outcome).toMatchObject({ ok: false, code: holdRefusalCode(status) });
      expect(after).toEqual(before);
      expect(counts).toEqual(countsBefore);
      return;
    }
    expect(outcome.ok).toBe(true);
    if (decision.kind === 'unchanged') {
      expect(after).toEqual(before);
      expect(counts).toEqual(countsBefore);
      return;
    }
    expect(after.status).toBe(decision.status);
    for (const mark of decision.marks) expect(after[`${mark}At`], mark).toBeDefined();
    expect(Boolean(after.acknowledgedAt)).toBe(acknowledged || decision.marks.includes('acknowledged'));
    expect(Boolean(after.acceptedAt)).toBe(accepted || decision.marks.includes('accepted'));
    // Units leave `held` exactly when the hold stops being open; a hand-over also takes them off the shelf.
    const released = isHoldOpen(status) && !isHoldOpen(decision.status);
    const handedOver = decision.status === 'fulfilled' && status !== 'fulfilled';
    expect(counts.held).toBe(countsBefore.held - (released ? QTY : 0));
    expect(counts.onHand).toBe(countsBefore.onHand - (handedOver ? QTY : 0));
    expect((await deps.redis.zscore(k.holdsOpen, holdId)) !== null).toBe(isHoldOpen(decision.status));
    expect((await deps.redis.zscore(k.holdExpiry, holdId)) !== null).toBe(decision.status === 'held');
    expect(availableOf(counts)).toBe(availableOf(countsBefore) + (released && !handedOver ? QTY : 0));
  });

  it('covers every status and step', () => {
    expect(cases).toHaveLength(HOLD_STATUSES.length * MARK_SETS.length * HOLD_STEPS.length);
  });
});

describe('shared/hold-steps.ts says what DESIGN says', () => {
  // Written out by hand from DESIGN "Pickup hold", so a change to the shared rules is a choice.
  const MOVES: Record<HoldStep, Partial<Record<HoldStatus, HoldStatus>>> = {
    confirm: { held: 'confirmed' },
    pick: { confirmed: 'picked' },
    hand_over: { confirmed: 'fulfilled', picked: 'fulfilled' },
    cancel: { held: 'cancelled', confirmed: 'cancelled', picked: 'cancelled' },
    accept: { held: 'held', confirmed: 'confirmed', picked: 'picked' },
    ack: {
      held: 'held',
      confirmed: 'confirmed',
      picked: 'picked',
      fulfilled: 'fulfilled',
      cancelled: 'cancelled',
      expired: 'expired',
    },
  };

  it.each(HOLD_STEPS)('%s moves exactly from the statuses DESIGN allows', (step) => {
    for (const status of HOLD_STATUSES) {
      const decision = decideHoldStep({ status, acknowledged: false, accepted: false }, step);
      const expected = MOVES[step][status];
      if (expected) expect(decision).toMatchObject({ kind: 'moved', status: expected });
      else if (step === 'confirm' && status === 'confirmed') expect(decision.kind).toBe('unchanged');
      else expect(decision.kind).toBe('refused');
    }
  });

  it('refuses a step on an expired hold as HOLD_EXPIRED and others as INVALID_TRANSITION', () => {
    expect(holdRefusalCode('expired')).toBe('HOLD_EXPIRED');
    expect(holdRefusalCode('fulfilled')).toBe('INVALID_TRANSITION');
  });

  it('gives each staff step its URL segment, and the customer-only step none', () => {
    expect(STAFF_HOLD_STEP_PATHS.hand_over).toBe('hand-over');
    expect('confirm' in STAFF_HOLD_STEP_PATHS).toBe(false);
  });
});

describe('a step when another hold fell due', () => {
  it('releases the due hold first, given its key on a second run', async () => {
    const stepped = await seedHold({ status: 'held', acknowledged: false, accepted: false });
    const due = await seedHold({ status: 'held', acknowledged: false, accepted: false });
    // The second hold's deadline passed: only the expiry set says so, as after real time.
    await deps.redis.zadd(k.holdExpiry, Date.now() - 1, due);
    await writeStockRecord(deps.redis, k, SKU, { held: 2 * QTY });
    const ctx = { idempotencyKey: newKey('step'), payloadHash: 'h', actor: { role: 'admin' as const } };
    const outcome = await stepHold(deps, STORE, stepped, 'confirm', { deviceId: 'dev-1' }, ctx);
    expect(outcome).toMatchObject({ ok: true, body: { status: 'confirmed' } });
    expect(await deps.redis.hget(k.hold(due), 'status')).toBe('expired');
    expect(await countsOf()).toMatchObject({ held: QTY });
    expect(await deps.redis.zscore(k.holdExpiry, due)).toBeNull();
  });
});
