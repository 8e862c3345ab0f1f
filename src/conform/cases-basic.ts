import { MAX_BODY_BYTES } from '../protocol/feed-protocol.ts';
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
  type ConformCase,
} from './case-kit.ts';

const json = { 'content-type': 'application/json' };

/**
 * Health, clock, short polls, publish and echo, feed control and bad input: the request/answer
 * rules.
 */
export const BASIC_CASES: readonly ConformCase[] = [
  {
    id: '1.1',
    title: 'GET /health answers {"protocol": 1, "transports": [...]}',
    quick: true,
    async run(ctx) {
      const answer = await exchange(ctx, '/health');
      const body = expectJson(answer, 200);
      expectThat(
        body.protocol === 1 && Array.isArray(body.transports),
        '{"protocol": 1, "transports": [...]}',
        () => excerpt(answer.body),
        answer.request,
      );
    },
  },
  {
    id: '1.2',
    title: 'GET /health states "version" 1.x, or none (version 1)',
    async run(ctx) {
      const answer = await exchange(ctx, '/health');
      const version = expectJson(answer, 200).version;
      expectThat(
        version === undefined || (typeof version === 'string' && /^1(\.\d+)?$/.test(version)),
        '"version" absent or "1.<minor>"',
        () => JSON.stringify(version),
        answer.request,
      );
    },
  },
  {
    id: '1.3',
    title:
      'GET /clock answers {"now": <integer µs>, "clock": "monotonic" or "realtime"}, and now advances',
    quick: true,
    async run(ctx) {
      const first = expectJson(await exchange(ctx, '/clock'), 200);
      const answer = await exchange(ctx, '/clock');
      const second = expectJson(answer, 200);
      expectThat(
        Number.isInteger(first.now) && (first.clock === 'monotonic' || first.clock === 'realtime'),
        '{"now": <integer>, "clock": "monotonic" | "realtime"}',
        () => excerpt(answer.body),
        answer.request,
      );
      expectThat(
        (second.now as number) >= (first.now as number),
        'a second "now" no earlier than the first',
        () => `${String(first.now)} then ${String(second.now)}`,
        answer.request,
      );
    },
  },
  {
    id: '2.1',
    title: 'GET /poll without since answers at once: no updates, "last" says where now is',
    transport: 'short-poll',
    quick: true,
    async run(ctx) {
      const answer = await exchange(ctx, '/poll');
      const body = expectJson(answer, 200);
      expectThat(
        Array.isArray(body.updates) &&
          (body.updates as unknown[]).length === 0 &&
          Number.isInteger(body.last),
        '{"updates": [], "last": <integer>}',
        () => excerpt(answer.body),
        answer.request,
      );
    },
  },
  {
    id: '2.2',
    title: 'GET /poll?since=N returns every update after N in order, as {"seq", "ts", "data"}',
    transport: 'short-poll',
    quick: true,
    async run(ctx) {
      const since = await lastSeq(ctx);
      const data = [marker('2.2 a'), marker('2.2 b')];
      for (const d of data) await publish(ctx, d);
      const answer = await exchange(ctx, `/poll?since=${since}`);
      const updates = (expectJson(answer, 200).updates ?? []) as {
        seq: unknown;
        ts: unknown;
        data: unknown;
      }[];
      const ours = updates.filter((u) => data.includes(u.data as string));
      expectThat(
        ours.length === 2 &&
          ours[0]?.data === data[0] &&
          ours.every(
            (u) => Number.isInteger(u.seq) && Number.isInteger(u.ts) && (u.seq as number) > since,
          ),
        'both published updates, in order, each with an integer seq above since and ts',
        () => excerpt(answer.body),
        answer.request,
      );
      expectThat(
        updates.every((u, i) => i === 0 || (u.seq as number) > (updates[i - 1]?.seq as number)),
        'seqs in ascending order',
        () => excerpt(answer.body),
        answer.request,
      );
    },
  },
  {
    id: '2.3',
    title: 'GET /poll?since=abc is a 400 bad_cursor with {"error", "message"}',
    transport: 'short-poll',
    run: async (ctx) => expectError(await exchange(ctx, '/poll?since=abc'), 400, 'bad_cursor'),
  },
  {
    id: '2.4',
    title: 'GET /poll?since=-1 is a 400',
    transport: 'short-poll',
    run: async (ctx) => expectError(await exchange(ctx, '/poll?since=-1'), 400),
  },
  {
    id: '6.1',
    title: 'POST /publish {"data", "id"} answers {"seq", "id"} with the next seq',
    async run(ctx) {
      const before = await lastSeq(ctx);
      const answer = await exchange(ctx, '/publish', {
        method: 'POST',
        body: JSON.stringify({ data: marker('6.1'), id: 'c-6.1' }),
        headers: json,
      });
      const body = expectJson(answer, 200);
      expectThat(
        Number.isInteger(body.seq) && (body.seq as number) > before && body.id === 'c-6.1',
        `{"seq": <above ${before}>, "id": "c-6.1"}`,
        () => excerpt(answer.body),
        answer.request,
      );
    },
  },
  {
    id: '6.2',
    title: 'POST /publish with a body that is not JSON with a string "data" is a 400',
    run: async (ctx) =>
      expectError(
        await exchange(ctx, '/publish', { method: 'POST', body: '{"data": 5}', headers: json }),
        400,
      ),
  },
  {
    id: '6.3',
    title: 'POST /echo answers with the same body',
    async run(ctx) {
      const sent = { data: marker('6.3'), id: 63 };
      const answer = await exchange(ctx, '/echo', {
        method: 'POST',
        body: JSON.stringify(sent),
        headers: json,
      });
      const body = expectJson(answer, 200);
      expectThat(
        body.data === sent.data && body.id === sent.id,
        excerpt(JSON.stringify(sent)),
        () => excerpt(answer.body),
        answer.request,
      );
    },
  },
  {
    id: '6.4',
    title:
      'POST /feed {"rate", "payloadBytes"} answers the settings (optional: a 404 means the target publishes on its own)',
    async run(ctx) {
      const answer = await exchange(ctx, '/feed', {
        method: 'POST',
        body: JSON.stringify({ rate: 0, payloadBytes: 16 }),
        headers: json,
      });
      if (answer.status === 404) throw new NotApplicable('the target has no POST /feed');
      const body = expectJson(answer, 200);
      expectThat(
        body.rate === 0 && body.payloadBytes === 16,
        '{"rate": 0, "payloadBytes": 16}',
        () => excerpt(answer.body),
        answer.request,
      );
    },
  },
  {
    id: '6.5',
    title: 'POST /feed with a rate that is not a non-negative number is a 400',
    async run(ctx) {
      if (!ctx.feedControl) throw new NotApplicable('the target has no POST /feed');
      expectError(
        await exchange(ctx, '/feed', {
          method: 'POST',
          body: JSON.stringify({ rate: -3 }),
          headers: json,
        }),
        400,
      );
    },
  },
  {
    id: '7.1',
    title: 'A body over 64 KiB is a 413',
    run: async (ctx) =>
      expectError(
        await exchange(ctx, '/publish', {
          method: 'POST',
          body: JSON.stringify({ data: 'x'.repeat(MAX_BODY_BYTES + 1) }),
          headers: json,
        }),
        413,
      ),
  },
  {
    id: '7.2',
    title: 'An unknown path is a 404 with {"error", "message"}',
    run: async (ctx) => expectError(await exchange(ctx, '/no-such-endpoint'), 404),
  },
  {
    id: '7.3',
    title: 'A wrong method on a known path is a 405',
    run: async (ctx) =>
      expectError(await exchange(ctx, '/poll', { method: 'POST', body: '{}', headers: json }), 405),
  },
];
