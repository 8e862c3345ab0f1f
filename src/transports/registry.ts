import { pathToFileURL } from 'node:url';
import { isAbsolute, resolve } from 'node:path';
import type { TransportDescriptor } from './descriptor.ts';
import { longPoll } from './long-poll/descriptor.ts';
import { rawTcp } from './raw-tcp/descriptor.ts';
import { shortPoll } from './short-poll/descriptor.ts';
import { sse } from './sse/descriptor.ts';
import { webSocket } from './websocket/descriptor.ts';
import { required } from '../metrics/required.ts';

/**
 * The transports feedbench ships, in the order tables and charts list them. Adding one is a folder
 * and a line here.
 */
const BUILT_IN: readonly TransportDescriptor[] = [shortPoll, longPoll, sse, webSocket, rawTcp];

/**
 * Descriptor modules named in FEEDBENCH_TRANSPORTS (comma-separated paths, each exporting
 * `transport`), loaded in every process of a run (children inherit the environment): a transport
 * kept outside this tree, or a test's, takes part like a built-in one.
 */
async function extraTransports(): Promise<TransportDescriptor[]> {
  const paths = (process.env.FEEDBENCH_TRANSPORTS ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const loaded: TransportDescriptor[] = [];
  for (const path of paths) {
    const module = (await import(pathToFileURL(isAbsolute(path) ? path : resolve(path)).href)) as {
      transport?: TransportDescriptor;
    };
    if (!module.transport)
      throw new Error(`FEEDBENCH_TRANSPORTS: ${path} exports no \`transport\` descriptor`);
    loaded.push(module.transport);
  }
  return loaded;
}

const ALL: readonly TransportDescriptor[] = [...BUILT_IN, ...(await extraTransports())];
const BY_NAME = new Map(ALL.map((t) => [t.name, t]));
if (BY_NAME.size !== ALL.length) throw new Error('two transports share a name');

/** Every registered transport, the floor included. */
export function allTransports(): readonly TransportDescriptor[] {
  return ALL;
}

/** The transports under test (poll and push), in table order: what a scenario may name. */
export function transportsUnderTest(): readonly TransportDescriptor[] {
  return ALL.filter((t) => t.kind !== 'floor');
}

/** The measurement floor (raw TCP). */
export function floorTransport(): TransportDescriptor {
  return required(
    ALL.find((t) => t.kind === 'floor'),
    'the raw TCP floor transport',
  );
}

/**
 * A transport by name, or undefined for a name no descriptor has (a results file from elsewhere).
 */
export function findTransport(name: string): TransportDescriptor | undefined {
  return BY_NAME.get(name);
}

/**
 * A transport by name; a name no descriptor has is a programming error here (scenarios are
 * validated first).
 */
export function transportNamed(name: string): TransportDescriptor {
  const transport = BY_NAME.get(name);
  if (!transport)
    throw new Error(
      `no transport named ${JSON.stringify(name)} (known: ${ALL.map((t) => t.name).join(', ')})`,
    );
  return transport;
}

/** The kind of a transport by name (`poll`, `push`, `floor`), or undefined when unknown. */
export function kindOf(name: string): TransportDescriptor['kind'] | undefined {
  return BY_NAME.get(name)?.kind;
}
