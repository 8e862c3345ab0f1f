import { describe, expect, it } from 'vitest';
import {
  LOSS_TABLE,
  bothSides,
  lossRuleset,
  outageEnd,
  outageStart,
  parseSideCounters,
  parseTcpSnmp,
} from './nft-loss-rules.ts';

describe('the loss rules', () => {
  it('drop where packets arrive: at the clients what comes to them, at the hop what comes from the clients', () => {
    const clients = lossRuleset('clients', 2, '10.231.5.2');
    expect(clients).toContain('type filter hook input priority 0');
    expect(clients).not.toContain('hook output');
    expect(clients).toContain(
      'iifname != "lo" numgen random mod 10000 < 200 counter name in_dropped drop',
    );
    const hop = lossRuleset('hop', 2, '10.231.5.2');
    expect(hop).not.toContain('hook output');
    expect(hop).toContain(
      'ip saddr 10.231.5.2 numgen random mod 10000 < 200 counter name out_dropped drop',
    );
    expect(lossRuleset('hop', 0.25, '10.0.0.2')).toContain('< 25 counter');
  });

  it('count every packet before the outage and the draw', () => {
    const rules = lossRuleset('clients', 3, '10.231.5.2');
    expect(rules.indexOf('counter name in_packets jump outage_in')).toBeLessThan(
      rules.indexOf('numgen'),
    );
  });

  it('replace the table whole, and at 0 % count without dropping', () => {
    const rules = lossRuleset('clients', 0, '10.231.5.2');
    expect(rules.startsWith(`table inet ${LOSS_TABLE}\ndelete table inet ${LOSS_TABLE}\n`)).toBe(
      true,
    );
    expect(rules).not.toContain('numgen');
  });

  it('start an outage on a side and end it by emptying its chain', () => {
    expect(outageStart('clients')).toBe(
      `add rule inet ${LOSS_TABLE} outage_in counter name outage_dropped drop`,
    );
    expect(outageEnd('hop')).toBe(`flush chain inet ${LOSS_TABLE} outage_out`);
  });
});

describe('reading the counters back', () => {
  const counter = (name: string, packets: number) => ({
    counter: { family: 'inet', name, table: LOSS_TABLE, handle: 5, packets, bytes: packets * 60 },
  });
  const json = (...counters: ReturnType<typeof counter>[]) =>
    JSON.stringify({ nftables: [{ metainfo: { version: '1.0.6' } }, ...counters] });

  it("takes each side's counters from nft's JSON, and puts both sides together", () => {
    const clients = parseSideCounters(
      json(counter('in_packets', 4890), counter('in_dropped', 90), counter('outage_dropped', 7)),
      'clients',
    );
    const hop = parseSideCounters(
      json(counter('out_packets', 3697), counter('out_dropped', 84), counter('outage_dropped', 3)),
      'hop',
    );
    expect(clients).toEqual({ packets: 4890, dropped: 90, outage_dropped: 7 });
    expect(bothSides(clients, hop)).toEqual({
      in_packets: 4890,
      in_dropped: 90,
      in_outage_dropped: 7,
      out_packets: 3697,
      out_dropped: 84,
      out_outage_dropped: 3,
    });
  });

  it('says which counter is missing', () => {
    expect(() => parseSideCounters(json(counter('in_packets', 1)), 'clients')).toThrow(
      `nft: no counter in_dropped in table ${LOSS_TABLE}`,
    );
  });

  it("reads TCP's segments and retransmissions from /proc/net/snmp", () => {
    const snmp = [
      'Ip: Forwarding DefaultTTL InReceives',
      'Ip: 1 64 100',
      'Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors',
      'Tcp: 1 200 120000 -1 3 2 0 0 2 5210 4987 91 0 1 0',
      'Udp: InDatagrams',
      'Udp: 0',
    ].join('\n');
    expect(parseTcpSnmp(snmp)).toEqual({ outSegs: 4987, retransSegs: 91 });
    expect(() => parseTcpSnmp('Ip: x\nIp: 1')).toThrow('/proc/net/snmp: no Tcp lines');
  });
});
