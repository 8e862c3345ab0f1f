/**
 * Published figures the report sets beside feedbench's measurements (docs/claims.md, published
 * figures).
 */
export const ANCHORS = {
  lubbers: {
    source: 'Lubbers & Greco, "HTML5 Web Sockets: A Quantum Leap in Scalability for the Web", websocket.org, 2010',
    headerBytesPerPoll: 871,
    wsFrameBytes: 2,
    clients: [1_000, 10_000, 100_000],
    pollingMbps: [6.6, 66, 665],
    wsMbps: [0.015, 0.153, 1.526],
    latency: '150 ms polling vs 50 ms WebSocket at 50 ms one-way (3:1)',
  },
  rfc6455: {
    source: 'RFC 6455 §5.2',
    text: 'frame header 2 / 4 / 10 bytes server to client (payload up to 125 B / 64 KiB / more); 6 / 8 / 14 client to server (4-byte mask)',
  },
  rfc6202: {
    source: 'RFC 6202 (2011)',
    text: 'long polling: average latency close to one network transit, maximum over three; polling works well on persistent (keep-alive) connections',
  },
  vanDeVyvere: {
    source: 'Van de Vyvere et al. 2020, "Comparing a polling and push-based approach for live Open Data interfaces"',
    text: '5.2 kB JSON every 5 s, single-threaded Node: polling served about 2k clients (8k with an nginx cache), SSE 25k; polling only wins when the acceptable latency is about 10 s or more; rule: requests/s needed >= users / acceptable latency',
  },
  centrifugo: { source: 'Centrifugo benchmark', text: '1M WebSocket connections, about 500k msgs/s delivered, p99 200 ms, about 30 KB per connection' },
  hashrocket: { source: 'Hashrocket websocket-shootout', text: 'capacity = most clients while p95 broadcast round trip stays under 250 ms; uWebSockets 10k clients p95 152 ms' },
  wsAtScale: { source: 'Node ws at scale (public reports)', text: 'about 3.5 KB per idle connection (250k connections in 870 MB)' },
  devMachine: {
    source: 'feedbench, measured on a 2-core development machine (loopback, Node 20)',
    text: 'raw TCP round trip about 60 µs, WebSocket round trip about 63 µs, HTTP keep-alive request about 87 µs, HTTP request on a new connection about 340 µs, WebSocket handshake about 310 µs (p50)',
  },
} as const;
