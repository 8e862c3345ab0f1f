import type { ChildProcess } from 'node:child_process';

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

/** A handler in a child for one kind of request; what it returns (or resolves to) is the reply. */
export type IpcHandler = (payload: any) => unknown;

/**
 * Child side: answers the parent's requests with `handlers` and announces readiness with `info`
 * (its port, say). A handler that throws answers with the error's message.
 */
export function serveIpc(handlers: Record<string, IpcHandler>, info: Record<string, unknown>): void {
  process.on('message', async (message: IpcRequest) => {
    if (typeof message?.id !== 'number') return;
    const handler = handlers[message.kind];
    let answer: IpcReply;
    try {
      if (!handler) throw new Error(`no handler for ${message.kind}`);
      answer = { id: message.id, reply: await handler(message.payload) };
    } catch (error) {
      answer = { id: message.id, error: (error as Error).message ?? String(error) };
    }
    process.send?.(answer);
  });
  process.send?.({ kind: 'ready', info } satisfies ReadyMessage);
}

/** Parent side: request/reply over a child's IPC channel, with a time limit per request. */
export class IpcClient {
  #nextId = 1;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();

  constructor(private readonly child: ChildProcess, private readonly name: string) {
    child.on('message', (message: IpcReply) => {
      const pending = typeof message?.id === 'number' ? this.#pending.get(message.id) : undefined;
      if (!pending) return;
      this.#pending.delete(message.id);
      clearTimeout(pending.timer);
      if (message.error !== undefined) pending.reject(new Error(`${this.name}: ${message.error}`));
      else pending.resolve(message.reply);
    });
    child.once('exit', (code, signal) => this.#rejectAll(new Error(`${this.name} exited (${signal ?? `code ${code}`})`)));
  }

  /** Sends a request and resolves with the child's reply; rejects on error, exit or time-out. */
  request<T>(kind: string, payload: unknown, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const id = this.#nextId++;
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`${this.name} did not answer ${kind} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      if (!this.child.connected) {
        this.#pending.delete(id);
        clearTimeout(timer);
        reject(new Error(`${this.name} is not running`));
        return;
      }
      this.child.send({ id, kind, payload } satisfies IpcRequest);
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
