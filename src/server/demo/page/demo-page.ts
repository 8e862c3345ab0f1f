/**
 * The demo page's script: the article's "How are you?" exchange over every lane at once, each
 * lane one transport over one HTTP version on a feed server of its own. WebSocket asks over its
 * socket and gets the echo back on it, as the article's page does; the HTTP transports ask with a
 * POST /publish and get the answer back the way that transport receives updates (the next short
 * poll, the held long poll, the event stream). The round trip is timed on the page's own clock;
 * the wire bytes are the lane server's TCP sockets', fetched from the demo's /bytes.
 * Bundled for the page by esbuild (an IIFE); it runs in the browser, not in Node.
 */
import { median, renderLane, type LaneView } from './lane-view.ts';

/** One lane as the demo server describes it (inlined into the page as JSON). */
export interface LaneConfig {
  readonly id: string;
  readonly transport: 'short-poll' | 'long-poll' | 'sse' | 'websocket';
  readonly http: '1.1' | '2';
  readonly origin: string;
}

/** What the demo server inlines into the page. */
export interface DemoConfig {
  readonly lanes: readonly LaneConfig[];
  readonly pollIntervalMs: number;
  readonly repeatMs: number;
}

interface Update {
  seq: number;
  data: string;
}

/** How long a question may wait for its answer before the lane says it was lost. */
const ANSWER_TIMEOUT_MS = 10_000;

/**
 * How long a lane waits before it asks again after its connection failed (a long poll, a
 * WebSocket): a network change drops every connection at once, and asking again at once would
 * spin while the network is down.
 */
const RETRY_MS = 1_000;

/** One lane: its transport open to its origin, its questions in flight and what came back. */
class Lane {
  readonly view: LaneView;
  readonly #asked = new Map<string, number>();
  #cursor = 0;
  #questions = 0;
  #opened = false;
  #ws: WebSocket | undefined;

  constructor(readonly config: LaneConfig) {
    this.view = {
      id: config.id,
      transport: config.transport,
      http: config.http,
      state: 'opening',
      exchanges: 0,
      lost: 0,
      roundTripsMs: [],
      lastAnswer: '',
      requests: 0,
      wire: undefined,
    };
  }

  async open(pollIntervalMs: number): Promise<void> {
    const { transport } = this.config;
    // The first request opens the connection (over HTTP/2, the one the WebSocket then shares by RFC
    // 8441).
    await this.#get('/health');
    if (transport === 'websocket') await this.#openWebSocket();
    else if (transport === 'sse') await this.#openEventSource();
    else {
      this.#cursor = (
        (await this.#get(transport === 'long-poll' ? '/long-poll' : '/poll')) as { last: number }
      ).last;
      if (transport === 'long-poll') void this.#longPoll();
      else setInterval(() => void this.#poll('/poll'), pollIntervalMs);
    }
    this.#opened = true;
    this.view.state = 'open';
  }

  /**
   * Asks "How are you?" once; the answer is matched by its text, which carries the question's
   * number.
   */
  ask(): void {
    // A lane that failed keeps asking: the questions it cannot answer count as lost, and it shows
    // as open again once its transport is back.
    if (!this.#opened) return;
    const n = ++this.#questions;
    const text = `How are you? (#${n})`;
    this.#asked.set(text, performance.now());
    setTimeout(() => this.#asked.delete(text) && this.view.lost++, ANSWER_TIMEOUT_MS);
    if (this.config.transport === 'websocket') {
      if (this.#ws?.readyState === WebSocket.OPEN)
        this.#ws.send(JSON.stringify({ type: 'echo', data: text, id: n }));
      return;
    }
    // text/plain keeps the POST a simple request (no CORS preflight); the server reads the body as
    // JSON whatever its type.
    void fetch(`${this.config.origin}/publish`, {
      method: 'POST',
      credentials: 'include',
      body: JSON.stringify({ data: text, id: n }),
    }).then(
      () => this.view.requests++,
      (e) => this.#fail(e),
    );
  }

  #answered(text: string): void {
    const sentAt = this.#asked.get(text);
    if (sentAt === undefined) return;
    this.#asked.delete(text);
    this.view.roundTripsMs.push(performance.now() - sentAt);
    if (this.view.roundTripsMs.length > 100) this.view.roundTripsMs.shift();
    this.view.exchanges++;
    this.view.lastAnswer = text;
  }

  async #get(path: string): Promise<unknown> {
    // Credentialed, as a WebSocket always is: Chromium keeps uncredentialed requests on connections
    // of their own, and a WebSocket over HTTP/2 can only share a connection its own kind opened.
    const response = await fetch(this.config.origin + path, {
      cache: 'no-store',
      credentials: 'include',
    });
    this.view.requests++;
    if (!response.ok) throw new Error(`${path} answered ${response.status}`);
    return response.json();
  }

  /** One poll; false when it failed. */
  async #poll(path: string): Promise<boolean> {
    try {
      const answer = (await this.#get(
        `${path}${path.includes('?') ? '&' : '?'}since=${this.#cursor}`,
      )) as { updates: Update[]; last: number; more?: boolean };
      for (const update of answer.updates) this.#answered(update.data);
      this.#cursor = Math.max(this.#cursor, answer.last);
      this.#recovered();
      return true;
    } catch (error) {
      this.#fail(error);
      return false;
    }
  }

