import {
  NotApplicable,
  exchange,
  excerpt,
  expectError,
  expectJson,
  expectThat,
  lastSeq,
  marker,
  publish,
  type CaseContext,
  type ConformCase,
} from './case-kit.ts';
import { StreamReader } from './stream-reader.ts';
import { SseParser, type SseEvent } from '../transports/sse/sse-parser.ts';

/** An answer that must come "at once": well under any hold, on a loaded machine. */
const AT_ONCE_MS = 1_000;
/** How long a case waits for something that should come promptly. */
const PROMPTLY_MS = 3_000;

/** Opens a stream for a case and always closes it. */
async function withStream<T>(
  ctx: CaseContext,
  path: string,
  headers: Record<string, string>,
  body: (reader: StreamReader, request: string) => Promise<T>,
): Promise<T> {
  const reader = new StreamReader(ctx.target, path, { headers });
  const named = Object.entries(headers)
    .map(([k, v]) => ` (${k}: ${v})`)
    .join('');
  try {
    return await body(reader, `GET ${path}${named}`);
  } finally {
    reader.close();
  }
}

/** The events of an event stream so far, read as EventSource reads them. */
function events(text: string): SseEvent[] {
  const seen: SseEvent[] = [];
  new SseParser((event) => seen.push(event)).push(text);
  return seen;
}

