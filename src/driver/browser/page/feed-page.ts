/**
 * The feed client that runs inside a browser page: the platform's own EventSource, WebSocket and
 * fetch, nothing else. It records each update's receive time on the page's clock
 * (`performance.timeOrigin + performance.now()`, the system's real-time clock) and keeps what it
 * saw until the driver takes it in a batch, so no update costs a browser round trip.
 * Bundled for the page by esbuild (an IIFE); it runs in the page, not in Node.
 */

/** What the driver asks the page to do. */
interface PageClientOptions {
  readonly transport: 'short-poll' | 'long-poll' | 'sse' | 'websocket';
  readonly pollIntervalMs: number;
  readonly pollPhaseMs: number;
  readonly longPollTimeoutMs: number;
  /**
   * The feed's origin (`https://127.0.0.1:8443`): the page's own, or another when the page is of
   * another origin.
   */
  readonly feedOrigin: string;
}

/** What the page saw since the last batch. */
interface PageBatch {
  /**
   * seq, ts (µs, the server's clock), receive time (µs, the page's real-time clock), JSON bytes;
   * four numbers per update.
   */
  updates: number[];
  polls: number;
  emptyPolls: number;
  errors: string[];
}

interface PollAnswer {
  updates: { seq: number; ts: number; data: string }[];
  last: number;
  gap?: { to: number };
  more?: boolean;
}

const nowRealUs = (): number => (performance.timeOrigin + performance.now()) * 1000;
let batch: PageBatch = { updates: [], polls: 0, emptyPolls: 0, errors: [] };
let stopped = false;
let cursor = 0;
let feed = '';
const closers: (() => void)[] = [];

function received(seq: number, ts: number, bytes: number, recvUs: number): void {
  batch.updates.push(seq, ts, recvUs, bytes);
  if (seq > cursor) cursor = seq;
}

function failed(message: string): void {
  if (!stopped && batch.errors.length < 20) batch.errors.push(message);
}

/** One poll: GET path, record what came back; true when the server said there is more. */
async function poll(path: string): Promise<boolean> {
  const response = await fetch(feed + path, { cache: 'no-store' });
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
  const recvUs = nowRealUs();
  const answer = (await response.json()) as PollAnswer;
  if (answer.gap && answer.gap.to > cursor) cursor = answer.gap.to;
  for (const u of answer.updates) received(u.seq, u.ts, JSON.stringify(u).length, recvUs);
  batch.polls++;
  if (answer.updates.length === 0) batch.emptyPolls++;
  return answer.more === true;
}

async function startPolling(options: PageClientOptions): Promise<void> {
  const response = await fetch(
    feed + (options.transport === 'short-poll' ? '/poll' : '/long-poll'),
    { cache: 'no-store' },
  );
  if (response.status !== 200) throw new Error(`the first poll answered ${response.status}`);
  const first = (await response.json()) as PollAnswer;
  cursor = first.last;
  if (options.transport === 'long-poll') {
    const loop = async (): Promise<void> => {
      while (!stopped) {
        try {
          await poll(`/long-poll?since=${cursor}&timeout=${options.longPollTimeoutMs}`);
        } catch (error) {
          failed(String(error));
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    };
    void loop();
    return;
  }
  // Short polling: a poll every interval at this client's phase on the real-time clock, skipped
  // while one is in flight.
  let inFlight = false;
  const tick = async (): Promise<void> => {
    if (stopped || inFlight) return;
    inFlight = true;
    try {
      while ((await poll(`/poll?since=${cursor}`)) && !stopped);
    } catch (error) {
      failed(String(error));
    } finally {
      inFlight = false;
    }
  };
  const period = options.pollIntervalMs;
  const wait =
    (((options.pollPhaseMs - ((nowRealUs() / 1000) % period)) % period) + period) % period;
  const timer = setTimeout(() => {
    const interval = setInterval(() => void tick(), period);
    closers.push(() => clearInterval(interval));
    void tick();
  }, wait);
  closers.push(() => clearTimeout(timer));
}

function startEventSource(): Promise<void> {
  return new Promise((resolve, reject) => {
    const source = new EventSource(`${feed}/sse`);
    closers.push(() => source.close());
    source.onopen = () => resolve();
    source.onmessage = (event: MessageEvent<string>) => {
      const recvUs = nowRealUs();
      const update = JSON.parse(event.data) as { seq: number; ts: number };
      received(update.seq, update.ts, event.data.length, recvUs);
    };
    // EventSource reconnects by itself (with Last-Event-ID); an error before it opened is the
    // start's.
    source.onerror = () =>
      source.readyState === EventSource.CLOSED
        ? reject(new Error('the event stream was refused'))
        : failed('the event stream dropped; EventSource reconnects');
  });
}

function startWebSocket(): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${feed.replace(/^http/, 'ws')}/ws`);
    closers.push(() => ws.close());
    ws.onopen = () => resolve();
    ws.onmessage = (event: MessageEvent<string>) => {
      const recvUs = nowRealUs();
      const message = JSON.parse(event.data) as { seq?: number; ts?: number; type?: string };
      if (message.type === undefined && message.seq !== undefined && message.ts !== undefined)
        received(message.seq, message.ts, event.data.length, recvUs);
    };
    ws.onerror = () => reject(new Error('the WebSocket failed'));
    ws.onclose = (event) => failed(`the WebSocket closed (${event.code} ${event.reason})`);
  });
}

/** The page's side of the driver: start a transport, hand over what was seen, stop. */
const feedbench = {
  /** Opens the transport; resolves with null, or with why the browser or the server refused it. */
  async start(options: PageClientOptions): Promise<string | null> {
    feed = options.feedOrigin;
    try {
      if (options.transport === 'sse') await startEventSource();
      else if (options.transport === 'websocket') await startWebSocket();
      else await startPolling(options);
      return null;
    } catch (error) {
      return String(error);
    }
  },
  take(): PageBatch {
    const taken = batch;
    batch = { updates: [], polls: 0, emptyPolls: 0, errors: [] };
    return taken;
  },
  stop(): void {
    stopped = true;
    for (const close of closers.splice(0)) close();
  },
};

(globalThis as unknown as { feedbench: typeof feedbench }).feedbench = feedbench;
