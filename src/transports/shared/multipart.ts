/**
 * The bodies of a `multipart/mixed` body's parts (RFC 2046 §5.1.1), in order: each part is
 * `--boundary`, its headers, a blank line and its body; `--boundary--` ends them. Throws on a body
 * that does not end so (a truncated answer).
 */
export function multipartBodies(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const pieces = body.split(delimiter);
  // Before the first delimiter: the preamble; after the last: `--` and the epilogue.
  const last = pieces.pop();
  if (pieces.length === 0 || last === undefined || !last.startsWith('--'))
    throw new Error(`a multipart answer without its closing --${boundary}--`);
  return pieces.slice(1).map((part) => {
    const start = part.indexOf('\r\n\r\n');
    if (start < 0) throw new Error('a multipart part without the blank line after its headers');
    // The CRLF before the next delimiter belongs to the delimiter, not to the body.
    const end = part.endsWith('\r\n') ? part.length - 2 : part.length;
    return part.slice(start + 4, end);
  });
}
