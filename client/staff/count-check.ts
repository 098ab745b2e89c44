/**
 * What staff are told about a count (issue 15 §3), pure: how it compares with what the
 * tablet expected, whether a reason is needed, and whether the drop is large enough to ask.
 */

/** Reasons a count may differ from what was expected; "Other" asks for words. */
export const COUNT_REASONS = [
  'Damaged',
  'Theft or loss',
  'Miscounted before',
  'Found or returned',
  'Other',
] as const;
export type CountReason = (typeof COUNT_REASONS)[number];

/**
 * A drop of this many units, or of this share of what was expected (and at least two units:
 * one unit less is a plain count), is confirmed first.
 */
export const LARGE_DROP_UNITS = 5;
export const LARGE_DROP_SHARE = 0.2;
const SMALLEST_LARGE_DROP = 2;

/** "2 fewer than expected (12)", "3 more than expected (12)" or "as expected (12)". */
export function countDifferenceText(expected: number, counted: number): string {
  const diff = counted - expected;
  if (diff === 0) return `as expected (${expected})`;
  return `${Math.abs(diff)} ${diff < 0 ? 'fewer' : 'more'} than expected (${expected})`;
}

/** Whether a count lowers stock by enough that a slip of the finger must be ruled out. */
export function isLargeDrop(expected: number, counted: number): boolean {
  const drop = expected - counted;
  return drop >= SMALLEST_LARGE_DROP && (drop >= LARGE_DROP_UNITS || drop >= expected * LARGE_DROP_SHARE);
}

/** The reason sent with a count (the audit keeps it), or undefined when one is still missing. */
export function countReasonText(reason: CountReason | undefined, other: string): string | undefined {
  if (!reason) return undefined;
  if (reason !== 'Other') return reason;
  const words = other.trim();
  return words ? `Other: ${words}` : undefined;
}
