/**
 * The nftables rules that drop packets for a lossy profile, and how to read their counters back.
 * Pure text in and out, so the rules and their parsing are tested without root.
 */

/** The table feedbench owns inside a client namespace. */
export const LOSS_TABLE = 'feedbench_loss';

/** Resolution of the random draw: a loss is set to 0.01 %. */
const DRAW_RANGE = 10_000;

/**
 * The whole table for one loss setting, replacing any earlier one: in each direction a counter of
 * every packet, an `outage_*` chain that the outage timer fills and empties, then a random drop
 * of `lossPercent` of what is left. Loss is drawn per packet and per direction.
 */
export function lossRuleset(lossPercent: number): string {
  const below = Math.round((lossPercent / 100) * DRAW_RANGE);
  const chain = (name: 'in' | 'out', hook: 'input' | 'output') => [
    `  chain outage_${name} {`,
    '  }',
    `  chain ${name} {`,
    `    type filter hook ${hook} priority 0; policy accept;`,
    // Loopback inside the namespace is not the link.
    '    meta iifname "lo" accept',
    '    meta oifname "lo" accept',
    `    counter name ${name}_packets`,
    `    jump outage_${name}`,
    ...(below > 0
      ? [`    numgen random mod ${DRAW_RANGE} < ${below} counter name ${name}_dropped drop`]
      : []),
    '  }',
  ];
  return [
    `table inet ${LOSS_TABLE}`,
    `delete table inet ${LOSS_TABLE}`,
    `table inet ${LOSS_TABLE} {`,
    ...['in_packets', 'in_dropped', 'out_packets', 'out_dropped', 'outage_dropped'].map(
      (name) => `  counter ${name} { }`,
    ),
    ...chain('in', 'input'),
    ...chain('out', 'output'),
    '}',
    '',
  ].join('\n');
}

/** Starts an outage: everything is dropped, both ways, until `outageEnd`. */
export function outageStart(): string {
  return ['in', 'out']
    .map((d) => `add rule inet ${LOSS_TABLE} outage_${d} counter name outage_dropped drop`)
    .join('\n');
}

/** Ends an outage. */
export function outageEnd(): string {
  return ['in', 'out'].map((d) => `flush chain inet ${LOSS_TABLE} outage_${d}`).join('\n');
}

/** The table's counters, in packets. */
export interface LossCounters {
  readonly in_packets: number;
  readonly in_dropped: number;
  readonly out_packets: number;
  readonly out_dropped: number;
  readonly outage_dropped: number;
}

/** Reads the counters out of `nft -j list counters table inet feedbench_loss`. */
export function parseLossCounters(json: string): LossCounters {
  const parsed = JSON.parse(json) as {
    nftables?: { counter?: { name: string; packets: number } }[];
  };
  const found = new Map<string, number>();
  for (const item of parsed.nftables ?? [])
    if (item.counter) found.set(item.counter.name, item.counter.packets);
  const read = (name: keyof LossCounters) => {
    const value = found.get(name);
    if (value === undefined) throw new Error(`nft: no counter ${name} in table ${LOSS_TABLE}`);
    return value;
  };
  return {
    in_packets: read('in_packets'),
    in_dropped: read('in_dropped'),
    out_packets: read('out_packets'),
    out_dropped: read('out_dropped'),
    outage_dropped: read('outage_dropped'),
  };
}

/** TCP's own counters of one namespace, from its /proc/net/snmp. */
export interface TcpCounters {
  readonly outSegs: number;
  readonly retransSegs: number;
}

/** The `Tcp:` lines of /proc/net/snmp: the header line names the values of the next. */
export function parseTcpSnmp(snmp: string): TcpCounters {
  const lines = snmp.split('\n').filter((line) => line.startsWith('Tcp:'));
  const [names, values] = lines.map((line) => line.split(/\s+/).slice(1));
  if (!names || !values) throw new Error('/proc/net/snmp: no Tcp lines');
  const value = (name: string) => {
    const at = names.indexOf(name);
    if (at < 0) throw new Error(`/proc/net/snmp: no Tcp ${name}`);
    return Number(values[at]);
  };
  return { outSegs: value('OutSegs'), retransSegs: value('RetransSegs') };
}
