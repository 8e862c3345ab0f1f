import { InvalidArgumentError } from 'commander';
import { exitCodeOf, type Outcome } from './outcomes.ts';

/** Commander's parser for an option that takes a positive integer. */
export const positiveInt = (value: string): number => {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError('must be a positive integer');
  return Number(value);
};

/**
 * Runs a command and sets the exit code from its outcome (a long-running one, serve, keeps the
 * process alive).
 */
export const act =
  <A extends unknown[]>(command: (...args: A) => Outcome | Promise<Outcome>) =>
  async (...args: A) => {
    process.exitCode = exitCodeOf(await command(...args));
  };
