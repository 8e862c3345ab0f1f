import { describe, expect, it } from 'vitest';
import { cellNetwork, profileOfCell } from './cell-network.ts';
import { parseScenario, ScenarioError } from './scenario.ts';
import { expandCells } from './cells.ts';
import { NETWORK_PROFILES } from '../netem/profiles.ts';
import { minimalScenario as minimal } from '../../test/helpers/minimal-scenario.ts';

describe("a cell's network", () => {
  it('is a built-in name with its settings recorded, or loopback with none', () => {
    expect(cellNetwork('loopback')).toEqual({ network: 'loopback', network_profile: null });
    expect(cellNetwork('3g-lossy')).toEqual({
      network: '3g-lossy',
      network_profile: {
        rtt_ms: 300,
        bandwidth_bps: 1.6e6,
        jitter_ms: 20,
        loss_percent: 2,
        outage: null,
      },
    });
    expect(cellNetwork('handover').network_profile?.outage).toEqual({
      every_ms: 10_000,
      for_ms: 1_500,
    });
  });

  it('names an inline profile from its settings, keeping a loss of 0 (the baseline on the same link)', () => {
    expect(cellNetwork({ rttMs: 40, lossPercent: 2 }).network).toBe('rtt40-loss2');
    expect(cellNetwork({ rttMs: 0, lossPercent: 0 }).network).toBe('loss0');
    expect(cellNetwork({ rttMs: 0, outage: { everyMs: 5000, forMs: 500 } }).network).toBe(
      'outage500per5000',
    );
    expect(cellNetwork({ name: 'my-link', rttMs: 10 }).network).toBe('my-link');
    expect(profileOfCell(cellNetwork({ rttMs: 0, lossPercent: 0 }))).toEqual({
      rttMs: 0,
      lossPercent: 0,
    });
  });

  it('gives back the settings it recorded, and a built-in name’s for files without them', () => {
    for (const [name, profile] of Object.entries(NETWORK_PROFILES))
      expect(profileOfCell(cellNetwork(name as keyof typeof NETWORK_PROFILES))).toEqual(profile);
    expect(profileOfCell({ network: 'mobile', network_profile: null })).toEqual(
      NETWORK_PROFILES.mobile,
    );
    expect(profileOfCell({ network: 'loopback', network_profile: null })).toBeNull();
  });

  it('comes from a scenario’s names and objects, one cell each', () => {
    const s = parseScenario(
      { ...minimal, network: ['loopback', { lossPercent: 1 }, { rttMs: 40, lossPercent: 3 }] },
      'm',
    );
    expect(expandCells(s).map((c) => c.params.network)).toEqual([
      'loopback',
      'loss1',
      'rtt40-loss3',
    ]);
  });

  it('refuses an inline profile out of range, field by field', () => {
    const problems = (network: unknown) => {
      try {
        parseScenario({ ...minimal, network }, 'f.json');
      } catch (error) {
        if (error instanceof ScenarioError) return error.problems;
      }
      return [];
    };
    expect(problems({ lossPercent: 60 })).toEqual([
      'network.lossPercent: Too big: expected number to be <=50',
    ]);
    expect(problems([{ outage: { everyMs: 1000, forMs: 1000 } }])).toEqual([
      'network.0.outage: forMs must be below everyMs',
    ]);
    expect(problems('dial-up')).toEqual([
      expect.stringMatching(
        /^network: must be one of "loopback", .*"handover", or a profile object/,
      ),
    ]);
  });
});
