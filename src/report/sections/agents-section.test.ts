import { describe, expect, it } from 'vitest';
import { agentsSection } from './agents-section.ts';
import { erroredCell, okCell, syntheticRun } from '../../../test/helpers/synthetic-results.ts';

const member = (index: number, offset: number) => ({
  index,
  hostname: 'vm',
  address: `10.231.7.${index + 2}`,
  pid: 100 + index,
  clock_offset_us: offset,
  clock_rtt_us: 300,
});

describe('the load agents section', () => {
  it('is empty when no run had agents', () => {
    expect(agentsSection([syntheticRun([okCell({})])])).toBe('');
  });

  it("shows each agent's clock, each cell's shards, connect times and skew, and the agent lost", () => {
    const ok = okCell({ transport: 'websocket', clients: 30 });
    const lost = erroredCell({ transport: 'sse', clients: 30 }, 'agent 1 is gone');
    const run = {
      ...syntheticRun([ok, lost], 'agents'),
      agents: {
        count: 2,
        placement: 'namespaces' as const,
        coordinator: 'run' as const,
        members: [member(0, -40), member(1, 12)],
        cells: [
          {
            cell_id: ok.id,
            clients: [15, 15],
            connect_ms: [1_200, 1_500],
            window_open_late_us: [800, 2_900],
            start_skew_us: 2_100,
          },
        ],
        failure: { agent: 1, reason: 'its connection closed (1006)', cell_id: lost.id, cells_not_run: 2 },
      },
    };
    const html = agentsSection([run]);
    expect(html).toContain('agents: 2 agents, each in a network namespace of this host');
    expect(html).toContain('<td>10.231.7.3</td><td class="n">12</td><td class="n">&plusmn;150</td>');
    expect(html).toContain('<td class="n">15 / 15</td><td class="n">1.2 to 1.5</td><td class="n">0.8 to 2.9</td><td class="n">2.1</td>');
    expect(html).toContain(
      `Agent 1 was lost in cell ${lost.id}: its connection closed (1006). The run stopped there; 2 cells did not run.`,
    );
  });
});
