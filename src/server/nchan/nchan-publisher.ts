import { connect, type Socket } from 'node:net';
import { ResponseParser } from '../../transports/shared/http1-response-parser.ts';

/** POSTs not yet answered past which a publish is dropped (and counted) rather than queued. */
export const MAX_PUBLISHES_IN_FLIGHT = 10_000;

/**
 * Publishes messages to an nchan publisher location by HTTP POST, pipelined on one keep-alive
 * connection: the requests go out in order, so nchan stores the messages in seq order, and none
 * waits for the answer to the one before (a request per round trip would cap the rate). A
 * connection that ends is replaced at the next publish.
 */
export class NchanPublisher {
  /** Publishes nchan did not accept (not 201 or 202), or that could not be sent. */
  failures = 0;
  #socket: Socket | undefined;
  #inFlight = 0;

  constructor(
    private readonly port: number,
    private readonly path = '/publish',
  ) {}

  /** Sends one message (the update's JSON) as a POST. */
  publish(json: string): void {
    if (this.#inFlight >= MAX_PUBLISHES_IN_FLIGHT) {
      this.failures++;
      return;
    }
    const socket = this.#socket ?? this.#open();
    const head =
      `POST ${this.path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(json)}\r\n\r\n`;
    this.#inFlight++;
    socket.write(head + json);
  }

  /** Ends the connection. */
  close(): void {
    this.#socket?.destroy();
  }

  #open(): Socket {
    const socket = connect({ port: this.port, host: '127.0.0.1', noDelay: true });
    const parser = new ResponseParser({
      onHead: (status) => {
        if (status !== 201 && status !== 202) this.failures++;
      },
      onBody: () => {},
      onEnd: () => this.#inFlight--,
    });
    socket.on('data', (data: Buffer) => parser.push(data));
    socket.on('error', () => socket.destroy());
    socket.once('close', () => {
      // What was sent and not answered is lost with the connection.
      this.failures += this.#inFlight;
      this.#inFlight = 0;
      if (this.#socket === socket) this.#socket = undefined;
    });
    this.#socket = socket;
    return socket;
  }
}
