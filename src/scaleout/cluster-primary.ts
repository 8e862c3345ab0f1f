/**
 * The built-in load balancer: Node's `cluster` primary, holding one listening port and handing
 * each accepted connection to the next of K server instances (its workers, round-robin). Data
 * never passes through it. It relays the orchestrator's requests to an instance
 * (`instance: {index, kind, payload}`) and never replaces a worker that dies: the failover
 * experiment kills one on purpose. Options as JSON in argv[2]: `{instances, server}`.
 */
import cluster, { type Worker } from 'node:cluster';
import { createRequire } from 'node:module';
import { IpcClient, serveIpc } from '../process/ipc.ts';
import { exitWithParent } from '../process/exit-with-parent.ts';
import { freePort } from '../process/external-program.ts';
import type { ClusterProtocol, InstanceOptions } from './scaleout-messages.ts';
import type { ServerProtocol } from '../server/server-messages.ts';
import { required } from '../metrics/required.ts';

const { instances, server } = JSON.parse(process.argv[2] ?? '{}') as {
  instances: number;
  server: InstanceOptions;
};
const port = await freePort();
cluster.schedulingPolicy = cluster.SCHED_RR;
cluster.setupPrimary({
  exec: new URL('./instance-process.ts', import.meta.url).pathname,
  args: [JSON.stringify({ ...server, port })],
  execArgv: ['--import', createRequire(import.meta.url).resolve('tsx'), '--expose-gc'],
});
const workers: { worker: Worker; ipc: IpcClient<ServerProtocol>; pid: number }[] = [];
exitWithParent(() => {
  for (const { worker } of workers) worker.process.kill('SIGKILL');
});
for (let i = 0; i < instances; i++) {
  const worker = cluster.fork();
  const ready = new Promise<void>((resolve, reject) => {
    worker.on('message', (message: { kind?: string }) => {
      if (message?.kind === 'ready') resolve();
    });
    worker.once('exit', (code, signal) =>
      reject(new Error(`instance ${i} exited before it was ready (${signal ?? `code ${code}`})`)),
    );
  });
  await ready;
  workers.push({
    worker,
    ipc: new IpcClient<ServerProtocol>(worker.process, `instance ${i}`),
    pid: required(worker.process.pid, `instance ${i}'s pid`),
  });
}

serveIpc<ClusterProtocol>(
  {
    instance: ({ index, kind, payload, timeoutMs }) => {
      const target = workers[index];
      if (!target) throw new Error(`no instance ${index}`);
      // Relayed as it came: the instance checks the payload of its own protocol.
      return target.ipc.request(kind, payload as never, timeoutMs);
    },
  },
  { port, pids: workers.map((w) => w.pid) },
);
