/**
 * Whether a slot can be booked now, and why not (issue 6): the customer page greys out what the
 * server would refuse, with the reason, instead of letting a person try and fail.
 *   open      bookable now
 *   full      no seat left
 *   started   its start time has passed (SLOT_CLOSED)
 *   not_open  its booking opens at `opensAt`, midnight store time the day before (SLOT_NOT_OPEN)
 */
export const SLOT_STATES = ['open', 'full', 'started', 'not_open'] as const;
export type SlotState = (typeof SLOT_STATES)[number];

export function slotState(
  slot: { startsAt: number; opensAt: number; remaining: number },
  now: number,
): SlotState {
  if (now >= slot.startsAt) return 'started';
  if (now < slot.opensAt) return 'not_open';
  if (slot.remaining <= 0) return 'full';
  return 'open';
}
