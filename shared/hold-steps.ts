import type { HoldStatus } from './api/holds.ts';
import { decideStep, type StepDecision, type StepRules } from './step-machine.ts';

/**
 * The life of a pickup hold (DESIGN "Pickup hold"), once for hold-step.lua, the server, the
 * tablets and the tests. held -> confirmed (by the customer) -> picked -> fulfilled (handed
 * over); held, confirmed or picked -> cancelled; held -> expired (time ran out, by the sweep).
 * `ack` (a tablet received it) and `accept` (staff took it on) are marks, not statuses.
 */
export const HOLD_STEPS = ['confirm', 'cancel', 'ack', 'accept', 'pick', 'hand_over'] as const;
export type HoldStep = (typeof HOLD_STEPS)[number];

export const HOLD_MARKS = ['acknowledged', 'accepted'] as const;
export type HoldMark = (typeof HOLD_MARKS)[number];

const OPEN: readonly HoldStatus[] = ['held', 'confirmed', 'picked'];

export const HOLD_STEP_RULES = {
  confirm: { from: ['held'], to: 'confirmed', doneIn: ['confirmed'] },
  // The first tablet to receive the hold records it, whatever its status; later acks change nothing.
  ack: { from: 'any', doneWhen: 'acknowledged', marks: ['acknowledged'] },
  accept: { from: OPEN, doneWhen: 'accepted', marks: ['accepted', 'acknowledged'] },
  pick: { from: ['confirmed'], to: 'picked' },
  hand_over: { from: ['confirmed', 'picked'], to: 'fulfilled' },
  cancel: { from: OPEN, to: 'cancelled' },
} as const satisfies StepRules<HoldStatus, HoldStep, HoldMark>;

/** Steps after which the hold's units no longer count as held. */
export const HOLD_RELEASING_STEPS: readonly HoldStep[] = ['hand_over', 'cancel'];

/** The steps staff take from a tablet, and the URL segment of each: `/api/staff/:store/holds/:id/<segment>`. */
export const STAFF_HOLD_STEP_PATHS = {
  ack: 'ack',
  accept: 'accept',
  pick: 'pick',
  hand_over: 'hand-over',
  cancel: 'cancel',
} as const satisfies Partial<Record<HoldStep, string>>;
export type StaffHoldStep = keyof typeof STAFF_HOLD_STEP_PATHS;

/** The hold facts a step depends on. */
export interface HoldFacts {
  status: HoldStatus;
  acknowledged: boolean;
  accepted: boolean;
}

function marksOf(hold: HoldFacts): Set<HoldMark> {
  const marks = new Set<HoldMark>();
  if (hold.acknowledged) marks.add('acknowledged');
  if (hold.accepted) marks.add('accepted');
  return marks;
}

export type HoldDecision = StepDecision<HoldStatus, HoldMark>;

/** What `step` does to a hold; a refusal of an expired hold reads HOLD_EXPIRED, else INVALID_TRANSITION. */
export function decideHoldStep(hold: HoldFacts, step: HoldStep): HoldDecision {
  return decideStep(HOLD_STEP_RULES, { status: hold.status, marks: marksOf(hold) }, step);
}

/** The error code a refused step answers with. */
export function holdRefusalCode(status: HoldStatus): 'HOLD_EXPIRED' | 'INVALID_TRANSITION' {
  return status === 'expired' ? 'HOLD_EXPIRED' : 'INVALID_TRANSITION';
}

/** Whether staff or the customer may take `step` now: what a screen offers as a button. */
export function canTakeHoldStep(hold: HoldFacts, step: HoldStep): boolean {
  return decideHoldStep(hold, step).kind === 'moved';
}

/** Whether the hold still holds units (counts in `held`) or waits for pickup. */
export function isHoldOpen(status: HoldStatus): boolean {
  return OPEN.includes(status);
}
