import type { Page } from 'playwright-core';
import { WireCounter } from '../../metrics/wire-counter.ts';
import { nowRealMs, nowUs } from '../../metrics/clock.ts';
import type {
  ClientFactory,
  ClientOptions,
  ClientRecorder,
  FeedClient,
} from '../../transports/transport.ts';
import { sharedChromium } from './chromium.ts';
import { browserBundle } from '../../process/browser-bundle.ts';
import { SharedBrowserContext } from './shared-context.ts';
import { otherOrigin } from './other-origin.ts';
import { countDevtoolsBytes } from './devtools-bytes.ts';
import type { TimedByteLog } from '../../metrics/timed-byte-log.ts';
import { PATHS } from '../../protocol/feed-protocol.ts';

/**
 * How often the driver takes a page's batch of updates, ms. Each take is a DevTools round trip
 * that costs the driver, the browser and the page (at 10 a second, about 5% of a core per page);
 * the stamps inside were taken as the updates arrived, so a longer wait delays no figure.
 */
const BATCH_MS = 500;
/**
 * How long a page's transport may take to open before the client counts as not connected (a browser
 * may hold it back).
 */
const START_TIMEOUT_MS = 5_000;

/**
 * The page's real-time clock minus this process's monotonic one, µs. On one host both read the
 * same system clocks, so a page's receive time maps onto the server's monotonic `ts` exactly,
 * with no /clock round trip (whose uncertainty in a page is a millisecond or more).
 */
const realMinusMonotonicUs = (): number => nowRealMs() * 1000 - nowUs();

interface PageBatch {
  updates: number[];
  polls: number;
  emptyPolls: number;
  errors: string[];
}

/**
 * One virtual client as a page of headless Chromium: a browser context of its own (its own
 * connections, as another user's browser would have), a page on the feed's origin, and the page's
 * EventSource, WebSocket or fetch doing the work (page/feed-page.ts). The driver takes what the
 * page saw in batches and records it as it records its Node clients'.
 */
class BrowserClient implements FeedClient {
  /** The page's bytes are counted by the server's sockets (the cell's byte check); none here. */
  readonly wire = new WireCounter();
  /** What Chromium's DevTools counted for this page, set once the page exists. */
  countedByBrowser: TimedByteLog | undefined;
  #release: () => void = () => {};
  #page: Page | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;
  readonly #offsetUs = realMinusMonotonicUs();

  constructor(
    private readonly transport: string,
    private readonly options: ClientOptions,
    private readonly recorder: ClientRecorder,
    private readonly tabOf?: SharedBrowserContext,
  ) {}

