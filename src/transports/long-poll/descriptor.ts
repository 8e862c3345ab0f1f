import { z } from 'zod';
import { longPollModel } from '../../stats/latency-models.ts';
import { pollVariants, type TransportDescriptor } from '../descriptor.ts';
import { int, oneOrManyBooleans } from '../shared/option-schemas.ts';
import { createLongPollClient } from './client.ts';
import { longPollServer } from './server.ts';

const options = z
  .object({
    timeoutMs: int(1, 120_000).default(30_000).describe('hold time asked of the server, ms'),
    keepAlive: oneOrManyBooleans().default(true),
  })
  .strict()
  .prefault({});

type Options = z.output<typeof options>;

/** HTTP long polling: `GET /long-poll?since=N`, held until an update comes. */
export const longPoll: TransportDescriptor = {
  name: 'long-poll',
  kind: 'poll',
  label: 'long polling',
  colour: '#8e44ad',
  upstream: 'http-post',
  firstRequest: 'GET /long-poll without since (answered at once, as /poll)',
  scenarioOptions: { key: 'longPoll', schema: options },
  cellVariants(raw, workload) {
    const o = raw as Options;
    return pollVariants(o.keepAlive, workload, [{ long_poll_timeout_ms: o.timeoutMs }]);
  },

  labelParts: () => [],
  latencyModel: (p, rttUs) =>
    longPollModel(
      rttUs,
      p.keep_alive,
      p.burst ? { size: p.burst.size, gapMs: p.burst.gap_ms } : null,
    ),
  server: longPollServer,
  client: createLongPollClient,
};
