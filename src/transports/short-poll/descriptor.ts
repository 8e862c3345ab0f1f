import { z } from 'zod';
import { shortPollModel } from '../../stats/latency-models.ts';
import { listOf, pollVariants, type TransportDescriptor } from '../descriptor.ts';
import { int, oneOrMany, oneOrManyBooleans } from '../shared/option-schemas.ts';
import { createShortPollClient } from './client.ts';
import { shortPollServer } from './server.ts';

const options = z
  .object({
    intervalMs: oneOrMany(int(0, 3_600_000), 'an integer from 0 to 3600000')
      .default(1_000)
      .describe('ms between polls (a list sweeps it); 0 polls back to back'),
    mode: z.enum(['fixed-period', 'sleep-after-response']).default('fixed-period'),
    keepAlive: oneOrManyBooleans().default(true),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (listOf(o.intervalMs).includes(0) && o.mode !== 'sleep-after-response') {
      ctx.addIssue({
        code: 'custom',
        path: ['intervalMs'],
        message: '0 (polling back to back) needs mode "sleep-after-response"',
      });
    }
  })
  .prefault({});

type Options = z.output<typeof options>;

/** HTTP short polling: `GET /poll?since=N` every interval. */
export const shortPoll: TransportDescriptor = {
  name: 'short-poll',
  kind: 'poll',
  label: 'short polling',
  colour: '#e6740b',
  upstream: 'http-post',
  firstRequest: 'GET /poll without since',
  scenarioOptions: { key: 'shortPoll', schema: options },
  cellVariants(raw, workload) {
    const o = raw as Options;
    const polling = listOf(o.intervalMs).map((interval) => ({
      poll_interval_ms: interval,
      poll_mode: o.mode,
    }));
    return pollVariants(o.keepAlive, workload, polling);
  },

  labelParts: (p) => (p.poll_interval_ms === null ? [] : [`every ${p.poll_interval_ms}ms`]),
  latencyModel: (p, rttUs) => shortPollModel(rttUs, p.poll_interval_ms, p.poll_mode, p.keep_alive),
  server: shortPollServer,
  client: createShortPollClient,
};
