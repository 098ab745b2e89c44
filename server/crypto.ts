import { hash, timingSafeEqual } from 'node:crypto';

/** SHA-256 of `text` as hex: how secrets, tokens and request fingerprints are kept (never the text). */
export function sha256(text: string): string {
  return hash('sha256', text, 'hex');
}

/** Whether two secrets (or their hashes) are equal, in time that does not depend on where they differ. */
export function secretsMatch(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
