/**
 * The nftables rules that drop packets for a lossy profile, and how to read their counters back.
 * Pure text in and out, so the rules and their parsing are tested without root.
 */

/** The table feedbench owns inside a client namespace. */
export const LOSS_TABLE = 'feedbench_loss';

/** Resolution of the random draw: a loss is set to 0.01 %. */
const DRAW_RANGE = 10_000;

/**
 * The table for one side of a lossy link, replacing any earlier one. Packets are dropped where they
 * arrive, never where they leave: netfilter's verdict on a packet its own host sends comes back to
 * the sender as an error (EPERM), which is not what a lost packet is (Chromium's QUIC closes its
 * connection on it; TCP learns of the loss at once). So each side drops what comes in:
 * the clients' namespace the packets towards the clients (`in`), the hop's namespace the packets
 * from the clients' address (`out`). Each way has a counter of every packet, an outage chain that
 * the outage timer fills and empties, then a random drop of `lossPercent` of what is left.
 */
export function lossRuleset(
  side: 'clients' | 'hop',
  lossPercent: number,
  clientsAddress: string,
): string {
  const below = Math.round((lossPercent / 100) * DRAW_RANGE);
  const way = side === 'clients' ? 'in' : 'out';
  // On the hop's side, only what the clients send: its link to the server loses nothing.
  const match = side === 'clients' ? 'iifname != "lo"' : `ip saddr ${clientsAddress}`;
  return [
    `table inet ${LOSS_TABLE}`,
    `delete table inet ${LOSS_TABLE}`,
    `table inet ${LOSS_TABLE} {`,
    ...[`${way}_packets`, `${way}_dropped`, 'outage_dropped'].map(
      (name) => `  counter ${name} { }`,
    ),
    `  chain outage_${way} {`,
    '  }',
    `  chain ${way} {`,
    '    type filter hook input priority 0; policy accept;',
    `    ${match} counter name ${way}_packets jump outage_${way}`,
    ...(below > 0
      ? [`    ${match} numgen random mod ${DRAW_RANGE} < ${below} counter name ${way}_dropped drop`]
      : []),
    '  }',
    '}',
    '',
  ].join('\n');
}

/** Starts an outage on one side: everything coming in is dropped until `outageEnd`. */
export function outageStart(side: 'clients' | 'hop'): string {
  const way = side === 'clients' ? 'in' : 'out';
  return `add rule inet ${LOSS_TABLE} outage_${way} counter name outage_dropped drop`;
}

/** Ends an outage on one side. */
export function outageEnd(side: 'clients' | 'hop'): string {
  return `flush chain inet ${LOSS_TABLE} outage_${side === 'clients' ? 'in' : 'out'}`;
}

/** A side's counters, in packets: what came in, what was dropped at random, and in outages. */
export interface SideCounters {
  readonly packets: number;
  readonly dropped: number;
  readonly outage_dropped: number;
}

/** Both sides' counters ("in": towards the clients, "out": from them). */
export interface LossCounters {
  readonly in_packets: number;
  readonly in_dropped: number;
  readonly in_outage_dropped: number;
  readonly out_packets: number;
  readonly out_dropped: number;
  readonly out_outage_dropped: number;
}

/** Reads one side's counters out of `nft -j list counters table inet feedbench_loss`. */
export function parseSideCounters(json: string, side: 'clients' | 'hop'): SideCounters {
  const parsed = JSON.parse(json) as {
    nftables?: { counter?: { name: string; packets: number } }[];
  };
  const found = new Map<string, number>();
  for (const item of parsed.nftables ?? [])
    if (item.counter) found.set(item.counter.name, item.counter.packets);
  const read = (name: string) => {
    const value = found.get(name);
    if (value === undefined) throw new Error(`nft: no counter ${name} in table ${LOSS_TABLE}`);
    return value;
  };
  const way = side === 'clients' ? 'in' : 'out';
  return {
    packets: read(`${way}_packets`),
    dropped: read(`${way}_dropped`),
    outage_dropped: read('outage_dropped'),
  };
}

/** Both sides' counters as one record. */
export function bothSides(clients: SideCounters, hop: SideCounters): LossCounters {
  return {
    in_packets: clients.packets,
    in_dropped: clients.dropped,
    in_outage_dropped: clients.outage_dropped,
    out_packets: hop.packets,
    out_dropped: hop.dropped,
    out_outage_dropped: hop.outage_dropped,
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
