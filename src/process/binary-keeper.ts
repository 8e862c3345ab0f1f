/**
 * Keeps one external program (redis-server, haproxy) on a leash: a forked Node child that spawns
 * it and kills it when feedbench goes away. External programs do not watch their parent; this
 * process does (`exitWithParent`: its IPC channel closes however the orchestrator dies), so no
 * program feedbench starts outlives it. Options as JSON in argv[2]: `{command, args}`.
 */
import { spawn } from 'node:child_process';
import { serveIpc } from './ipc.ts';

const { command, args } = JSON.parse(process.argv[2] ?? '{}') as {
  command: string;
  args: string[];
};
const program = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
let stderr = '';
program.stderr.on('data', (chunk: Buffer) => {
  if (stderr.length < 2000) stderr += chunk.toString();
});
let leaving = false;
// Like exitWithParent, but the program is reaped before this process exits: a killed child that
// nobody waits for lingers as a zombie.
const leave = () => {
  leaving = true;
  if (program.exitCode !== null || program.signalCode !== null) process.exit(0);
  program.kill('SIGKILL');
};
process.once('disconnect', leave);
process.once('SIGTERM', leave);
process.once('SIGINT', () => {
  /* Ctrl-C reaches the whole process group: the parent decides, and ends us if need be. */
});
if (!process.connected) leave();
program.once('error', (error) => {
  console.error(`${command}: ${error.message}`);
  process.exit(1);
});
program.once('exit', (code, signal) => {
  if (leaving) process.exit(0);
  console.error(
    `${command} exited (${signal ?? `code ${code}`})${stderr ? `: ${stderr.trim().slice(0, 500)}` : ''}`,
  );
  process.exit(1);
});
program.once('spawn', () => serveIpc({}, { pid: program.pid }));
