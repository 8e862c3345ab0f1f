import type { ServerProcessOptions } from '../../server/server-messages.ts';
import { DEFAULT_SERVER_OPTIONS } from '../../server/feed-server.ts';
import type { TlsMaterial } from '../../server/tls-certificate.ts';
import { SELF_ORIGIN } from '../../protocol/origins.ts';
import { transportNamed, transportsUnderTest } from '../../transports/registry.ts';
import type { Cell } from '../cells.ts';
import type { Scenario } from '../scenario.ts';
import { slowConsumerLimits } from '../slow-consumers.ts';

/**
 * Deliberate regressions from the environment, for checking that the gate catches them:
 * FEEDBENCH_INJECT_DELAY_MS delays every fan-out, FEEDBENCH_INJECT_HEADER_BYTES pads HTTP answers.
 */
function injectedRegressions(): Pick<ServerProcessOptions, 'inject'> {
  const delayMs = Number(process.env.FEEDBENCH_INJECT_DELAY_MS ?? 0);
  const headerBytes = Number(process.env.FEEDBENCH_INJECT_HEADER_BYTES ?? 0);
  return delayMs > 0 || headerBytes > 0 ? { inject: { delayMs, headerBytes } } : {};
}

/**
 * The server options of a cell: defaults, then what each transport takes from the cell and its
 * scenario block.
 */
export function serverOptions(
  cell: Cell,
  scenario: Scenario,
  tls: TlsMaterial | undefined,
): ServerProcessOptions {
  const p = cell.params;
  const fromTransports = transportsUnderTest().map(
    (t) =>
      t.serverOptions?.(p, t.scenarioOptions ? scenario[t.scenarioOptions.key] : undefined) ?? {},
  );
  const ownListener = transportNamed(p.transport).ownListener ? [p.transport] : [];
  return {
    ...DEFAULT_SERVER_OPTIONS,
    host: '127.0.0.1',
    port: 0,
    framework: p.server === 'node-http' ? 'none' : 'express',
    slowConsumers: slowConsumerLimits(p),
    ...(Object.assign({}, ...fromTransports) as Partial<ServerProcessOptions>),
    ownListeners: ownListener,
    ...(tls ? { tls, alpn: p.http === '2' ? ['h2', 'http/1.1'] : ['http/1.1'] } : {}),
    ...(p.origin_check ? { allowedOrigins: [SELF_ORIGIN] } : {}),
    ...injectedRegressions(),
  };
}

/** What a kept server is matched on: its options (a certificate by the fact of it) and cores. */
export function serverKey(options: ServerProcessOptions, cores: number[] | undefined): string {
  return JSON.stringify({ ...options, tls: options.tls !== undefined, cores });
}
