import { describe, expect, it } from 'vitest';
import { multipartBodies } from './multipart.ts';

describe('multipartBodies', () => {
  it("gives each part's body in order, without its headers or the CRLF before the next delimiter", () => {
    const body =
      '--B\r\nContent-Type: application/json\r\n\r\n{"seq":2}\r\n' +
      '--B\r\nContent-Type: application/json\r\n\r\n{"seq":3}\r\n--B--\r\n';
    expect(multipartBodies(body, 'B')).toEqual(['{"seq":2}', '{"seq":3}']);
  });

  it('takes a part without headers, and a body that holds CRLFs', () => {
    expect(multipartBodies('--B\r\n\r\na\r\nb\r\n--B--', 'B')).toEqual(['a\r\nb']);
  });

  it('refuses a truncated answer (no closing delimiter) and a part without its blank line', () => {
    expect(() => multipartBodies('--B\r\n\r\n{"seq":2}\r\n--B\r\n\r\n{"se', 'B')).toThrow(
      /without its closing --B--/,
    );
    expect(() => multipartBodies('--B\r\nContent-Type: x\r\n--B--', 'B')).toThrow(/blank line/);
  });
});
