/**
 * Time-sortable ids (ULID layout: 48-bit millisecond time + 80 random bits, Crockford
 * base32), so ids made on a tablet offline still sort by when the person acted.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newUlid(nowMs: number = Date.now()): string {
  let time = '';
  let t = nowMs;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let random = '';
  for (const byte of bytes) random += ALPHABET[byte % 32];
  return time + random;
}

/** A random secret of `bytes` bytes, hex encoded (manage tokens, device secrets). */
export function newSecret(bytes = 24): string {
  const buf = new Uint8Array(bytes);
  globalThis.crypto.getRandomValues(buf);
  return Array.from(buf, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Store, event and device ids: lowercase slugs, safe in keys, URLs and as id prefixes. */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/**
 * A hold id is `<storeId>.<ulid>`, a booking id `<eventId>.<ulid>` and a slot id
 * `<eventId>.<storeId>.<yyyymmddhhmm>`: the part before the first dot names the Redis hash
 * tag the record lives under, so the server finds it without a global index.
 */
export function ownerOfId(id: string): string | undefined {
  const dot = id.indexOf('.');
  if (dot <= 0) return undefined;
  const owner = id.slice(0, dot);
  return SLUG_PATTERN.test(owner) ? owner : undefined;
}