  async connect(): Promise<void> {
    const { host, port, tlsCa, http } = this.options;
    const startUs = nowUs();
    const browser = await sharedChromium(this.options.browserNetwork);
    // The run's own certificate is made at run time: the context accepts it, as a browser told to
    // trust it would.
    const open = () => browser.newContext({ ignoreHTTPSErrors: tlsCa !== undefined });
    const shared = this.tabOf;
    const context = shared ? await shared.acquire(open) : await open();
    this.#release = shared ? () => shared.release() : () => void context.close().catch(() => {});
    const origin = `${tlsCa !== undefined ? 'https' : 'http'}://${host}:${port}`;
    if (http === '2' && tlsCa === undefined)
      throw new Error('browsers speak HTTP/2 only over TLS: a browser cell over HTTP/2 needs tls');
    const page = await context.newPage();
    this.#page = page;
    // Counting starts before the page loads: its document and every connection it opens are the
    // page's bytes.
    this.countedByBrowser = await countDevtoolsBytes(context, page);
    // A document of the feed's own origin, fetched over the network like any page: Chromium then
    // knows the page's address space (a document it did not fetch may not open a WebSocket to
    // loopback: Local Network Access), and nothing intercepts the page's requests afterwards. The
    // client is injected into it; the protocol's /health answers on every feed server. A tab of a
    // browser whose connections to the origin are all taken (HTTP/1.1: 6) cannot even load.
    const pageUrl =
      this.options.pageOrigin === 'other' ? `${await otherOrigin()}/` : `${origin}${PATHS.health}`;
    await page.goto(pageUrl, { timeout: START_TIMEOUT_MS }).catch((error: Error) => {
      throw new Error(
        `the page did not load within ${START_TIMEOUT_MS} ms (the browser held its request back): ${error.message.split('\n')[0]}`,
      );
    });
    await this.#checkProtocol(page);
    await page.addScriptTag({
      content: await browserBundle(new URL('./page/feed-page.ts', import.meta.url)),
    });
    // Batches are taken from the start: a stream the browser holds back and opens later still
    // counts.
    this.#timer = setInterval(() => void this.#take(), BATCH_MS);
    const started = page.evaluate(
      (o) =>
        (
          globalThis as unknown as { feedbench: { start(o: unknown): Promise<string | null> } }
        ).feedbench.start(o),
      {
        transport: this.transport,
        pollIntervalMs: this.options.pollIntervalMs,
        pollPhaseMs: this.options.pollPhaseMs ?? 0,
        longPollTimeoutMs: this.options.longPollTimeoutMs,
        feedOrigin: origin,
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const held = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `the page's ${this.transport} did not open within ${START_TIMEOUT_MS} ms (the browser held it back)`,
            ),
          ),
        START_TIMEOUT_MS,
      );
    });
    let refused: string | null;
    try {
      refused = await Promise.race([started, held]);
    } finally {
      clearTimeout(timer);
    }
    // A refusal (CORS, the server's origin check) is what the cell measures: the page stays,
    // receiving nothing.
    if (refused) this.recorder.error(`refused: ${refused}`);
    else this.recorder.connected(nowUs() - startUs, 0);
  }

  /**
   * Records the protocol the page's document came over (the feed's origin, whose connection the
   * page's streams and polls share), and refuses a page of an HTTP/3 cell that did not get h3.
   */
  async #checkProtocol(page: Page): Promise<void> {
    const protocol = await page.evaluate(
      () =>
        (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)
          ?.nextHopProtocol ?? '',
    );
    this.recorder.nextHop?.(protocol || 'unknown');
    if (this.options.http === '3' && protocol !== 'h3')
      throw new Error(`the page came over ${protocol || 'an unknown protocol'}, not HTTP/3 (h3)`);
  }

  async #take(): Promise<void> {
    const page = this.#page;
    if (!page || this.#closed) return;
    let batch: PageBatch;
    try {
      batch = await page.evaluate(() =>
        (globalThis as unknown as { feedbench: { take(): PageBatch } }).feedbench.take(),
      );
    } catch (error) {
      if (!this.#closed)
        this.recorder.error(`the page could not be read: ${(error as Error).message}`);
      return;
    }
    const u = batch.updates;
    // Four numbers an update, flat: seq, ts, receive time on the page's clock, bytes.
    for (let i = 0; i + 3 < u.length; i += 4) {
      const [seq = 0, ts = 0, pageRecvUs = 0, bytes = 0] = u.slice(i, i + 4);
      this.recorder.update(seq, ts, bytes, pageRecvUs - this.#offsetUs);
    }
    for (let p = 0; p < batch.polls; p++)
      this.recorder.pollCompleted(p < batch.emptyPolls ? 0 : 1, nowUs());
    for (const message of batch.errors) this.recorder.error(message);
  }

  send(): Promise<void> {
    return Promise.reject(
      new Error('browser clients do not send upstream yet (chat and echo): feed only'),
    );
  }

  close(): void {
    this.#closed = true;
    clearInterval(this.#timer);
    void this.#page?.close().catch(() => {});
    this.#release();
  }
}

/**
 * Makes browser virtual clients of one transport: each one page, in a context of its own, or,
 * with `tabs` above 1, every `tabs` consecutive clients as tabs of one browser context.
 */
export function browserClients(transport: string, tabs: number): ClientFactory {
  let made = 0;
  let shared: SharedBrowserContext | undefined;
  return (options, recorder) => {
    if (tabs > 1 && made % tabs === 0) shared = new SharedBrowserContext();
    made++;
    return new BrowserClient(transport, options, recorder, tabs > 1 ? shared : undefined);
  };
}