  async #longPoll(): Promise<void> {
    for (;;)
      if (!(await this.#poll('/long-poll?timeout=30000')))
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }

  #openEventSource(): Promise<void> {
    return new Promise((resolve, reject) => {
      const source = new EventSource(`${this.config.origin}/sse`, { withCredentials: true });
      // EventSource reconnects by itself: its next open is the lane's recovery.
      source.onopen = () => (this.#recovered(), resolve());
      source.onmessage = (event: MessageEvent<string>) =>
        this.#answered((JSON.parse(event.data) as Update).data);
      source.onerror = () =>
        this.view.state === 'opening'
          ? reject(new Error('the event stream was refused'))
          : this.#fail('the event stream dropped; EventSource reconnects');
    });
  }

  #openWebSocket(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${this.config.origin.replace(/^http/, 'ws')}/ws`);
      this.#ws = ws;
      ws.onopen = () => {
        this.#recovered();
        resolve();
      };
      ws.onmessage = (event: MessageEvent<string>) => {
        const message = JSON.parse(event.data) as { type?: string; data?: string };
        if (message.type === 'echo' && message.data !== undefined) this.#answered(message.data);
      };
      ws.onerror = () => reject(new Error('the WebSocket failed'));
      ws.onclose = (event) => {
        // Before the lane first opened, open() reports the failure; after, the lane opens again.
        if (!this.#opened) return;
        this.#fail(`the WebSocket closed (${event.code}); it opens again`);
        setTimeout(() => void this.#reopenWebSocket(), RETRY_MS);
      };
    });
  }

  /**
   * Opens the WebSocket again as open() first did: a request first, because over HTTP/2 the
   * WebSocket rides a connection a request opened (RFC 8441). Chromium opens none for a WebSocket
   * itself, and one of its own would offer HTTP/1.1 alone, which an HTTP/2 lane refuses. A failed
   * WebSocket tries again from its close; a failed request from here.
   */
  async #reopenWebSocket(): Promise<void> {
    try {
      await this.#get('/health');
    } catch (error) {
      this.#fail(error);
      setTimeout(() => void this.#reopenWebSocket(), RETRY_MS);
      return;
    }
    await this.#openWebSocket().catch(() => undefined);
  }

  #fail(error: unknown): void {
    this.view.state = `error: ${String(error)}`;
  }

  /** The lane's transport works again after a failure. */
  #recovered(): void {
    if (this.#opened) this.view.state = 'open';
  }
}

const config = (globalThis as unknown as { FEEDBENCH_DEMO: DemoConfig }).FEEDBENCH_DEMO;
const lanes = config.lanes.map((c) => new Lane(c));
const askAll = (): void => {
  for (const lane of lanes) lane.ask();
};

/** Redraws every lane, with the wire bytes its server's sockets counted so far. */
async function refresh(): Promise<void> {
  try {
    const wire = (await (await fetch('/bytes', { cache: 'no-store' })).json()) as Record<
      string,
      LaneView['wire']
    >;
    for (const lane of lanes) lane.view.wire = wire[lane.config.id];
  } catch {
    // The demo server is gone (Ctrl-C): the lanes keep their last figures.
  }
  for (const lane of lanes) {
    const card = document.getElementById(`lane-${lane.config.id}`);
    if (card) renderLane(card, lane.view);
  }
}

const repeat: ReturnType<typeof setInterval>[] = [];
const repeatBox = document.getElementById('repeat') as HTMLInputElement;
/**
 * While "repeat" is ticked each lane asks every repeatMs, the lanes spread over it: one exchange at
 * a time measures a lane, not the queue of eight.
 */
const setRepeat = (): void => {
  // clearTimeout and clearInterval clear either kind of timer.
  for (const timer of repeat.splice(0)) clearTimeout(timer);
  if (!repeatBox.checked) return;
  lanes.forEach((lane, i) => {
    repeat.push(
      setTimeout(
        () => {
          lane.ask();
          repeat.push(setInterval(() => lane.ask(), config.repeatMs));
        },
        (config.repeatMs * i) / lanes.length,
      ),
    );
  });
};
repeatBox.addEventListener('change', setRepeat);
document.getElementById('ask')?.addEventListener('click', askAll);
void Promise.all(
  lanes.map((lane) =>
    lane
      .open(config.pollIntervalMs)
      .catch((e: unknown) => (lane.view.state = `error: ${String(e)}`)),
  ),
).then(() => {
  askAll();
  setRepeat();
});
setInterval(() => void refresh(), 500);

/** What a test (or a curious reader in the console) can read: each lane's figures. */
(globalThis as unknown as { feedbenchDemo: unknown }).feedbenchDemo = {
  lanes: () => lanes.map((l) => ({ ...l.view, medianRoundTripMs: median(l.view.roundTripsMs) })),
};
