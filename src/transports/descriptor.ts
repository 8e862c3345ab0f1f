import type { z } from 'zod';
import type { Publisher } from '../feed/publisher.ts';
import type { CellParams } from '../results/index.ts';
import type { LatencyModel } from '../stats/latency-models.ts';
import type { ClientFactory, ServerTransport, ServerTransportOptions } from './transport.ts';

/** The transport-specific parameters of a cell; null where one does not apply. */
export type TransportParams = Pick<
  CellParams,
  | 'poll_interval_ms'
  | 'poll_mode'
  | 'keep_alive'
  | 'long_poll_timeout_ms'
  | 'ws_compression'
  | 'ws_upgrade_from_polling'
  | 'sse_drop_every_ms'
  | 'sse_retry_ms'
>;

/** A cell's transport parameters when none applies. */
export const NO_TRANSPORT_PARAMS: TransportParams = {
  poll_interval_ms: null,
  poll_mode: null,
  keep_alive: null,
  long_poll_timeout_ms: null,
  ws_compression: null,
  ws_upgrade_from_polling: null,
  sse_drop_every_ms: null,
  sse_retry_ms: null,
};

/** What a transport's listener of its own (the raw TCP floor's) gives back once listening. */
export interface OwnListener {
  readonly port: number;
  close(): void;
}

/**
 * Everything the rest of feedbench knows about one transport: the server, the driver, the cell
 * matrix, the gate and the report read it, and nobody repeats it. One folder under
 * `src/transports/` holds a descriptor with its two halves; `registry.ts` lists it.
 */
export interface TransportDescriptor {
  /** The name in scenarios, results and `/health`. */
  readonly name: string;
  /**
   * `poll`: the client asks; `push`: the server sends; `floor`: the harness's own reference, not a
   * transport under test.
   */
  readonly kind: 'poll' | 'push' | 'floor';
  /** Words for people: tables, charts and claim cards. */
  readonly label: string;
  /** One colour on every chart. */
  readonly colour: string;
  /**
   * How a client sends upstream (chat, echo): a frame on its own connection, a POST on a second
   * connection as a browser's fetch() would, or not at all.
   */
  readonly upstream: 'same-connection' | 'http-post' | 'none';
  /**
   * A client's first request, in words, for an error that says which request a target left
   * unanswered.
   */
  readonly firstRequest: string;
  /**
   * The transport's block in a scenario file, by key, with its schema (defaults filled); absent
   * when it has none.
   */
  readonly scenarioOptions?: { readonly key: string; readonly schema: z.ZodType };
  /**
   * The cells' transport parameters from the scenario's block: one entry per combination of its
   * lists.
   */
  cellVariants(options: unknown, workload: CellParams['workload']): TransportParams[];
  /** Server-half options taken from a cell and the scenario's block. */
  serverOptions?(params: CellParams, options: unknown): Partial<ServerTransportOptions>;
  /** The transport's own words in a cell label (`every 250ms`). */
  labelParts(params: CellParams): string[];
  /** Expected delivery latency of a cell at `rttUs` (docs/claims.md, latency models). */
  latencyModel(params: CellParams, rttUs: number): LatencyModel;
  /**
   * The server half, mounted on the shared HTTP server; absent for a transport with a listener of
   * its own.
   */
  readonly server?: (options: ServerTransportOptions) => ServerTransport;
  /** A listener of its own, fed by the same publisher, started only when a cell asks for it. */
  readonly ownListener?: (publisher: Publisher, host: string) => Promise<OwnListener>;
  /** The client half: one virtual client. */
  readonly client: ClientFactory;
}

/** A value or a list of them, as a list. */
export const listOf = <T>(value: T | readonly T[]): readonly T[] =>
  Array.isArray(value) ? value : [value as T];

/**
 * The cell variants of an HTTP polling transport: each of `variants` (its own parameters: an
 * interval, a hold time) once per keep-alive setting. An echo is a POST, so for it only
 * keep-alive varies: the polling parameters do not apply.
 */
export function pollVariants(
  keepAlive: boolean | readonly boolean[],
  workload: CellParams['workload'],
  variants: readonly Partial<TransportParams>[],
): TransportParams[] {
  const perKeepAlive = listOf(keepAlive).map((k) => ({ ...NO_TRANSPORT_PARAMS, keep_alive: k }));
  if (workload === 'echo') return perKeepAlive;
  return variants.flatMap((variant) => perKeepAlive.map((base) => ({ ...base, ...variant })));
}
