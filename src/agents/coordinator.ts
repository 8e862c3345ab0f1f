import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createReadStream } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  AGENT_PATH,
  REFUSED_CLOSE_CODE,
  ToCoordinatorSchema,
  type Registration,
} from './agent-messages.ts';
import { RemoteAgent } from './remote-agent.ts';

/** How long a new connection may take to register, ms. */
const REGISTER_TIMEOUT_MS = 5_000;
/**
 * How often the coordinator pings each agent's connection, ms: an agent that has not answered
 * the last ping by the next one is taken for gone (a host that died without closing its
 * connections would otherwise hold the run until its requests time out, one by one).
 */
export const HEARTBEAT_MS = 5_000;
/** The largest message an agent may send: a finish reply with its histograms is tens of KB. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** Where the coordinator listens and whom it waits for. */
export interface CoordinatorOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Agents of the run, 0..agents-1, every one awaited. */
  readonly agents: number;
  /** How long the last agent may take to arrive, ms. */
  readonly arriveTimeoutMs: number;
  /** How often each agent is pinged, ms (HEARTBEAT_MS unless a test wants it sooner). */
  readonly heartbeatMs?: number;
}

/**
 * The coordinator of a distributed run: agents register over a WebSocket, it waits for all of
 * them (no longer than the arrival time-out), measures each one's clock, and hands them to the
 * orchestrator as remote drivers. Its HTTP server also answers `GET /results` with the merged
 * results file once the run has one, and `GET /health` with who has arrived.
 */
export class AgentCoordinator {
  readonly #registered = new Map<number, RemoteAgent>();
  readonly #sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  #resultsPath: string | null = null;
  #onArrival: () => void = () => {};

  private constructor(
    private readonly http: Server,
    private readonly options: CoordinatorOptions,
  ) {}

  /** Starts listening; resolves once the port is open. */
  static async listen(options: CoordinatorOptions): Promise<AgentCoordinator> {
    const http = createServer();
    const coordinator = new AgentCoordinator(http, options);
    http.on('request', (req, res) => coordinator.#answer(req, res));
    http.on('upgrade', (req, socket, head) => {
      if (new URL(req.url ?? '/', 'http://x').pathname !== AGENT_PATH) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
        return;
      }
      // An IPv4 agent on a dual-stack listener is ::ffff:a.b.c.d: kept as a.b.c.d.
      coordinator.#sockets.handleUpgrade(req, socket, head, (ws) =>
        coordinator.#welcome(ws, req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? null),
      );
    });
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.port, options.host, () => resolve());
    });
    return coordinator;
  }

  /** The port it listens on. */
  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  /** The URL agents connect to. */
  get url(): string {
    const host = this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host;
    return `ws://${host}:${this.port}${AGENT_PATH}`;
  }

  /** Every agent that registered, by index. */
  get agents(): RemoteAgent[] {
    return [...this.#registered.values()].sort(
      (a, b) => a.registration.index - b.registration.index,
    );
  }

  /** The first agent whose connection was lost after it arrived, if any. */
  get lost(): RemoteAgent | undefined {
    return this.agents.find((a) => a.lost !== null);
  }

  /**
   * Waits for every agent, then measures their clocks: the agents in index order. Rejects after
   * the arrival time-out with the indices still missing.
   */
  async arrived(): Promise<RemoteAgent[]> {
    const { agents, arriveTimeoutMs } = this.options;
    await new Promise<void>((resolve, reject) => {
      const check = () => {
        if (this.#registered.size < agents) return;
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        const missing = Array.from({ length: agents }, (_, i) => i).filter(
          (i) => !this.#registered.has(i),
        );
        reject(
          new Error(
            `agent${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${agents} did not arrive within ${arriveTimeoutMs / 1000} s at ${this.url}`,
          ),
        );
      }, arriveTimeoutMs);
      this.#onArrival = check;
      check();
    });
    for (const agent of this.agents) await agent.measureClock();
    return this.agents;
  }

  /** The results file `GET /results` answers with from now on. */
  serveResults(path: string): void {
    this.#resultsPath = path;
  }

  /** Tells every agent the run is over, and stops listening. */
  async close(): Promise<void> {
    for (const agent of this.agents) agent.end();
    for (const ws of this.#sockets.clients) ws.close(1000, 'run over');
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  #welcome(ws: WebSocket, address: string | null): void {
    const refuse = (reason: string) => ws.close(REFUSED_CLOSE_CODE, reason.slice(0, 120));
    const timer = setTimeout(
      () => refuse(`no registration within ${REGISTER_TIMEOUT_MS} ms`),
      REGISTER_TIMEOUT_MS,
    );
    let agent: RemoteAgent | undefined;
    ws.on('message', (data) => {
      let parsed;
      try {
        parsed = ToCoordinatorSchema.safeParse(JSON.parse((data as Buffer).toString()));
      } catch {
        parsed = undefined;
      }
      if (!parsed?.success) return refuse('not an agent message');
      const message = parsed.data;
      if (agent) return agent.receive(message);
      if (message.type !== 'register') return refuse('an agent registers first');
      const problem = this.#refusal(message);
      if (problem) return refuse(problem);
      clearTimeout(timer);
      agent = new RemoteAgent(ws, message, address);
      this.#registered.set(message.index, agent);
      this.#onArrival();
    });
    let answered = true;
    const heartbeatMs = this.options.heartbeatMs ?? HEARTBEAT_MS;
    const heartbeat = setInterval(() => {
      if (!answered) {
        agent?.gone(`it did not answer a heartbeat within ${heartbeatMs} ms`);
        ws.terminate();
        return;
      }
      answered = false;
      ws.ping();
    }, heartbeatMs);
    ws.on('pong', () => (answered = true));
    ws.on('close', (code, reason) => {
      clearTimeout(timer);
      clearInterval(heartbeat);
      agent?.gone(`its connection closed (${code}${reason.length ? `: ${String(reason)}` : ''})`);
    });
    ws.on('error', () => {});
  }

  #refusal(r: Registration): string | null {
    const { agents } = this.options;
    if (r.agents !== agents) return `this run has ${agents} agents, not ${r.agents}`;
    if (r.index >= agents) return `index ${r.index} is not below ${agents}`;
    if (this.#registered.has(r.index)) return `agent ${r.index} is already registered`;
    return null;
  }

  #answer(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'GET' && path === '/health') {
      const arrived = this.agents.map((a) => a.registration.index);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ agents: this.options.agents, arrived }));
      return;
    }
    if (req.method === 'GET' && path === '/results' && this.#resultsPath) {
      res.writeHead(200, { 'content-type': 'application/json' });
      createReadStream(this.#resultsPath).pipe(res);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end(path === '/results' ? 'no results yet\n' : 'not found\n');
  }
}
