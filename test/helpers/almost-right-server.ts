import { createServer, type Server, type ServerResponse } from 'node:http';

/**
 * A server that speaks the feed protocol almost right, as a first implementation from README
 * might: it holds every long poll (without a cursor, or with updates waiting), takes any cursor
 * and any body, and answers unknown paths in plain text. Only short and long polling.
 */
export function almostRightServer(): Server {
  let seq = 0;
  const updates: { seq: number; ts: number; data: string }[] = [];
  const held = new Set<() => void>();
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const since = Number(url.searchParams.get('since') ?? seq);
    const answer = () =>
      send(res, 200, { updates: updates.filter((u) => u.seq > since), last: seq });
    if (url.pathname === '/health')
      return send(res, 200, { protocol: 1, transports: ['short-poll', 'long-poll'] });
    if (url.pathname === '/clock')
      return send(res, 200, { now: Math.round(performance.now() * 1000), clock: 'monotonic' });
    if (url.pathname === '/poll') return answer();
    // Wrong: held even without since (the protocol answers that at once, as /poll).
    if (url.pathname === '/long-poll') {
      const release = () => (held.delete(release), answer());
      held.add(release);
      setTimeout(() => held.has(release) && release(), 2_000);
      return;
    }
    if (url.pathname === '/publish' && req.method === 'POST') {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        const message = JSON.parse(body) as { data: string; id: unknown };
        updates.push({ seq: ++seq, ts: Math.round(performance.now() * 1000), data: message.data });
        send(res, 200, { seq, id: message.id });
        for (const release of [...held]) release();
      });
      return;
    }
    res.writeHead(404);
    res.end('not found');
  });
}
