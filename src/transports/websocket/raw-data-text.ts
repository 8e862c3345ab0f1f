import type { RawData } from 'ws';

/** A received WebSocket message as UTF-8 text, whichever of `ws`'s binary types carried it. */
export function rawDataText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
