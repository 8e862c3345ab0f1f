import { describe, expect, it } from 'vitest';
import { chatMessageData, readChatStamp } from './chat-stamp.ts';

describe('chat stamp', () => {
  const stamp = { sentUs: 123_456_789_012, sender: 42 };

  it('pads a message to its size and reads the stamp back from the data string', () => {
    const data = chatMessageData(stamp, 128);
    expect(data).toHaveLength(128);
    expect(readChatStamp(data)).toEqual(stamp);
  });

  it('reads the stamp from a whole update as a WebSocket frame or SSE event carries it', () => {
    const update = JSON.stringify({ seq: 7, ts: 99, data: chatMessageData(stamp, 64) });
    expect(readChatStamp(update)).toEqual(stamp);
    expect(readChatStamp(Buffer.from(update))).toEqual(stamp);
  });

  it('never makes a message shorter than its stamp', () => {
    expect(readChatStamp(chatMessageData(stamp, 4))).toEqual(stamp);
  });

  it('finds no stamp in an ordinary update or a damaged one', () => {
    expect(readChatStamp(JSON.stringify({ seq: 1, ts: 2, data: 'abc' }))).toBeUndefined();
    expect(readChatStamp('chat:12x:3:')).toBeUndefined();
    expect(readChatStamp(Buffer.from('{"data":"chat:12:'))).toBeUndefined();
  });
});
