/**
 * Whether a customer can book a slot now, and why not: the same order of checks as
 * server/appointments/lua/book.lua (not open yet, then started, then full), so a page can
 * show the answer before anyone presses "Book".
 */
export type SlotBookability =
  | { status: 'open'; bookable: true }
  | { status: 'not_open'; bookable: false; opensAt: number }
  | { status: 'started'; bookable: false }
  | { status: 'full'; bookable: false };

export interface SlotTimes {
  startsAt: number;
  opensAt: number;
  remaining: number;
}

export function slotBookability(slot: SlotTimes, now: number): SlotBookability {
  if (now < slot.opensAt) return { status: 'not_open', bookable: false, opensAt: slot.opensAt };
  if (now >= slot.startsAt) return { status: 'started', bookable: false };
  if (slot.remaining <= 0) return { status: 'full', bookable: false };
  return { status: 'open', bookable: true };
}
