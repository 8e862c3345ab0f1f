import { hostname } from 'node:os';
import { WebSocket } from 'ws';
import { startChild, stopChild, type StartedChild } from '../process/children.ts';
import type { DriverProtocol } from '../driver/driver-messages.ts';
import { nowUs } from '../metrics/clock.ts';
import {
  REFUSED_CLOSE_CODE,
  type AgentLimits,
  type ToAgent,
  type ToCoordinator,
} from './agent-messages.ts';

const DRIVER_MODULE = new URL('../driver/driver-process.ts', import.meta.url);
/**
 * How long an agent waits without the coordinator's heartbeat (it pings every 5 s) before it takes
 * the coordinator for gone, ms.
 */
const COORDINATOR_SILENCE_MS = 30_000;
/** Pause between tries to reach a coordinator that is not listening yet, ms. */
const RETRY_MS = 500;

/** Who this agent is and where its coordinator is. */
export interface AgentOptions {
  readonly index: number;
  readonly agents: number;
  /** The coordinator's WebSocket URL (ws://host:port/agents). */
  readonly coordinatorUrl: string;
  /** How long to keep trying to reach the coordinator, ms. */
  readonly arriveTimeoutMs: number;
  /** Source address of this agent's clients (a rehearsal without namespaces: 127.0.0.x). */
  readonly localAddress?: string | undefined;
  /** What this host allows the agent's driver, for the coordinator's check of its shards. */
  readonly limits: AgentLimits;
  /** Stops the agent while it is still trying to reach its coordinator (agent 0's own). */
  readonly signal?: AbortSignal;
}

/** How an agent's part ended: the coordinator said the run was over, or it was lost. */
export type AgentEnd = { readonly ended: true } | { readonly ended: false; readonly why: string };

/** Opens a WebSocket (from `localAddress` when given), or rejects with why it could not. */
function open(url: string, localAddress: string | undefined): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, {
      maxPayload: 16 * 1024 * 1024,
      ...(localAddress ? { localAddress } : {}),
    });
    ws.once('open', () => resolve(ws));
    ws.once('error', (error) => reject(error));
  });
}

/**
 * Connects to the coordinator from the agent's own address, trying again until the deadline or
 * until the agent's signal aborts.
 */
async function reach(url: string, deadlineMs: number, options: AgentOptions): Promise<WebSocket> {
  const { signal, localAddress } = options;
  for (;;) {
    try {
      return await open(url, localAddress);
    } catch (error) {
      if (signal?.aborted) throw new Error(`stopped before it reached the coordinator at ${url}`);
      if (Date.now() + RETRY_MS > deadlineMs)
        throw new Error(
          `the coordinator at ${url} could not be reached within the arrival time-out (--arrive-timeout-ms): ${(error as Error).message}`,
        );
      await new Promise((r) => setTimeout(r, RETRY_MS));
    }
  }
}

/**
 * One load agent: starts its driver process, registers with the coordinator, answers its clock
 * pings and relays its driver requests to the driver until the coordinator ends the run or is
 * lost. The driver is stopped either way.
 */
export async function runAgent(options: AgentOptions): Promise<AgentEnd> {
  const driver = await startChild<DriverProtocol>(
    `driver of agent ${options.index}`,
    DRIVER_MODULE,
    [],
    {
      readyTimeoutMs: 20_000,
    },
  );
  try {
    let ws: WebSocket;
    try {
      ws = await reach(options.coordinatorUrl, Date.now() + options.arriveTimeoutMs, options);
    } catch (error) {
      return { ended: false, why: (error as Error).message };
    }
    return await serve(ws, driver, options);
  } finally {
    await stopChild(driver);
  }
}

/** Registers on an open connection and serves the coordinator until the end. */
function serve(
  ws: WebSocket,
  driver: StartedChild<DriverProtocol>,
  options: AgentOptions,
): Promise<AgentEnd> {
  const send = (message: ToCoordinator) => ws.send(JSON.stringify(message));
  send({
    type: 'register',
    index: options.index,
    agents: options.agents,
    pid: process.pid,
    hostname: hostname(),
    limits: options.limits,
  });
  return new Promise((resolve) => {
    let ended = false;
    let heardAt = Date.now();
    ws.on('ping', () => (heardAt = Date.now()));
    const watch = setInterval(() => {
      if (Date.now() - heardAt < COORDINATOR_SILENCE_MS) return;
      resolve({
        ended: false,
        why: `the coordinator sent no heartbeat for ${COORDINATOR_SILENCE_MS / 1000} s`,
      });
      ws.terminate();
    }, 1_000);
    ws.once('close', () => clearInterval(watch));
    ws.on('message', (data) => {
      let message: ToAgent;
      try {
        message = JSON.parse((data as Buffer).toString()) as ToAgent;
      } catch {
        ws.close(1007, 'not JSON');
        return;
      }
      if (message.type === 'ping') send({ type: 'pong', id: message.id, clockUs: nowUs() });
      else if (message.type === 'end') {
        ended = true;
        resolve({ ended: true });
        ws.close(1000);
      } else void relay(message, driver, options).then(send);
    });
    ws.on('close', (code, reason) => {
      if (ended) return;
      const refused = code === REFUSED_CLOSE_CODE ? `refused: ${String(reason)}` : `code ${code}`;
      resolve({ ended: false, why: `the coordinator's connection closed (${refused})` });
    });
    ws.on('error', () => {});
  });
}

/** Carries one driver request out on the agent's driver and answers with its reply or error. */
async function relay(
  message: Extract<ToAgent, { type: 'request' }>,
  driver: StartedChild<DriverProtocol>,
  options: AgentOptions,
): Promise<ToCoordinator> {
  let payload = message.payload;
  if (message.kind === 'connect' && options.localAddress) {
    const connect = payload as DriverProtocol['connect']['request'];
    payload = { ...connect, client: { ...connect.client, localAddress: options.localAddress } };
  }
  try {
    const kind = message.kind as keyof DriverProtocol;
    const reply = await driver.ipc.request(kind, payload as never, message.timeoutMs);
    return { type: 'reply', id: message.id, reply };
  } catch (error) {
    return { type: 'reply', id: message.id, error: (error as Error).message };
  }
}
