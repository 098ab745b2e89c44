import fc from 'fast-check';

/**
 * The commands of the model test (model.property.test.ts) and the arbitraries that draw them:
 * every stock, hold and lease command, and the tablets' part of issue 15 §1 (offline sales,
 * revocations, late reports, settlements).
 */

export type Command =
  | { type: 'receive'; n: number }
  | { type: 'count'; counted: number; staleBy: number }
  | { type: 'sell' | 'write-off'; n: number }
  | { type: 'hold'; quantity: number }
  | { type: 'step'; pick: number; step: 'confirm' | 'cancel' | 'pick' | 'hand_over' }
  | { type: 'staff-cancel'; pick: number }
  | { type: 'expire-hold'; pick: number }
  | { type: 'lease'; device: 0 | 1; n: number }
  | { type: 'report'; device: 0 | 1; sales: number[]; reuse: boolean; returnQuantity: number }
  | { type: 'expire-lease'; device: 0 | 1 }
  | { type: 'sell-offline'; device: 0 | 1; n: number }
  | { type: 'deliver'; device: 0 | 1 }
  | { type: 'revoke'; device: 0 | 1 }
  | { type: 'settle'; device: 0 | 1; decision: 'write_off' | 'return' }
  | { type: 'replay'; pick: number };

const device = fc.constantFrom(0 as const, 1 as const);
const pick = fc.nat(50);
export const commandArb: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ type: fc.constant('receive' as const), n: fc.integer({ min: 1, max: 5 }) }),
  fc.record({
    type: fc.constant('count' as const),
    counted: fc.nat(15),
    staleBy: fc.integer({ min: -2, max: 2 }),
  }),
  fc.record({
    type: fc.constantFrom('sell' as const, 'write-off' as const),
    n: fc.integer({ min: 1, max: 4 }),
  }),
  fc.record({ type: fc.constant('hold' as const), quantity: fc.integer({ min: 1, max: 4 }) }),
  fc.record({
    type: fc.constant('step' as const),
    pick,
    step: fc.constantFrom('confirm' as const, 'cancel' as const, 'pick' as const, 'hand_over' as const),
  }),
  fc.record({ type: fc.constant('staff-cancel' as const), pick }),
  fc.record({ type: fc.constant('expire-hold' as const), pick }),
  fc.record({ type: fc.constant('lease' as const), device, n: fc.integer({ min: 1, max: 4 }) }),
  fc.record({
    type: fc.constant('report' as const),
    device,
    sales: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 3 }),
    reuse: fc.boolean(),
    returnQuantity: fc.nat(3),
  }),
  fc.record({ type: fc.constant('expire-lease' as const), device }),
  fc.record({ type: fc.constant('sell-offline' as const), device, n: fc.integer({ min: 1, max: 2 }) }),
  fc.record({ type: fc.constant('deliver' as const), device }),
  fc.record({ type: fc.constant('revoke' as const), device }),
  fc.record({
    type: fc.constant('settle' as const),
    device,
    decision: fc.constantFrom('write_off' as const, 'return' as const),
  }),
  fc.record({ type: fc.constant('replay' as const), pick }),
);

/**
 * The tablets' commands more often, in longer runs (issue 15 §1): a revocation meets an
 * offline sale, a late report and a settlement in most runs, not one in a hundred.
 */
export const tabletCommandArb: fc.Arbitrary<Command> = fc.oneof(
  {
    arbitrary: fc.record({ type: fc.constant('lease' as const), device, n: fc.integer({ min: 1, max: 4 }) }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      type: fc.constant('sell-offline' as const),
      device,
      n: fc.integer({ min: 1, max: 2 }),
    }),
    weight: 4,
  },
  { arbitrary: fc.record({ type: fc.constant('deliver' as const), device }), weight: 2 },
  { arbitrary: fc.record({ type: fc.constant('revoke' as const), device }), weight: 2 },
  {
    arbitrary: fc.record({
      type: fc.constant('settle' as const),
      device,
      decision: fc.constantFrom('write_off' as const, 'return' as const),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ type: fc.constant('expire-lease' as const), device }), weight: 1 },
  {
    arbitrary: fc.record({ type: fc.constant('hold' as const), quantity: fc.integer({ min: 1, max: 4 }) }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      type: fc.constant('report' as const),
      device,
      sales: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
      reuse: fc.boolean(),
      returnQuantity: fc.nat(3),
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ type: fc.constant('replay' as const), pick }), weight: 1 },
);
