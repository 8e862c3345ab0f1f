/** `{"seq":` and `,"ts":` as character codes: the head feedbench's server writes on every update. */
const PREFIX = [...'{"seq":'].map((c) => c.charCodeAt(0));
const TS_KEY = [...',"ts":'].map((c) => c.charCodeAt(0));
/** Digits read at most: 16 keep every value exact in a double (µs timestamps have 16). */
const MAX_DIGITS = 16;

/** The character code at `i` of a frame's bytes or of an event's text (ASCII either way). */
const codeAt = (src: Buffer | string, i: number): number =>
  typeof src === 'string' ? src.charCodeAt(i) : (src[i] ?? NaN);

/** True when `src` holds `key` at `at`. */
function holds(src: Buffer | string, key: readonly number[], at: number): boolean {
  for (let k = 0; k < key.length; k++) if (codeAt(src, at + k) !== key[k]) return false;
  return true;
}

/** End index of the 1-16 digits at `at`, or -1 when there are none. */
function digitsEnd(src: Buffer | string, at: number): number {
  let i = at;
  while (i - at < MAX_DIGITS) {
    const c = codeAt(src, i);
    if (!(c >= 48 && c <= 57)) break;
    i++;
  }
  return i > at ? i : -1;
}

/** The value of the digits from `from` to `to`. */
function digitsValue(src: Buffer | string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) value = value * 10 + codeAt(src, i) - 48;
  return value;
}

/**
 * The `seq` and `ts` of an update, read straight from a WebSocket frame's bytes or an SSE event's
 * data when it begins as feedbench's server encodes updates (`{"seq":N,"ts":M,` or `...,"ts":M}`),
 * without parsing the payload; undefined for anything else (another field order, a control
 * message), which the caller then parses as JSON. A hot path of the driver: one call per update
 * received, so it compares codes in place (no sub-buffers, strings or arrays per call).
 */
export function readUpdateHead(src: Buffer | string): { seq: number; ts: number } | undefined {
  if (!holds(src, PREFIX, 0)) return undefined;
  const seqEnd = digitsEnd(src, PREFIX.length);
  if (seqEnd < 0 || !holds(src, TS_KEY, seqEnd)) return undefined;
  const tsStart = seqEnd + TS_KEY.length;
  const tsEnd = digitsEnd(src, tsStart);
  if (tsEnd < 0) return undefined;
  const after = codeAt(src, tsEnd);
  if (after !== 44 /* , */ && after !== 125 /* } */) return undefined;
  return {
    seq: digitsValue(src, PREFIX.length, seqEnd),
    ts: digitsValue(src, tsStart, tsEnd),
  };
}
