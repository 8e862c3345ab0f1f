import { describe, expect, it } from 'vitest';
import { HttpParseError, ResponseParser } from './http1-response-parser.ts';

function collect() {
  const events: string[] = [];
  const parser = new ResponseParser({
    onHead: (status, headers) => events.push(`head ${status} ${headers.get('content-type') ?? ''}`),
    onBody: (piece) => events.push(`body ${piece.toString()}`),
    onEnd: () => events.push('end'),
  });
  return { events, parser };
}

const bodies = (events: string[]) =>
  events
    .filter((e) => e.startsWith('body '))
    .map((e) => e.slice(5))
    .join('');

describe('ResponseParser', () => {
  it('parses a Content-Length response split at every byte', () => {
    const { events, parser } = collect();
    const raw =
      'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"last":42}';
    for (const ch of raw) parser.push(Buffer.from(ch));
    expect(events[0]).toBe('head 200 application/json');
    expect(bodies(events)).toBe('{"last":42}');
    expect(events.at(-1)).toBe('end');
  });

  it('parses two keep-alive responses arriving in one read', () => {
    const { events, parser } = collect();
    parser.push(
      Buffer.from(
        'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nabHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n',
      ),
    );
    expect(events).toEqual(['head 200 ', 'body ab', 'end', 'head 404 ', 'end']);
  });

  it('removes chunked framing, with extensions and split size lines', () => {
    const { events, parser } = collect();
    const raw =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\n\r\n';
    parser.push(Buffer.from(raw.slice(0, 50)));
    parser.push(Buffer.from(raw.slice(50)));
    expect(bodies(events)).toBe('hello world');
    expect(events.at(-1)).toBe('end');
  });

  it('reads the same chunked body however the reads split it, byte by byte included', () => {
    const raw =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n' +
      '1A\r\nabcdefghijklmnopqrstuvwxyz\r\n 3 ;name=v\r\n123\r\nf\r\n' +
      'x'.repeat(15) +
      '\r\n0\r\nTrailer: t\r\n\r\n';
    const want = 'abcdefghijklmnopqrstuvwxyz123' + 'x'.repeat(15);
    for (let at = 0; at <= raw.length; at++) {
      const { events, parser } = collect();
      parser.push(Buffer.from(raw.slice(0, at)));
      parser.push(Buffer.from(raw.slice(at)));
      expect(bodies(events)).toBe(want);
      expect(events.filter((e) => e === 'end')).toHaveLength(1);
    }
    const { events, parser } = collect();
    for (const byte of Buffer.from(raw)) parser.push(Buffer.from([byte]));
    expect(bodies(events)).toBe(want);
    expect(events.at(-1)).toBe('end');
  });

  it('rejects a bad chunk size line or chunk data without its CRLF', () => {
    const head = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n';
    for (const body of ['zz\r\n', '\r\n', '5 5\r\n', '2\r\nabXY']) {
      const { parser } = collect();
      expect(() => parser.push(Buffer.from(head + body)), body).toThrow(HttpParseError);
    }
  });

  it('streams a chunked body that never ends (an event stream)', () => {
    const { events, parser } = collect();
    parser.push(
      Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nid: 1\n\r\n'),
    );
    expect(bodies(events)).toBe('id: 1\n');
    expect(events).not.toContain('end');
  });

  it('ends a close-delimited body when the connection closes', () => {
    const { events, parser } = collect();
    parser.push(Buffer.from('HTTP/1.0 200 OK\r\n\r\nabc'));
    expect(parser.close()).toBe(true);
    expect(events).toEqual(['head 200 ', 'body abc', 'end']);
  });

  it('reports a response cut short', () => {
    const { parser } = collect();
    parser.push(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'));
    expect(parser.close()).toBe(false);
  });

  it('rejects what is not HTTP', () => {
    const { parser } = collect();
    expect(() => parser.push(Buffer.from('SSH-2.0-OpenSSH\r\n\r\n'))).toThrow(HttpParseError);
  });
});
