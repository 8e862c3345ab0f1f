import { describe, expect, it, vi } from 'vitest';
import { Encoder, PacketType } from 'socket.io-parser';
import { SocketIoReader } from './socketio-reader.ts';

/** A Socket.IO packet as the server's own encoder writes it. */
const encode = (packet: Parameters<Encoder['encode']>[0]) =>
  String(new Encoder().encode(packet)[0]);

function newReader() {
  const events = { connected: vi.fn(), update: vi.fn(), failed: vi.fn() };
  return { events, reader: new SocketIoReader(events) };
}

describe('SocketIoReader', () => {
  it("reads an update event's seq and time, and the update's own JSON size without the event around it", () => {
    const { events, reader } = newReader();
    const update = { seq: 7, ts: 1_000_123, data: 'abc' };
    const packet = encode({ type: PacketType.EVENT, nsp: '/', data: ['update', update] });
    expect(packet).toBe(`2["update",${JSON.stringify(update)}]`);
    expect(reader.read(packet)).toBe(true);
    expect(events.update).toHaveBeenCalledWith(7, 1_000_123, JSON.stringify(update).length, 'abc');
  });

  it('hears the namespace joined or refused, and passes over other events', () => {
    const { events, reader } = newReader();
    expect(reader.read(encode({ type: PacketType.CONNECT, nsp: '/', data: { sid: 'x' } }))).toBe(
      false,
    );
    expect(events.connected).toHaveBeenCalledOnce();
    reader.read(encode({ type: PacketType.EVENT, nsp: '/', data: ['chat', { seq: 1, ts: 2 }] }));
    expect(events.update).not.toHaveBeenCalled();
    reader.read(encode({ type: PacketType.CONNECT_ERROR, nsp: '/', data: { message: 'no' } }));
    expect(events.failed).toHaveBeenCalledWith('Socket.IO refused the namespace: {"message":"no"}');
  });
});
