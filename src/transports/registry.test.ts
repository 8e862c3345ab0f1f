import { describe, expect, it } from 'vitest';
import { cellLabel } from './cell-label.ts';
import {
  allTransports,
  findTransport,
  floorTransport,
  kindOf,
  transportNamed,
  transportsUnderTest,
} from './registry.ts';
import { okCell } from '../../test/helpers/synthetic-results.ts';

describe('the transport registry', () => {
  it('lists the four transports under test in table order, and the floor apart', () => {
    expect(transportsUnderTest().map((t) => t.name)).toEqual([
      'short-poll',
      'long-poll',
      'sse',
      'websocket',
    ]);
    expect(floorTransport().name).toBe('raw-tcp');
    expect(allTransports()).toHaveLength(5);
    expect([kindOf('short-poll'), kindOf('sse'), kindOf('raw-tcp'), kindOf('pigeon')]).toEqual([
      'poll',
      'push',
      'floor',
      undefined,
    ]);
  });

  it('names the known transports when asked for one it does not have', () => {
    expect(findTransport('pigeon')).toBeUndefined();
    expect(() => transportNamed('pigeon')).toThrow(
      /no transport named "pigeon" \(known: short-poll, long-poll, sse, websocket, raw-tcp\)/,
    );
  });

  it('gives every descriptor a distinct label and colour', () => {
    const all = allTransports();
    expect(new Set(all.map((t) => t.label)).size).toBe(all.length);
    expect(new Set(all.map((t) => t.colour)).size).toBe(all.length);
  });
});

describe('a cell label', () => {
  it('says what differs from the plain case, the transport adding its own parts', () => {
    const { params } = okCell({
      transport: 'short-poll',
      clients: 50,
      rate_per_s: 10,
      payload_bytes: 64,
      poll_interval_ms: 250,
      poll_mode: 'fixed-period',
      keep_alive: false,
      tls: true,
    });
    expect(cellLabel(params)).toBe('short-poll 50c 10/s 64B every 250ms no-keepalive tls');
  });

  it('calls an echo over HTTP a POST, whichever polling transport carried it', () => {
    const { params } = okCell({
      transport: 'long-poll',
      workload: 'echo',
      clients: 1,
      rate_per_s: 100,
      payload_bytes: 16,
    });
    expect(cellLabel(params)).toBe('echo HTTP POST 1c 100/s 16B');
  });
});
