/** What a limit field holds once read: the number, or the message to show beside the field. */
export type ReadLimit = { ok: true; value: number } | { ok: false; message: string };

/**
 * Reads a whole number typed in a limit field, within the bounds the server's schema allows
 * (shared/api), so the person is told before anything is sent.
 */
export function readLimit(text: string, min: number, max: number): ReadLimit {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: 'Enter a number.' };
  const value = Number(trimmed);
  if (!Number.isInteger(value) || value < min || value > max)
    return { ok: false, message: `Enter a whole number from ${min} to ${max.toLocaleString()}.` };
  return { ok: true, value };
}
