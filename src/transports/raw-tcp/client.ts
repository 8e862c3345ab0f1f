import { connect, type Socket } from 'node:net';
import type { ClientFactory, ClientOptions, ClientRecorder, FeedClient } from '../transport.ts';
import { WireCounter } from '../../metrics/wire-counter.ts';
import { nowUs } from '../../metrics/clock.ts';

/** Client of the raw TCP floor: splits lines, parses each update, records it. */
class RawTcpClient implements FeedClient {
  readonly wire = new WireCounter();
  #socket: Socket | undefined;

  constructor(
    private readonly options: ClientOptions,
    private readonly recorder: ClientRecorder,
  ) {}

  connect(): Promise<void> {
    const startUs = nowUs();
    return new Promise((resolve, reject) => {
      const socket = connect({
        host: this.options.host,
        port: this.options.port,
        localAddress: this.options.localAddress,
        noDelay: true,
      });
      this.#socket = socket;
      this.wire.track(socket);
      let partial = '';
      socket.setEncoding('utf8');
      socket.on('data', (text: string) => {
        const recvUs = nowUs();
        const lines = (partial + text).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          const update = JSON.parse(line) as { seq: number; ts: number };
          this.recorder.update(update.seq, update.ts, line.length, recvUs);
        }
      });
      socket.once('connect', () => {
        this.recorder.connected(nowUs() - startUs, 0);
        resolve();
      });
      socket.once('error', reject);
    });
  }

  /** The floor is one-way by design: it measures delivery without any protocol. */
  send(): Promise<void> {
    return Promise.reject(new Error('the raw TCP floor carries no upstream messages'));
  }

  close(): void {
    this.#socket?.destroy();
  }
}

/** Makes a raw TCP floor client. */
export const createRawTcpClient: ClientFactory = (options, recorder) =>
  new RawTcpClient(options, recorder);
