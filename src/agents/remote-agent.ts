import type { WebSocket } from 'ws';
import type { DriverProtocol } from '../driver/driver-messages.ts';
import { IPC_TIMEOUT_MS } from '../process/ipc.ts';
import { nowUs } from '../metrics/clock.ts';
import type { Registration, ToAgent, ToCoordinator } from './agent-messages.ts';

/** Clock pings per agent: the one with the shortest round trip gives the offset (as NTP). */
const CLOCK_SAMPLES = 8;

/** An agent's clock against the coordinator's, from its fastest ping. */
export interface AgentClock {
  /** The agent's monotonic clock minus the coordinator's, µs. */
  readonly offsetUs: number;
  /** Round trip of the ping it came from, µs: the offset is right to within half of it. */
  readonly rttUs: number;
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };

/**
 * A driver request's times moved from the coordinator's clock to an agent's (`offsetUs`: agent
 * minus coordinator). A target's clock offset (server minus driver) moves the other way.
 */
export function toAgentClock(kind: string, payload: unknown, offsetUs: number): unknown {
  const p = payload as Record<string, number | undefined>;
  if (kind === 'window')
    return {
      ...p,
      startUs: (p.startUs ?? 0) + offsetUs,
      endUs: (p.endUs ?? 0) + offsetUs,
      clockOffsetUs: (p.clockOffsetUs ?? 0) - offsetUs,
    };
  if (kind === 'upstream')
    return { ...p, startUs: (p.startUs ?? 0) + offsetUs, endUs: (p.endUs ?? 0) + offsetUs };
  if (kind === 'failure') return { ...p, atUs: (p.atUs ?? 0) + offsetUs };
  return payload;
}

/**
 * One registered agent, seen from the coordinator: a driver that runs elsewhere. Its `ipc` takes
 * the driver requests a local driver process takes, on the coordinator's clock, and rejects all
 * of them with a sentence once the agent's connection is gone.
 */
export class RemoteAgent {
  readonly name: string;
  /** Remote drivers are pinned, if at all, where they run. */
  readonly cores: number[] | undefined = undefined;
  clock: AgentClock = { offsetUs: 0, rttUs: 0 };
  /** Why the agent is gone (its connection closed); null while it is there. */
  lost: string | null = null;
  /** How long its last `connect` took, ms, as the coordinator timed it. */
  lastConnectMs: number | null = null;
  /** Its driver's lateness opening the last window, µs (from its `finish` reply). */
  lastWindowLateUs: number | null = null;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;

  constructor(
    private readonly socket: WebSocket,
    readonly registration: Registration,
    /** The address it connected from. */
    readonly address: string | null,
  ) {
    this.name = `agent ${registration.index}`;
  }

  /** The driver requests, as a driver process's IPC client takes them. */
  readonly ipc = {
    request: <K extends keyof DriverProtocol>(
      kind: K,
      payload: DriverProtocol[K]['request'],
      timeoutMs = IPC_TIMEOUT_MS,
    ): Promise<DriverProtocol[K]['reply']> => this.#driverRequest(kind, payload, timeoutMs),
  };

  async #driverRequest<K extends keyof DriverProtocol>(
    kind: K,
    payload: DriverProtocol[K]['request'],
    timeoutMs: number,
  ): Promise<DriverProtocol[K]['reply']> {
    const startedUs = nowUs();
    const moved = toAgentClock(kind, payload, this.clock.offsetUs);
    // The agent's own driver gets the time limit; the coordinator waits a little longer for its
    // answer to travel.
    const reply = (await this.#send(
      (id) => ({ type: 'request', id, kind, payload: moved, timeoutMs }),
      timeoutMs + 5_000,
      kind,
    )) as DriverProtocol[K]['reply'];
    if (kind === 'connect') this.lastConnectMs = (nowUs() - startedUs) / 1000;
    if (kind === 'finish')
      this.lastWindowLateUs = (reply as DriverProtocol['finish']['reply']).window_open_late_us;
    return reply;
  }

  /** Measures the agent's clock against this process's by pings; keeps the fastest. */
  async measureClock(samples = CLOCK_SAMPLES): Promise<AgentClock> {
    let best: AgentClock | undefined;
    for (let i = 0; i < samples; i++) {
      const sentUs = nowUs();
      const agentUs = (await this.#send((id) => ({ type: 'ping', id }), 2_000, 'ping')) as number;
      const backUs = nowUs();
      const rttUs = backUs - sentUs;
      if (!best || rttUs < best.rttUs)
        best = { offsetUs: Math.round(agentUs - (sentUs + backUs) / 2), rttUs };
    }
    this.clock = best ?? this.clock;
    return this.clock;
  }

  /** Tells the agent the run is over. */
  end(): void {
    if (this.lost === null) this.socket.send(JSON.stringify({ type: 'end' } satisfies ToAgent));
  }

  /** A message from the agent: a clock answer or a driver reply. */
  receive(message: ToCoordinator): void {
    if (message.type === 'register') return;
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    clearTimeout(pending.timer);
    if (message.type === 'pong') pending.resolve(message.clockUs);
    else if (message.error !== undefined)
      pending.reject(new Error(`${this.name}: ${message.error}`));
    else pending.resolve(message.reply ?? null);
  }

  /** The agent's connection closed: every request waiting on it fails with `reason`. */
  gone(reason: string): void {
    this.lost ??= reason;
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(new Error(`${this.name} is gone: ${reason}`));
    }
    this.#pending.clear();
  }

  #send(message: (id: number) => ToAgent, timeoutMs: number, what: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (this.lost !== null) {
        reject(new Error(`${this.name} is gone: ${this.lost}`));
        return;
      }
      const id = this.#nextId++;
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`${this.name} did not answer ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      this.socket.send(JSON.stringify(message(id)));
    });
  }
}
