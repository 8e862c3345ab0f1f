import type { CellParams } from '../results/index.ts';

/**
 * Why a cell cannot run on its server (docs/servers.md), or null when it can. feedbench's own
 * server and node-http run the same transport code, so every cell runs on both; only a target,
 * which is a server of its own, leaves the dimension out.
 */
export function serverReason(params: CellParams, target: string | undefined): string | null {
  if (params.server === 'feedbench' || !target) return null;
  return `a target is a server feedbench did not start: the server dimension ("${params.server}") applies to servers the run starts`;
}
