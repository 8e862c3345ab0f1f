import { makePayload } from '../feed/payload.ts';

/**
 * Chat messages carry their sender's send time in the payload, so that every receiver can time
 * send-to-receive without knowing which seq the server gave the message: `chat:<sendUs>:<sender>:`
 * then padding to the message size. The send time is on the driver's clock, so receivers compare
 * it with their own clock (the same process), whatever server or host relays the message.
 */
const PREFIX = 'chat:';
const MARKER_TEXT = `"data":"${PREFIX}`;
const MARKER = Buffer.from(MARKER_TEXT);

/** The sender's stamp read back from a received message. */
export interface ChatStamp {
  /** Scheduled send time, µs on the sender's monotonic clock. */
  readonly sentUs: number;
  /** Index of the sending client in its driver. */
  readonly sender: number;
}

/**
 * A chat message's data: the stamp, padded with payload text to `bytes` (never shorter than the
 * stamp).
 */
export function chatMessageData(stamp: ChatStamp, bytes: number): string {
  const head = `${PREFIX}${Math.round(stamp.sentUs)}:${stamp.sender}:`;
  return head + makePayload(Math.max(0, bytes - head.length), stamp.sentUs);
}

function digits(text: string, at: number): [number, number] | undefined {
  let value = 0;
  let i = at;
  while (i < text.length && i - at < 16) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    value = value * 10 + (c - 48);
    i++;
  }
  return i > at ? [value, i] : undefined;
}

/**
 * The stamp of a chat message from what a client received: the update's data string, or the
 * whole update JSON (a WebSocket frame, an SSE event's data) where it follows `"data":"`.
 * Undefined when there is none (an ordinary feed update).
 */
export function readChatStamp(received: string | Buffer): ChatStamp | undefined {
  let text: string;
  if (typeof received === 'string') {
    // The data string itself, or the update's JSON with the data after its key (no copy of it).
    let start: number;
    if (received.startsWith(PREFIX)) start = PREFIX.length;
    else {
      const at = received.indexOf(MARKER_TEXT);
      if (at < 0) return undefined;
      start = at + MARKER_TEXT.length;
    }
    text = received.slice(start, start + 40);
  } else {
    const found = received.indexOf(MARKER);
    if (found < 0) return undefined;
    // The stamp is ASCII and short: decode only its neighbourhood.
    text = received.toString('latin1', found + MARKER.length, found + MARKER.length + 40);
  }
  const sent = digits(text, 0);
  if (!sent || text[sent[1]] !== ':') return undefined;
  const sender = digits(text, sent[1] + 1);
  if (!sender || text[sender[1]] !== ':') return undefined;
  return { sentUs: sent[0], sender: sender[0] };
}
