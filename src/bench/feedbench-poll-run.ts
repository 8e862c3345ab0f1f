import { setTimeout as sleep } from 'node:timers/promises';
import { startChild, stopChild } from '../process/children.ts';
import type { ConnectRequest, DriverProtocol } from '../driver/driver-messages.ts';
import { nowUs } from '../metrics/clock.ts';
import type { ToolRun } from './load-tools.ts';

/**
 * feedbench's polling driver as a load tool: `connections` clients polling `port`'s `/poll` back
 * to back (closed loop, empty answers) for `seconds`, over HTTP/1.1 or HTTP/2 (h2c, a connection
 * per client); its CPU from the driver's own accounting.
 */
export async function feedbenchPollRun(
  port: number,
  http: '1.1' | '2',
  connections: number,
  seconds: number,
  cores: readonly number[] | undefined,
): Promise<ToolRun> {
  const driver = await startChild<DriverProtocol>(
    'driver',
    new URL('../driver/driver-process.ts', import.meta.url),
    [],
    { ...(cores ? { cores: [...cores] } : {}), readyTimeoutMs: 20_000 },
  );
  try {
    const request: ConnectRequest = {
      transport: 'short-poll',
      workload: 'feed',
      firstIndex: 0,
      clients: connections,
      h2ClientsPerConnection: 1,
      clientKind: 'node',
      browserTabs: 1,
      connectConcurrency: connections,
      client: {
        host: '127.0.0.1',
        port,
        http,
        headerProfile: 'minimal',
        pollIntervalMs: 0,
        pollMode: 'sleep-after-response',
        keepAlive: true,
        longPollTimeoutMs: 30_000,
        wsCompression: false,
      },
    };
    await driver.ipc.request('connect', request, 30_000);
    const startUs = nowUs() + 500_000;
    const endUs = startUs + seconds * 1e6;
    await driver.ipc.request(
      'window',
      { startUs, endUs, saturation: { cpuShare: 0.9, eventLoopP99Ms: 20 } },
      10_000,
    );
    await sleep((endUs - nowUs()) / 1000 + 50);
    const result = await driver.ipc.request('finish', { first: 1, last: 0, drainMs: 0 }, 10_000);
    return {
      requests: result.wire.requests,
      seconds,
      cpuSeconds: result.driver.cpu_share * seconds,
    };
  } finally {
    await stopChild(driver);
  }
}
