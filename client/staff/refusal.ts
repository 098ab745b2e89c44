import type { ErrorCode } from '../../shared/errors.ts';

/** A refusal as the server sent it: code, message and the numbers it gave. */
export interface Refusal {
  code: ErrorCode | 'NETWORK';
  message: string;
  details?: Record<string, unknown>;
}

const num = (details: Record<string, unknown> | undefined, key: string) =>
  typeof details?.[key] === 'number' ? (details[key] as number) : undefined;

/**
 * What to tell staff about a refusal, fitted to its cause (issue 8.2): asking for more than
 * the store had is not "someone else took the units".
 */
export function explainRefusal(refusal: Refusal, seenAvailable?: number): { text: string; advice: string } {
  const available = num(refusal.details, 'available');
  const requested = num(refusal.details, 'requested');
  switch (refusal.code) {
    case 'SOLD_OUT': {
      if (available === undefined || requested === undefined)
        return {
          text: refusal.message,
          advice: 'Check the numbers on the product, then try a smaller amount.',
        };
      const units = available === 1 ? 'unit is' : 'units are';
      const text = `Not done: only ${available} ${units} available, and this asked for ${requested}.`;
      const takenSince = seenAvailable !== undefined && seenAvailable >= requested;
      return {
        text,
        advice: takenSince
          ? 'Other sales or holds took units since this tablet last showed the numbers. Check the shelf, or tell the customer.'
          : `Check the amount typed: at most ${available} can be sold now.`,
      };
    }
    case 'HOLD_EXPIRED':
      return {
        text: refusal.message,
        advice: 'The customer’s hold ran out before it was confirmed. Ask them to reserve again.',
      };
    case 'INVALID_TRANSITION':
      return {
        text: refusal.message,
        advice: 'Another tablet or the customer changed this first. Check the pickup queue.',
      };
    case 'SLOT_NOT_STARTED':
      return {
        text: refusal.message,
        advice: 'The customer may still come. Mark the no-show again once the appointment has started.',
      };
    case 'UNDO_WINDOW_PASSED':
      return {
        text: refusal.message,
        advice: 'The mark stays as it was. If it is wrong, tell an admin so the booking can be put right.',
      };
    case 'LEASE_EXCEEDED':
      return {
        text: refusal.message,
        advice:
          'This tablet sold more than it was allowed offline. Count the product so the numbers are right.',
      };
    case 'PRODUCT_NOT_FOUND':
      return { text: refusal.message, advice: 'The product was removed from this store. Ask an admin.' };
    case 'DEVICE_REVOKED':
    case 'UNAUTHENTICATED':
      return { text: refusal.message, advice: 'Enroll the tablet again with a new code from an admin.' };
    default:
      return { text: refusal.message, advice: 'Try again, or dismiss it if it no longer matters.' };
  }
}
