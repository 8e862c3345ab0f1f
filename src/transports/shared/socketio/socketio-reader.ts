import { Decoder, PacketType, type Packet } from 'socket.io-parser';
import { SOCKETIO_UPDATE_EVENT } from './socketio-names.ts';

/** What a Socket.IO client hears on its main namespace. */
export interface SocketIoEvents {
  /** The namespace is joined (`40{"sid":...}`). */
  connected(): void;
  /** One `update` event: its seq, scheduled time and the update's JSON size. */
  update(seq: number, ts: number, bytes: number, data: string): void;
  /** The server refused the namespace, or sent what is not Socket.IO. */
  failed(message: string): void;
}

/** `2["update",` and `]`: what an update event adds around the update's JSON. */
const EVENT_WRAPPER_BYTES = Buffer.byteLength(`2["${SOCKETIO_UPDATE_EVENT}",]`);

/**
 * Reads the Socket.IO packets (protocol 5, npm `socket.io-parser`) that Engine.IO `message`
 * packets carry, for one client: the connect answer and `update` events, each update's
 * `{seq, ts, data}` as the server emitted it.
 */
export class SocketIoReader {
  readonly #decoder = new Decoder();
  #bytes = 0;
  #wasUpdate = false;

  constructor(events: SocketIoEvents) {
    this.#decoder.on('decoded', (packet: Packet) => {
      if (packet.type === PacketType.CONNECT) events.connected();
      else if (packet.type === PacketType.CONNECT_ERROR)
        events.failed(`Socket.IO refused the namespace: ${JSON.stringify(packet.data)}`);
      else if (packet.type === PacketType.EVENT && Array.isArray(packet.data)) {
        const [name, update] = packet.data as [
          unknown,
          { seq?: unknown; ts?: unknown; data?: unknown },
        ];
        if (
          name !== SOCKETIO_UPDATE_EVENT ||
          typeof update?.seq !== 'number' ||
          typeof update.ts !== 'number'
        )
          return;
        this.#wasUpdate = true;
        events.update(
          update.seq,
          update.ts,
          this.#bytes - EVENT_WRAPPER_BYTES,
          String(update.data),
        );
      }
    });
  }

  /** Reads one Engine.IO message's data (a Socket.IO packet as text); true when an update. */
  read(data: string): boolean {
    this.#bytes = Buffer.byteLength(data);
    this.#wasUpdate = false;
    this.#decoder.add(data);
    return this.#wasUpdate;
  }
}

/** The Socket.IO packet that joins the main namespace (`0`, in an Engine.IO message: `40`). */
export const CONNECT_PACKET = '0';
