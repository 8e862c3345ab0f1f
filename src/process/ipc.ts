import type { ChildProcess } from 'node:child_process';

/** How long a parent waits for a child's answer by default, ms: the one IPC time limit. */
export const IPC_TIMEOUT_MS = 10_000;

/**
 * The requests one process pair exchanges: for each request kind, what the parent sends and
 * what the child answers. Each pair (server, driver, ...) declares one, in its `*-messages.ts`.
 */
export type IpcProtocol = Record<string, { readonly request: unknown; readonly reply: unknown }>;

/** Handlers in a child, one per request kind of its protocol. */
export type IpcHandlers<P extends IpcProtocol> = {
  [K in keyof P]: (payload: P[K]['request']) => P[K]['reply'] | Promise<P[K]['reply']>;
};

/** A request from a parent to a child process. */
interface IpcRequest {
  readonly id: number;
  readonly kind: string;
  readonly payload: unknown;
}

/** A child's answer to one request. */
interface IpcReply {
  readonly id: number;
  readonly reply?: unknown;
  readonly error?: string;
}

/** The message a child sends once it can take requests. */
export interface ReadyMessage {
  readonly kind: 'ready';
  readonly info: Record<string, unknown>;
}

const isRequest = (m: unknown): m is IpcRequest =>
  typeof m === 'object' &&
  m !== null &&
  typeof (m as IpcRequest).id === 'number' &&
  typeof (m as IpcRequest).kind === 'string';
const isReply = (m: unknown): m is IpcReply =>
  typeof m === 'object' && m !== null && typeof (m as IpcReply).id === 'number' && !('kind' in m);

/**
 * Child side: answers the parent's requests with `handlers` and announces readiness with `info`
 * (its port, say). A request of a kind the protocol does not have, or a handler that throws,
 * answers with an error the parent rejects with.
 */
export function serveIpc<P extends IpcProtocol>(
  handlers: IpcHandlers<P>,
  info: Record<string, unknown>,
): void {
  process.on('message', (message: unknown) => void answerRequest(handlers, message));
  process.send?.({ kind: 'ready', info } satisfies ReadyMessage);
}

/** Answers one request from the parent with its handler's reply, or with the error it threw. */
async function answerRequest<P extends IpcProtocol>(
  handlers: IpcHandlers<P>,
  message: unknown,
): Promise<void> {
  if (!isRequest(message)) return;
  let answer: IpcReply;
  try {
    if (!Object.hasOwn(handlers, message.kind)) throw new Error(`no handler for ${message.kind}`);
    answer = { id: message.id, reply: await handlers[message.kind as keyof P](message.payload) };
  } catch (error) {
    answer = { id: message.id, error: (error as Error).message ?? String(error) };
  }
  process.send?.(answer);
}

/** Parent side: request/reply over a child's IPC channel, with a time limit per request. */
export class IpcClient<P extends IpcProtocol = IpcProtocol> {
  #nextId = 1;
  readonly #pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();

  constructor(
    private readonly child: ChildProcess,
    private readonly name: string,
  ) {
    child.on('message', (message: unknown) => {
      if (!isReply(message)) return;
      const pending = this.#pending.get(message.id);
      if (!pending) return;
      this.#pending.delete(message.id);
      clearTimeout(pending.timer);
      if (message.error !== undefined) pending.reject(new Error(`${this.name}: ${message.error}`));
      else pending.resolve(message.reply);
    });
    child.once('exit', (code, signal) =>
      this.#rejectAll(new Error(`${this.name} exited (${signal ?? `code ${code}`})`)),
    );
    // A child dying while a request is on its way makes the channel fail: without a listener that
    // 'error' would end this process (it did, once: a cell timed out as its rig finished starting).
    child.on('error', (error) => this.#rejectAll(new Error(`${this.name}: ${error.message}`)));
  }

  /** Sends a request and resolves with the child's reply; rejects on error, exit or time-out. */
  request<K extends keyof P & string>(
    kind: K,
    payload: P[K]['request'],
    timeoutMs = IPC_TIMEOUT_MS,
  ): Promise<P[K]['reply']> {
    return new Promise((resolve, reject) => {
      if (!this.child.connected) {
        reject(new Error(`${this.name} is not running`));
        return;
      }
      const id = this.#nextId++;
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`${this.name} did not answer ${kind} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { resolve: resolve, reject, timer });
      this.child.send({ id, kind, payload } satisfies IpcRequest, (error) => {
        if (!error || !this.#pending.has(id)) return;
        this.#pending.delete(id);
        clearTimeout(timer);
        reject(new Error(`${this.name}: could not send ${kind} (${error.message})`));
      });
    });
  }

  #rejectAll(error: Error): void {
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.#pending.clear();
  }
}
