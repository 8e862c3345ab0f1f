/**
 * The nchan server process: nginx with the nchan module (under a keeper, so it ends with
 * feedbench), and the feed's publisher POSTing each update to it. It answers the orchestrator as
 * feedbench's own server process does, with nginx's CPU, memory and connections read from /proc:
 * the publisher's own CPU is the application's, not nchan's, and is not counted. Options as JSON
 * in argv[2] (NchanProcessOptions).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuUsOf } from '../../metrics/process-tree.ts';
import { establishedOnPorts, memoryOf, schedCpuUsOf } from '../../metrics/proc-stats.ts';
import { serveIpc } from '../../process/ipc.ts';
import { exitWithParent } from '../../process/exit-with-parent.ts';
import { hasTaskset } from '../../process/children.ts';
import { freePort, startProgram } from '../../process/external-program.ts';
import { noSlowConsumerCounts } from '../../transports/shared/push-cursor.ts';
import type { ServerProtocol, ServerReadyInfo } from '../server-messages.ts';
import { nchanConfig } from './nchan-config.ts';
import { createTimedPublisher } from '../timed-publisher.ts';
import { publisherHandlers } from '../server-answers.ts';
import { NchanPublisher } from './nchan-publisher.ts';
import type { NchanProcessOptions } from './nchan-side.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as NchanProcessOptions;
const dir = mkdtempSync(join(tmpdir(), 'feedbench-nchan-'));
const [port, publishPort] = [await freePort(), await freePort()];
writeFileSync(
  join(dir, 'nginx.conf'),
  nchanConfig({
    dir,
    port,
    publishPort,
    http2: options.http2,
    bufferLength: options.bufferLength,
    longPollHoldMs: options.longPollHoldMs,
  }),
);
const nginxArgs = ['-c', join(dir, 'nginx.conf'), '-p', dir];
const cores = options.nginxCores;
const [command, args] =
  hasTaskset && cores && cores.length > 0
    ? ['taskset', ['-c', cores.join(','), 'nginx', ...nginxArgs]]
    : ['nginx', nginxArgs];
const nginx = await startProgram('nginx-nchan', command, args, publishPort);
const timed = createTimedPublisher(options.historySize, options.historyBytes);
const { publisher } = timed;
const poster = new NchanPublisher(publishPort);
publisher.onPublish((update) => poster.publish(update.json));
let reported = 0;
/** Says on stderr when publishes failed since the last sample: their updates show as lost. */
function reportFailures(): void {
  if (poster.failures === reported) return;
  console.error(`nchan: ${poster.failures - reported} publishes failed (their updates are lost)`);
  reported = poster.failures;
}
// However this process ends (its SIGTERM, its parent's death), the exit guards of children.ts end
// nginx and its keeper first; then its folder goes.
process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
exitWithParent(() => {
  publisher.stop();
  poster.close();
});

serveIpc<ServerProtocol>(
  {
    ...publisherHandlers(timed),
    sample: async () => {
      reportFailures();
      // CPU first, at the moment asked; the connection count takes the kernel a while.
      const cpuUs = schedCpuUsOf(nginx.pid, cpuUsOf);
      const memory = memoryOf(nginx.pid);
      return {
        cpuUs,
        ...memory,
        connections: await establishedOnPorts([port]),
        wireBytes: null,
        liveBytes: null,
        // The publisher spins in this process, never in nginx's.
        spinUs: 0,
        // nchan has no slow-consumer policy of feedbench's: it buffers per channel, not per client.
        slowConsumers: noSlowConsumerCounts(),
      };
    },
  },
  { port, ownPorts: {}, pid: nginx.pid } satisfies ServerReadyInfo,
);
