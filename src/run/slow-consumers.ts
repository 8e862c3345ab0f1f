/**
 * The slow-consumer dimension of a scenario: k clients beside the normal ones that read slowly
 * (or stop for a while), and the server's policy for push connections that fall behind. Its
 * scenario block, its cells' parameters and the server options it sets live here, so the matrix,
 * the rig and the validator each take it in one line.
 */
import { z } from 'zod';
import {
  DEFAULT_SLOW_CONSUMER_LIMITS,
  SLOW_CONSUMER_POLICIES,
  type SlowConsumerLimits,
} from '../protocol/feed-protocol.ts';
import { int, oneOrMany } from '../transports/shared/option-schemas.ts';
import type { SlowRead } from '../transports/shared/read-gate.ts';
import type { TransportDescriptor } from '../transports/descriptor.ts';
import { listOf } from '../transports/descriptor.ts';
import type { CellParams } from '../results/index.ts';

/** The scenario's `slowConsumers` block. */
export const SlowConsumersBlock = z
  .object({
    clients: oneOrMany(int(0, 10_000), 'an integer from 0 to 10000').describe(
      'slow clients per cell, beside `clients` normal ones (a list with 0 gives the cell without them to compare with)',
    ),
    readBytesPerSec: int(1, 1_000_000_000)
      .optional()
      .describe('each slow client reads at most this many bytes a second'),
    pause: z
      .object({
        afterMs: int(0, 3_600_000).describe("from the window's start, ms"),
        forMs: int(1, 3_600_000).describe('how long, ms'),
      })
      .strict()
      .optional()
      .describe('slow clients stop reading for a while, then read again'),
    policy: oneOrMany(z.enum(SLOW_CONSUMER_POLICIES), '"disconnect" or "skip-to-latest"')
      .default(DEFAULT_SLOW_CONSUMER_LIMITS.policy)
      .describe(
        "what feedbench's server does to a push connection past maxQueuedBytes (value or list); polling has no policy: a slow poller asks less often",
      ),
    maxQueuedBytes: int(16 * 1024, 1024 ** 3)
      .default(DEFAULT_SLOW_CONSUMER_LIMITS.maxQueuedBytes)
      .describe(
        'bytes one push connection may have outstanding (socket plus history not yet written)',
      ),
  })
  .strict()
  .refine(
    (b) => b.readBytesPerSec !== undefined || b.pause !== undefined,
    'give readBytesPerSec, pause or both: how the slow clients read',
  )
  .describe(
    'slow consumers: how the server bounds what it holds for a client that cannot keep up, and what that costs everyone (README "Slow consumers")',
  );

/** The validated block. */
export type SlowConsumers = z.output<typeof SlowConsumersBlock>;

/** A cell's slow-consumer parameters. */
export type SlowConsumerParams = NonNullable<CellParams['slow_consumers']>;

/**
 * The slow-consumer variants of a transport's cells: each slow-client count, and for a push
 * transport each policy (a policy means nothing to polling); [null] without the block.
 */
export function slowConsumerVariants(
  block: SlowConsumers | undefined,
  kind: TransportDescriptor['kind'],
): (SlowConsumerParams | null)[] {
  if (!block || kind === 'floor') return [null];
  const policies = kind === 'push' ? listOf(block.policy) : [null];
  return listOf(block.clients).flatMap((clients) =>
    policies.map((policy) => ({
      clients,
      read_bytes_per_s: block.readBytesPerSec ?? null,
      pause_after_ms: block.pause?.afterMs ?? null,
      pause_for_ms: block.pause?.forMs ?? null,
      policy,
      max_queued_bytes: block.maxQueuedBytes,
    })),
  );
}

/** The server's slow-consumer limits for a cell: its own, else the defaults. */
export function slowConsumerLimits(params: CellParams): SlowConsumerLimits {
  const s = params.slow_consumers;
  return s
    ? {
        maxQueuedBytes: s.max_queued_bytes,
        policy: s.policy ?? DEFAULT_SLOW_CONSUMER_LIMITS.policy,
      }
    : DEFAULT_SLOW_CONSUMER_LIMITS;
}

/** How a cell's slow clients read, for their driver; null when the cell has none. */
export function slowRead(params: CellParams): SlowRead | null {
  const s = params.slow_consumers;
  if (!s || s.clients === 0) return null;
  return {
    ...(s.read_bytes_per_s !== null ? { bytesPerSec: s.read_bytes_per_s } : {}),
    ...(s.pause_after_ms !== null && s.pause_for_ms !== null
      ? { pause: { afterMs: s.pause_after_ms, forMs: s.pause_for_ms } }
      : {}),
  };
}
