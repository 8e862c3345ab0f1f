import type { AgentsRecord, ResultsFile } from '../../results/index.ts';
import { escapeHtml } from '../page/escape-html.ts';
import { cellLabel } from '../../transports/cell-label.ts';

const PLACEMENT: Record<AgentsRecord['placement'], string> = {
  namespaces: 'each in a network namespace of this host, with its own address',
  loopback: "as processes on this host's 127.0.0.x (no network namespaces)",
  hosts: 'on hosts of their own (`feedbench agent`)',
};

const ms = (us: number | null) => (us === null ? '–' : (us / 1000).toFixed(1));
const range = (values: readonly (number | null)[], format: (v: number) => string) => {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return '–';
  const [low, high] = [Math.min(...known), Math.max(...known)];
  return low === high ? format(low) : `${format(low)} to ${format(high)}`;
};

/** One run's agents: who they were, their clocks, and each cell's shards, connect times and skew. */
function runAgents(run: ResultsFile, agents: AgentsRecord): string {
  const members = agents.members.map(
    (m) =>
      `<tr><td class="n">${m.index}</td><td>${escapeHtml(m.hostname)}</td><td>${escapeHtml(m.address ?? '–')}</td><td class="n">${m.clock_offset_us}</td><td class="n">&plusmn;${Math.round(m.clock_rtt_us / 2)}</td></tr>`,
  );
  const label = new Map(run.cells.map((c) => [c.id, cellLabel(c.params)]));
  const cells = agents.cells.map(
    (c) =>
      `<tr><td>${escapeHtml(label.get(c.cell_id) ?? c.cell_id)}</td><td class="n">${c.clients.join(' / ')}</td><td class="n">${range(c.connect_ms, (v) => (v / 1000).toFixed(1))}</td><td class="n">${range(c.window_open_late_us, (v) => ms(v))}</td><td class="n">${ms(c.start_skew_us)}</td></tr>`,
  );
  const failure = agents.failure
    ? `<p class="flag">Agent ${agents.failure.agent} was lost in cell ${escapeHtml(agents.failure.cell_id ?? '(between cells)')}: ${escapeHtml(agents.failure.reason)}. The run stopped there; ${agents.failure.cells_not_run} cells did not run.</p>`
    : '';
  return `<h3>${escapeHtml(run.scenario.name)}: ${agents.count} agents, ${PLACEMENT[agents.placement]}; coordinated by ${agents.coordinator === 'run' ? 'the run' : 'agent 0'}</h3>
${failure}
<div class="scroll"><table><thead><tr><th>agent</th><th>host</th><th>address</th><th>clock offset µs</th><th>within µs</th></tr></thead><tbody>${members.join('')}</tbody></table></div>
<div class="scroll"><table><thead><tr><th>cell</th><th>clients per agent</th><th>connecting, s</th><th>window opened late, ms</th><th>start skew, ms</th></tr></thead><tbody>${cells.join('')}</tbody></table></div>`;
}

/**
 * The report's section on load agents: for each run that had them, its members with their clock
 * offsets, and each cell's shards, connect times and start skew. Empty when no run had agents.
 */
export function agentsSection(runs: readonly ResultsFile[]): string {
  const withAgents = runs.flatMap((run) => (run.agents ? [{ run, agents: run.agents }] : []));
  if (withAgents.length === 0) return '';
  return `<section id="agents"><h2>Load agents</h2>
<p>The clients ran on load agents, a contiguous shard of every cell each, and their histograms and counts were merged exactly into the cells above. Each agent's clock offset is its monotonic clock minus the coordinator's, from the fastest of 8 pings, right to within half that ping's round trip; every time sent to an agent was moved onto its clock. A window opens on each agent's own timer: its start skew is the spread of how late they opened.</p>
${withAgents.map(({ run, agents }) => runAgents(run, agents)).join('\n')}</section>`;
}
