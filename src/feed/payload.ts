const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
let pool = '';

/** Pseudo-random ASCII text of `length` characters (xorshift32: deterministic and cheap). */
function randomText(length: number): string {
  const chars = new Array<string>(length);
  let state = 2463534242;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    chars[i] = ALPHABET.charAt(state % ALPHABET.length);
  }
  return chars.join('');
}

/**
 * A payload string of exactly `bytes` UTF-8 bytes that JSON encodes without escapes, so that
 * payload size and encoded size differ only by the quotes. It is a window into a fixed random
 * text that moves with `seed`, so consecutive updates differ (identical payloads would flatter
 * WebSocket compression) and making one costs a slice, not a loop per byte.
 */
export function makePayload(bytes: number, seed: number): string {
  if (!Number.isInteger(bytes) || bytes < 0)
    throw new RangeError(`payload bytes must be a non-negative integer, got ${bytes}`);
  if (pool.length < bytes * 2 + 1024) pool = randomText(Math.max(65_536, bytes * 2 + 1024));
  const offset = (Math.abs(seed) * 7919) % (pool.length - bytes);
  return pool.slice(offset, offset + bytes);
}
