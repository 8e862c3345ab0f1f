import {
  NotApplicable,
  exchange,
  excerpt,
  expectJson,
  expectThat,
  type CaseContext,
  type ConformCase,
} from './case-kit.ts';
import { StreamReader } from './stream-reader.ts';
import { withSocket } from './case-socket.ts';

const json = { 'content-type': 'application/json' };
/**
 * What the cases publish to push the oldest updates out of a target's history: 5,000 updates of 8
 * KiB (40 MB).
 */
const FILL = { rate: 5_000, payloadBytes: 8_192, forMs: 1_000 };
/** How long a case waits for something that should come promptly. */
const PROMPTLY_MS = 5_000;

/** One fill per conformance run (its context): the three cases share it. */
const fills = new WeakMap<CaseContext, Promise<void>>();

/**
 * Publishes more than a history holds (once per run), then stops the feed; a target without
 * POST /feed cannot be filled from outside and the gap cases do not apply.
 */
function fillHistory(ctx: CaseContext): Promise<void> {
  if (!ctx.feedControl)
    return Promise.reject(
      new NotApplicable(
        'the target has no POST /feed: its history cannot be overflowed from outside',
      ),
    );
  let filled = fills.get(ctx);
  if (!filled) {
    filled = (async () => {
      await exchange(ctx, '/feed', {
        method: 'POST',
        body: JSON.stringify({ rate: FILL.rate, payloadBytes: FILL.payloadBytes }),
        headers: json,
      });
      await new Promise((r) => setTimeout(r, FILL.forMs));
      await exchange(ctx, '/feed', {
        method: 'POST',
        body: JSON.stringify({ rate: 0 }),
        headers: json,
      });
    })();
    fills.set(ctx, filled);
  }
  return filled;
}

/**
 * The gap a cursor of 0 must now get: from 1 to just before the oldest retained update;
 * NotApplicable when nothing was pushed out.
 */
async function expectedGap(ctx: CaseContext): Promise<{ to: number }> {
  await fillHistory(ctx);
  const answer = await exchange(ctx, '/poll?since=0', { timeoutMs: 20_000 });
  const body = expectJson(answer, 200);
  const gap = body.gap as { from?: unknown; to?: unknown } | undefined;
  const first = ((body.updates ?? []) as { seq: number }[])[0]?.seq;
  if (!gap && first === 1)
    throw new NotApplicable(
      `the target still held update 1 after ${FILL.rate * (FILL.forMs / 1000)} updates of ${FILL.payloadBytes} B: its history is larger than this case fills`,
    );
  const to = gap?.to;
  expectThat(
    gap !== undefined &&
      gap.from === 1 &&
      Number.isInteger(gap.to) &&
      (first === undefined || first === (gap.to as number) + 1),
    '"gap": {"from": 1, "to": b} and the updates from b + 1',
    () => excerpt(answer.body),
    answer.request,
  );
  return { to: to as number };
}

/** Gaps: a cursor older than the history gets what is retained, and says what is gone. */
export const GAP_CASES: readonly ConformCase[] = [
  {
    id: '9.1',
    title:
      'GET /poll?since=<older than the history> answers with what is retained and "gap": {"from", "to"} for what is gone',
    transport: 'short-poll',
    run: async (ctx) => void (await expectedGap(ctx)),
  },
  {
    id: '9.2',
    title:
      'GET /sse?since=<older than the history> sends event: gap with {"type": "gap", "from", "to"} before the retained updates',
    transport: 'sse',
    async run(ctx) {
      const { to } = await expectedGap(ctx);
      const reader = new StreamReader(ctx.target, '/sse?since=0');
      try {
        const seen = await reader.until(
          (r) => /event: ?gap/.test(r.text) && r.text.includes(`"to":${to}`),
          PROMPTLY_MS,
        );
        const gapAt = reader.text.search(/event: ?gap/);
        const firstUpdateAt = reader.text.indexOf(`"seq":${to + 1}`);
        expectThat(
          seen && (firstUpdateAt < 0 || gapAt < firstUpdateAt),
          `event: gap, data {"type":"gap","from":1,"to":${to}}, before update ${to + 1}`,
          () => excerpt(reader.text.slice(0, 300)),
          'GET /sse?since=0',
        );
      } finally {
        reader.close();
      }
    },
  },
  {
    id: '9.3',
    title:
      'GET /ws?since=<older than the history> sends a {"type": "gap", "from", "to"} frame before the retained updates',
    transport: 'websocket',
    async run(ctx) {
      const { to } = await expectedGap(ctx);
      await withSocket(ctx, '/ws?since=0', async (socket, request) => {
        await socket.until(() => socket.frames.length > 0, PROMPTLY_MS);
        const first = socket.frames[0] ?? '(nothing)';
        const frame = first.startsWith('{')
          ? (JSON.parse(first) as { type?: unknown; from?: unknown; to?: unknown })
          : {};
        expectThat(
          frame.type === 'gap' && frame.from === 1 && frame.to === to,
          `a first frame {"type":"gap","from":1,"to":${to}}`,
          () => excerpt(first),
          request,
        );
      });
    },
  },
];
