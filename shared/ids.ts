/**
 * Time-sortable ids (ULID layout: 48-bit millisecond time + 80 random bits, Crockford
 * base32), so ids made on a tablet offline still sort by when the person acted.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * Random bytes drawn from a pool refilled 4 KiB at a time: one getRandomValues call per
 * ~100 ids instead of one per id (it was 8% of the server's CPU on the hold path). The pool
 * is the only module state here, a cache of entropy with no meaning of its own.
 */
const POOL_BYTES = 4096;
/** Web Crypto, in browsers and Node 20 alike; typed here so that shared/ needs neither DOM nor Node types. */
const webCrypto = (globalThis as unknown as { crypto: { getRandomValues(bytes: Uint8Array): Uint8Array } })
  .crypto;
const pool = new Uint8Array(POOL_BYTES);
let poolOffset = POOL_BYTES;

function randomBytes(count: number): Uint8Array {
  if (count > POOL_BYTES) {
    const bytes = new Uint8Array(count);
    webCrypto.getRandomValues(bytes);
    return bytes;
  }
  if (poolOffset + count > POOL_BYTES) {
    webCrypto.getRandomValues(pool);
    poolOffset = 0;
  }
  const bytes = pool.slice(poolOffset, poolOffset + count);
  // Each byte is handed out once: wipe it so it can never be read again.
  pool.fill(0, poolOffset, poolOffset + count);
  poolOffset += count;
  return bytes;
}

export function newUlid(nowMs: number = Date.now()): string {
  let time = '';
  let t = nowMs;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let random = '';
  for (const byte of bytes) random += ALPHABET[byte % 32];
  return time + random;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A random secret of `bytes` bytes, hex encoded (manage tokens, device secrets). */
export function newSecret(bytes = 24): string {
  let hex = '';
  for (const byte of randomBytes(bytes)) hex += HEX[byte] ?? '';
  return hex;
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
