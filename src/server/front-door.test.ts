import { describe, expect, it } from 'vitest';
import { startsWithH2Preface } from './front-door.ts';

describe('startsWithH2Preface', () => {
  it.each([
    ['PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', true],
    ['PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00', true],
    ['PRI', true],
    ['POST /publish HTTP/1.1\r\n', false],
    ['GET /poll HTTP/1.1\r\n', false],
    ['', false],
  ])('%j: %s', (text, expected) =>
    expect(startsWithH2Preface(Buffer.from(text, 'latin1'))).toBe(expected),
  );
});

describe('frontDoor on plain TCP', () => {
  it('tells HTTP/1.1 from h2c even when the first bytes come one at a time', async () => {
    const { createFeedServer, DEFAULT_SERVER_OPTIONS } = await import('./feed-server.ts');
    const { connect } = await import('node:net');
    const server = createFeedServer(DEFAULT_SERVER_OPTIONS);
    const port = await server.listen(0, '127.0.0.1');
    const socket = connect({ host: '127.0.0.1', port, noDelay: true });
    await new Promise((r) => socket.once('connect', r));
    let answer = '';
    socket.on('data', (d: Buffer) => (answer += d.toString()));
    for (const ch of 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\n\r\n{"data":"a"}') {
      socket.write(ch);
      await new Promise((r) => setTimeout(r, 1));
    }
    await new Promise((r) => setTimeout(r, 100));
    socket.destroy();
    await server.close();
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(answer).toContain('{"data":"a"}');
  });
});