/** Long polls and Server-Sent Events: held answers, streams and cursors. */
export const STREAM_CASES: readonly ConformCase[] = [
  {
    id: '3.1',
    title:
      'GET /long-poll without since answers at once like /poll, even when nothing is published',
    transport: 'long-poll',
    quick: true,
    async run(ctx) {
      const answer = await exchange(ctx, '/long-poll', { timeoutMs: 10_000 });
      const body = expectJson(answer, 200);
      expectThat(
        Number.isInteger(body.last) && answer.ms < AT_ONCE_MS,
        `{"updates": [], "last": <integer>} within ${AT_ONCE_MS} ms`,
        () => `${excerpt(answer.body)} after ${answer.ms.toFixed(0)} ms`,
        answer.request,
      );
    },
  },
  {
    id: '3.2',
    title: 'GET /long-poll?since=<last> is held, and answered with the update published meanwhile',
    transport: 'long-poll',
    quick: true,
    async run(ctx) {
      const since = await lastSeq(ctx);
      const data = marker('3.2');
      await withStream(
        ctx,
        `/long-poll?since=${since}&timeout=20000`,
        {},
        async (reader, request) => {
          if (ctx.feedControl) {
            await reader.until((r) => r.headMs !== null, 300);
            expectThat(
              reader.headMs === null,
              'the answer held while nothing newer than since is published',
              () => `an answer after ${reader.headMs?.toFixed(0)} ms: ${excerpt(reader.text)}`,
              request,
            );
          }
          await publish(ctx, data);
          const answered = await reader.until(
            (r) => r.endMs !== null && r.text.includes(data),
            PROMPTLY_MS,
          );
          expectThat(
            answered,
            `the held answer, carrying the update published (${data}), within ${PROMPTLY_MS} ms`,
            () => reader.error ?? `${reader.status} ${excerpt(reader.text)}`,
            request,
          );
        },
      );
    },
  },
  {
    id: '3.3',
    title:
      'GET /long-poll?since=<last>&timeout=500 answers {"updates": [], "last"} after about 500 ms',
    transport: 'long-poll',
    async run(ctx) {
      if (!ctx.feedControl)
        throw new NotApplicable(
          'the target publishes on its own (no POST /feed): a hold cannot be told from an update',
        );
      const since = await lastSeq(ctx);
      const answer = await exchange(ctx, `/long-poll?since=${since}&timeout=500`, {
        timeoutMs: 10_000,
      });
      const body = expectJson(answer, 200);
      expectThat(
        Array.isArray(body.updates) &&
          (body.updates as unknown[]).length === 0 &&
          answer.ms >= 400 &&
          answer.ms < 3_000,
        '{"updates": [], ...} after 400-3000 ms',
        () => `${excerpt(answer.body)} after ${answer.ms.toFixed(0)} ms`,
        answer.request,
      );
    },
  },
  {
    id: '3.4',
    title: 'GET /long-poll?since=<older> answers at once with what is newer',
    transport: 'long-poll',
    async run(ctx) {
      const data = marker('3.4');
      const seq = await publish(ctx, data);
      const answer = await exchange(ctx, `/long-poll?since=${seq - 1}&timeout=20000`, {
        timeoutMs: 10_000,
      });
      const body = expectJson(answer, 200);
      expectThat(
        ((body.updates ?? []) as { data: unknown }[]).some((u) => u.data === data) &&
          answer.ms < AT_ONCE_MS,
        `the update ${seq} within ${AT_ONCE_MS} ms`,
        () => `${excerpt(answer.body)} after ${answer.ms.toFixed(0)} ms`,
        answer.request,
      );
    },
  },
  {
    id: '3.5',
    title: 'GET /long-poll?since=0&timeout=abc is a 400 bad_timeout',
    transport: 'long-poll',
    run: async (ctx) =>
      expectError(await exchange(ctx, '/long-poll?since=0&timeout=abc'), 400, 'bad_timeout'),
  },
  {
    id: '4.1',
    title: 'GET /sse answers 200 text/event-stream at once, even when nothing is published',
    transport: 'sse',
    quick: true,
    async run(ctx) {
      await withStream(ctx, '/sse', {}, async (reader, request) => {
        const head = await reader.until((r) => r.headMs !== null, AT_ONCE_MS);
        expectThat(
          head,
          `a response head within ${AT_ONCE_MS} ms`,
          () => reader.error ?? 'none',
          request,
        );
        expectThat(
          reader.status === 200 &&
            String(reader.headers['content-type']).startsWith('text/event-stream'),
          '200 text/event-stream',
          () => `${reader.status} ${String(reader.headers['content-type'])}`,
          request,
        );
      });
    },
  },
  {
    id: '4.2',
    title:
      'An update published after an /sse stream opens arrives as id: <seq>, data: <update JSON>',
    transport: 'sse',
    quick: true,
    async run(ctx) {
      const data = marker('4.2');
      await withStream(ctx, '/sse', {}, async (reader, request) => {
        await reader.until((r) => r.headMs !== null, PROMPTLY_MS);
        const seq = await publish(ctx, data);
        const arrived = await reader.until((r) => r.text.includes(data), PROMPTLY_MS);
        const event = events(reader.text).find((e) => e.data.includes(data));
        const update = event && (JSON.parse(event.data) as { seq?: unknown; data?: unknown });
        expectThat(
          arrived && event?.id === String(seq) && update?.seq === seq && update.data === data,
          `an event with id: ${seq} and data: {"seq": ${seq}, "ts", "data": "${data}"}`,
          () => excerpt(reader.text),
          request,
        );
      });
    },
  },
  {
    id: '4.3',
    title: 'Last-Event-ID: N resumes the stream after N',
    transport: 'sse',
    async run(ctx) {
      const data = [marker('4.3 a'), marker('4.3 b')] as const;
      const first = await publish(ctx, data[0]);
      await publish(ctx, data[1]);
      await withStream(
        ctx,
        '/sse',
        { 'Last-Event-ID': String(first - 1) },
        async (reader, request) => {
          const both = await reader.until(
            (r) => data.every((d) => r.text.includes(d)),
            PROMPTLY_MS,
          );
          expectThat(
            both && reader.text.indexOf(data[0]) < reader.text.indexOf(data[1]),
            `updates ${first} and ${first + 1}, in order`,
            () => excerpt(reader.text),
            request,
          );
        },
      );
    },
  },
  {
    id: '4.4',
    title: 'Last-Event-ID wins over since',
    transport: 'sse',
    async run(ctx) {
      const data = [marker('4.4 a'), marker('4.4 b')] as const;
      const first = await publish(ctx, data[0]);
      await publish(ctx, data[1]);
      await withStream(
        ctx,
        `/sse?since=${first}`,
        { 'Last-Event-ID': String(first - 1) },
        async (reader, request) => {
          const resumed = await reader.until((r) => r.text.includes(data[0]), PROMPTLY_MS);
          expectThat(
            resumed,
            `update ${first} (after Last-Event-ID ${first - 1}, not after since ${first})`,
            () => excerpt(reader.text),
            request,
          );
        },
      );
    },
  },
  {
    id: '4.5',
    title: 'Last-Event-ID: abc is a 400',
    transport: 'sse',
    run: async (ctx) =>
      expectError(await exchange(ctx, '/sse', { headers: { 'Last-Event-ID': 'abc' } }), 400),
  },
];
