import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem, type as osType } from 'node:os';
import { RESULTS_SCHEMA_VERSION, type ResultsFile } from './results-schema.ts';

function gitCommit(): { commit: string | null; dirty: boolean | null } {
  try {
    const cwd = new URL('../..', import.meta.url).pathname;
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() !== '';
    return { commit, dirty };
  } catch {
    return { commit: null, dirty: null };
  }
}

/** The package version from package.json. */
export function toolVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/**
 * A new, empty results file for a scenario about to run: the tool, the machine and the scenario as
 * run.
 */
export function newResults(scenario: ResultsFile['scenario']): ResultsFile {
  const { commit, dirty } = gitCommit();
  return {
    schema_version: RESULTS_SCHEMA_VERSION,
    tool: { name: 'feedbench', version: toolVersion(), commit, commit_dirty: dirty },
    machine: { node: process.version, os: `${osType()} ${release()}`, cpu_model: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memory_bytes: totalmem() },
    created_at: new Date().toISOString(),
    finished_at: null,
    complete: false,
    scenario,
    cells: [],
  };
}
