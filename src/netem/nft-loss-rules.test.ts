import { describe, expect, it } from 'vitest';
import {
  LOSS_TABLE,
  lossRuleset,
  outageEnd,
  outageStart,
  parseLossCounters,
  parseTcpSnmp,
} from './nft-loss-rules.ts';

describe('the loss rules', () => {
  it('drop the set share of packets each way, drawn to 0.01 %, after counting every packet', () => {
    const rules = lossRuleset(2);
    expect(rules).toContain('numgen random mod 10000 < 200 counter name in_dropped drop');
    expect(rules).toContain('numgen random mod 10000 < 200 counter name out_dropped drop');
    expect(rules.indexOf('counter name in_packets')).toBeLessThan(rules.indexOf('jump outage_in'));
    expect(lossRuleset(0.25)).toContain('< 25 counter');
  });

  it('replace the table whole, and at 0 % count without dropping', () => {
    const rules = lossRuleset(0);
    expect(rules.startsWith(`table inet ${LOSS_TABLE}\ndelete table inet ${LOSS_TABLE}\n`)).toBe(
      true,
    );
    expect(rules).not.toContain('numgen');
    expect(rules).toContain('hook input');
    expect(rules).toContain('hook output');
  });

  it('start an outage in both directions and end it by emptying its chains', () => {
    expect(outageStart().split('\n')).toEqual([
      `add rule inet ${LOSS_TABLE} outage_in counter name outage_dropped drop`,
      `add rule inet ${LOSS_TABLE} outage_out counter name outage_dropped drop`,
    ]);
    expect(outageEnd()).toContain(`flush chain inet ${LOSS_TABLE} outage_out`);
  });
});

describe('reading the counters back', () => {
  const counter = (name: string, packets: number) => ({
    counter: { family: 'inet', name, table: LOSS_TABLE, handle: 5, packets, bytes: packets * 60 },
  });

  it("takes each named counter's packets from nft's JSON", () => {
    const json = JSON.stringify({
      nftables: [
        { metainfo: { version: '1.0.6' } },
        counter('in_packets', 4890),
        counter('in_dropped', 90),
        counter('out_packets', 3697),
        counter('out_dropped', 84),
        counter('outage_dropped', 0),
      ],
    });
    expect(parseLossCounters(json)).toEqual({
      in_packets: 4890,
      in_dropped: 90,
      out_packets: 3697,
      out_dropped: 84,
      outage_dropped: 0,
    });
  });

  it('says which counter is missing', () => {
    const json = JSON.stringify({ nftables: [counter('in_packets', 1)] });
    expect(() => parseLossCounters(json)).toThrow(
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
