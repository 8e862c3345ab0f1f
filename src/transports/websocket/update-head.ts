const PREFIX = Buffer.from('{"seq":');
const TS_KEY = Buffer.from(',"ts":');

/**
 * Reads a non-negative integer of up to 16 digits at `at`; returns [value, index after it] or
 * undefined.
 */
function digitsAt(buf: Buffer, at: number): [number, number] | undefined {
  let value = 0;
  let i = at;
  while (i < buf.length && i - at < 16) {
    const c = buf.readUInt8(i);
    if (c < 48 || c > 57) break;
    value = value * 10 + (c - 48);
    i++;
  }
  return i > at ? [value, i] : undefined;
}

/**
 * The `seq` and `ts` of an update frame, read straight from its bytes when it begins as
 * feedbench's server encodes updates (`{"seq":N,"ts":M,`), without building a string or parsing
 * the payload; undefined for anything else (another field order, a control message), which the
 * caller then parses as JSON. A hot path of the driver: one call per received WebSocket frame.
 */
export function readUpdateHead(buf: Buffer): { seq: number; ts: number } | undefined {
  if (
    buf.length < PREFIX.length + TS_KEY.length + 2 ||
    buf.compare(PREFIX, 0, PREFIX.length, 0, PREFIX.length) !== 0
  )
    return undefined;
  const seq = digitsAt(buf, PREFIX.length);
  if (!seq || buf.compare(TS_KEY, 0, TS_KEY.length, seq[1], seq[1] + TS_KEY.length) !== 0)
    return undefined;
  const ts = digitsAt(buf, seq[1] + TS_KEY.length);
  if (!ts || (buf[ts[1]] !== 44 /* , */ && buf[ts[1]] !== 125) /* } */) return undefined;
  return { seq: seq[0], ts: ts[0] };
}
