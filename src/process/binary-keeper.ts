/**
 * Keeps one external program (redis-server, haproxy) on a leash: a forked Node child that spawns
 * it and kills it when feedbench goes away. External programs do not watch their parent; this
 * process does (`exitWithParent`: its IPC channel closes however the orchestrator dies), so no
 * program feedbench starts outlives it. Options as JSON in argv[2]: `{command, args}`.
 */
import { spawn } from 'node:child_process';
import { serveIpc } from './ipc.ts';
import { exitWithParent } from './exit-with-parent.ts';

const { command, args } = JSON.parse(process.argv[2] ?? '{}') as { command: string; args: string[] };
const program = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
let stderr = '';
program.stderr.on('data', (chunk: Buffer) => {
  if (stderr.length < 2000) stderr += chunk.toString();
});
exitWithParent(() => program.kill('SIGKILL'));
program.once('error', (error) => {
  console.error(`${command}: ${error.message}`);
  process.exit(1);
});
program.once('exit', (code, signal) => {
  console.error(`${command} exited (${signal ?? `code ${code}`})${stderr ? `: ${stderr.trim().slice(0, 500)}` : ''}`);
  process.exit(1);
});
program.once('spawn', () => serveIpc({}, { pid: program.pid }));
