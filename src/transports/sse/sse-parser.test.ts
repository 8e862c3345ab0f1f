import { describe, expect, it } from 'vitest';
import { SseParser, type SseEvent } from './sse-parser.ts';

function parse(chunks: string[]): { events: SseEvent[]; parser: SseParser } {
  const events: SseEvent[] = [];
  const parser = new SseParser((e) => events.push(e));
  for (const c of chunks) parser.push(c);
  return { events, parser };
}

describe('SseParser', () => {
  it('dispatches id and data on a blank line, across split chunks', () => {
    const { events, parser } = parse(['id: 7\nda', 'ta: {"seq":7}\n', '\n']);
    expect(events).toEqual([{ event: 'message', id: '7', data: '{"seq":7}' }]);
    expect(parser.lastEventId).toBe('7');
  });

  it('handles CRLF, comments, named events and multi-line data', () => {
    const { events } = parse([':\r\n\r\nevent: gap\r\ndata: a\r\ndata: b\r\n\r\n']);
    expect(events).toEqual([{ event: 'gap', id: undefined, data: 'a\nb' }]);
  });

  it('does not dispatch an event without data, but keeps its id as the last event id', () => {
    const { events, parser } = parse(['id: 3\n\n']);
    expect(events).toEqual([]);
    expect(parser.lastEventId).toBe('3');
  });

  it('takes an id only once its block is complete: a stream cut mid-event resumes before it', () => {
    const { parser } = parse(['id: 4\ndata: a\n\nid: 5\ndata: b\n']);
    expect(parser.lastEventId).toBe('4');
  });
});

describe('SseParser on field names and values at their edges', () => {
  it('joins data lines, takes a value without its one leading space, and ignores look-alike fields', () => {
    const events: SseEvent[] = [];
    const parser = new SseParser((e) => events.push(e));
    parser.push('data\ndata:x\ndata:  two spaces\ndatum: no\ndata-x: no\nevent:tick\nid:7\n\n');
    parser.push('id: a\0b\ndata: y\n\n: a comment\nevent\ndata: z\n\n');
    expect(events).toEqual([
      { event: 'tick', id: '7', data: '\nx\n two spaces' },
      { event: 'message', id: undefined, data: 'y' },
      { event: 'message', id: undefined, data: 'z' },
    ]);
    expect(parser.lastEventId).toBe('7');
  });
});
