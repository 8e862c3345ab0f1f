/** One published update, as every transport carries it (see docs/protocol.md, "update"). */
export interface Update {
  /** Sequence number: starts at 1 and grows by 1 per published update. */
  readonly seq: number;
  /** Scheduled publish time, integer microseconds on the server's monotonic clock. */
  readonly ts: number;
  /** The payload string. */
  readonly data: string;
}

/**
 * An update together with its JSON encoding, made once at publish time.
 * fairness: every transport sends these exact bytes, so byte differences come from the transport.
 */
export interface EncodedUpdate extends Update {
  /** `JSON.stringify({seq, ts, data})`, the update's wire form in every transport. */
  readonly json: string;
}

/** Encodes an update once; the field order is fixed so that encodings are byte-identical. */
export function encodeUpdate(update: Update): EncodedUpdate {
  const json = `{"seq":${update.seq},"ts":${update.ts},"data":${JSON.stringify(update.data)}}`;
  return { ...update, json };
}
