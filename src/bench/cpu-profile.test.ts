import { describe, expect, it } from 'vitest';
import { areaOf, summarizeProfile, type CpuProfile } from './cpu-profile.ts';

const frame = (functionName: string, url = '') => ({ functionName, url });

describe('areaOf', () => {
  it("names npm packages (scoped too), Node's subsystems, V8's pseudo-frames and our code", () => {
    expect(areaOf(frame('sendFrame', 'file:///p/node_modules/ws/lib/sender.js'))).toBe('ws');
    expect(areaOf(frame('x', 'file:///p/node_modules/@scope/pkg/index.js'))).toBe('@scope/pkg');
    expect(areaOf(frame('onStreamRead', 'node:internal/stream_base_commons'))).toBe('node stream');
    expect(areaOf(frame('request', 'node:internal/http2/core'))).toBe('node http2');
    expect(areaOf(frame('connect', 'node:net'))).toBe('node net');
    expect(areaOf(frame('(garbage collector)'))).toBe('GC');
    expect(areaOf(frame('(program)'))).toBe('V8 (program)');
    expect(areaOf(frame('(idle)'))).toBe('idle');
    expect(areaOf(frame('writev'))).toBe('native');
    expect(areaOf(frame('update', 'file:///p/src/driver/cell-recorder.ts'))).toBe('feedbench');
  });
});

describe('summarizeProfile', () => {
  it('gives each sample the gap to the next, leaves idle out of the busy time, ranks by time', () => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(idle)') },
        { id: 2, callFrame: frame('parse', 'file:///p/src/transports/sse/parser.ts') },
        { id: 3, callFrame: frame('sendFrame', 'file:///p/node_modules/ws/lib/sender.js') },
      ],
      startTime: 0,
      endTime: 10_000,
      // Samples at 0, 1, 4, 6 and 10 ms: parse 1 ms + 2 ms, ws 3 ms, idle 4 ms, the last none.
      samples: [2, 3, 2, 1, 3],
      timeDeltas: [0, 1_000, 3_000, 2_000, 4_000],
    };
    const summary = summarizeProfile(profile);
    expect(summary.wallMs).toBe(10);
    expect(summary.busyMs).toBe(6);
    expect(summary.areas).toEqual([
      { name: 'feedbench', ms: 3, share: 0.5 },
      { name: 'ws', ms: 3, share: 0.5 },
    ]);
    expect(summary.functions.map((f) => f.name)).toEqual(['parse [feedbench]', 'sendFrame [ws]']);
    expect(summarizeProfile(profile, 1).functions).toHaveLength(1);
  });
});
