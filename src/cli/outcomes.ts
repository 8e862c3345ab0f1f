import { ScenarioError } from '../run/scenario.ts';
import { TargetError } from '../run/external-target.ts';
import { MergeError } from '../driver/merge-host-results.ts';
import { ResultsError } from '../results/index.ts';
import { IncomparableError } from '../gate/compare.ts';
import { ManifestError } from '../run/agents/k8s-manifest.ts';

/** How a command ended, as the one table of exit codes maps it (README, "Commands"). */
export type Outcome =
  'ok' | 'bad-input' | 'cells-errored' | 'regression' | 'floor-missed' | 'nonconformant';

/**
 * Exit codes, as in docs/contributing.md: errors inside a run are data; at the edge, coded exits.
 * `2` is the user's input (a scenario, results file, option or target); `5` a selftest or
 * calibration that measured a floor above its target (the measurement worked; the machine did not
 * meet it); `6` a target that failed a conformance case of the feed protocol.
 */
export const EXIT_CODES = {
  ok: 0,
  crash: 1,
  'bad-input': 2,
  'cells-errored': 3,
  regression: 4,
  'floor-missed': 5,
  nonconformant: 6,
} as const;

/** A command-line option that cannot be used as given: printed as it is, exit 2. */
export class UsageError extends Error {}

/** Errors that are the user's input, not a fault of feedbench: printed as they are, exit 2. */
export function isBadInput(error: unknown): error is Error {
  return (
    error instanceof UsageError ||
    error instanceof ScenarioError ||
    error instanceof ResultsError ||
    error instanceof TargetError ||
    error instanceof MergeError ||
    error instanceof IncomparableError ||
    error instanceof ManifestError
  );
}

/** The exit code of a command's outcome or of what it threw. */
export function exitCodeOf(outcome: Outcome | { error: unknown }): number {
  if (typeof outcome === 'string') return EXIT_CODES[outcome];
  return isBadInput(outcome.error) ? EXIT_CODES['bad-input'] : EXIT_CODES.crash;
}
