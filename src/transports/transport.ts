import type { IncomingHttpHeaders, Server as Http1Server, ServerResponse } from 'node:http';
import type { Http2Server } from 'node:http2';
import type { Publisher } from '../feed/publisher.ts';
import type { WireCounter } from '../metrics/wire-counter.ts';
import type { TimedByteLog } from '../metrics/timed-byte-log.ts';
import type { HeaderProfile } from './shared/header-profiles.ts';
import type { ReconnectPolicy } from './shared/reconnect-policy.ts';
import type { ReadGate } from './shared/read-gate.ts';
import type { SharedHttp2Connection } from './shared/http2-share.ts';
import type { SlowConsumerCounts } from './shared/push-cursor.ts';
import type { SlowConsumerLimits } from '../protocol/feed-protocol.ts';

/** What the pages need to reach a front proxy. */
export interface BrowserNetwork {
  /** The name the pages use (Chromium will not use QUIC to an IP literal). */
  readonly hostName: string;
  /** The address it maps to: loopback, or the proxy's namespace. */
  readonly address: string;
  readonly port: number;
  /** Base64 SHA-256 of the proxy certificate's public key (for QUIC, which ignores a context's
   * `ignoreHTTPSErrors`). */
  readonly spki: string;
  /** Use QUIC (HTTP/3) to the origin from the first request, without waiting for Alt-Svc. */
  readonly quic: boolean;
}

/** Server-side options of the transports, set per server process. */
export interface ServerTransportOptions {
  /** WebSocket permessage-deflate (RFC 7692); off by default (docs/metrics.md, fairness rules). */
  readonly wsCompression: boolean;
  /** Interval of SSE heartbeat comments in ms; 0 sends none. */
  readonly sseHeartbeatMs: number;
  /**
   * SSE: end every open event stream this often, ms (the reconnect experiment); absent or 0, never.
   */
  readonly sseDropEveryMs?: number;
  /**
   * SSE: the `retry:` field sent at each stream's start, ms (EventSource's reconnection time);
   * absent, none.
   */
  readonly sseRetryMs?: number;
  /**
   * How far a push connection may fall behind, and what happens past that (docs/protocol.md "Slow
   * consumers").
   */
  readonly slowConsumers: SlowConsumerLimits;
  /** Long polls held at once; past that one is answered `503 busy`. */
  readonly maxHeldLongPolls: number;
  /**
   * Origins a browser's request may come from (`self`: the server's own); absent, every origin
   * (docs/protocol.md "Origins").
   */
  readonly allowedOrigins?: readonly string[];
}

/**
 * The two protocol servers behind the one listening port; neither listens itself. A transport
 * that leaves HTTP's request/answer (WebSocket) takes its connections from them: HTTP/1.1
 * `upgrade` events, HTTP/2 `connect` events (RFC 8441 extended CONNECT streams).
 */
export interface ProtocolServers {
  readonly http1: Http1Server;
  readonly http2: Http2Server;
}

/**
 * What a transport's handler reads of a request, on either front: Express's request or the bare
 * node:http one (docs/servers.md). Both HTTP versions' header names are lower case.
 */
export interface FeedRequest {
  readonly headers: IncomingHttpHeaders;
  /** The query string's parameters (a repeated one as a list). */
  readonly query: Readonly<Record<string, unknown>>;
}

/** A GET endpoint's handler; the response is HTTP/1.1's or HTTP/2's compatibility one. */
export type FeedHandler = (req: FeedRequest, res: ServerResponse) => void;

/** Where a transport registers its GET endpoints: an Express Router, or the bare dispatcher. */
export interface FeedRoutes {
  get(path: string, handler: FeedHandler): void;
}

/** The server half of a transport: mounts its endpoint on the shared HTTP server. */
export interface ServerTransport {
  readonly name: string;
  /**
   * Registers its endpoints on the routes both HTTP versions share (and, for WebSocket, its upgrade
   * and CONNECT handlers on the protocol servers) and subscribes to the feed.
   */
  mount(routes: FeedRoutes, servers: ProtocolServers, publisher: Publisher): void;
  /** Clients currently held open by this transport (streams, sockets, held polls). */
  heldConnections(): number;
  /** What the slow-consumer policy did to this transport's connections (push transports). */
  slowConsumerCounts?(): SlowConsumerCounts;
  /** Ends held requests and sockets so the server can close promptly. */
  close(): void;
}

/** Where a client transport reports what it sees; the driver's recorder implements it. */
export interface ClientRecorder {
  /**
   * An update arrived at `recvUs` (µs, monotonic); `bytes` is its JSON size on the wire.
   * `received` is its data string or its whole JSON as it came (for a chat message's sender stamp).
   */
  update(seq: number, ts: number, bytes: number, recvUs: number, received?: string | Buffer): void;
  /** A poll (short or long) completed carrying `updates` updates. */
  pollCompleted(updates: number, recvUs: number): void;
  /** A connection became usable after `setupUs` µs, having spent `handshakeBytes` to get there. */
  connected(setupUs: number, handshakeBytes: number): void;
  /** Something failed; the client carries on if its transport can. */
  error(message: string): void;
  /** A browser page loaded the feed's origin over `protocol` (its nextHopProtocol: h3, h2, ...). */
  nextHop?(protocol: string): void;
}

/** Where and how a client connects. */
export interface ClientOptions {
  readonly host: string;
  readonly port: number;
  /** Local address to connect from (spreads connections over 127.x source addresses). */
  readonly localAddress?: string;
  /**
   * PEM certificate of the server to trust; present means TLS (https, wss); empty: the system's CAs
   * (an https target).
   */
  readonly tlsCa?: string;
  /**
   * HTTP version: `1.1`, `2` (h2 by ALPN over TLS, h2c with prior knowledge without), or `3`
   * (browser pages through caddy only).
   */
  readonly http: '1.1' | '2' | '3';
  /**
   * Browser pages behind a front proxy (caddy): the name, address, certificate key and QUIC they
   * reach it by.
   */
  readonly browserNetwork?: BrowserNetwork;
  /**
   * Browser clients: the page is of the feed's own origin, or of another (a page of this driver's
   * on another loopback port).
   */
  readonly pageOrigin?: 'same' | 'other';
  /**
   * HTTP/2: the connection this client shares with others (set by the driver, not sent over IPC);
   * absent, a connection of its own.
   */
  readonly sharedHttp2?: SharedHttp2Connection;
  /**
   * HTTP/2: split this client's connection's bytes frame by frame (default true). The driver splits
   * a sample of its connections: the tap costs CPU on every chunk (docs/driver.md).
   */
  readonly h2FrameSplit?: boolean;
  /**
   * Which request headers polling and SSE requests carry (docs/claims.md: headers decide overhead).
   */
  readonly headerProfile: HeaderProfile;
  /**
   * The server's protocol when it is not the feed protocol: `nchan` (polling speaks its
   * `Last-Modified`/`Etag` cursor; SSE and WebSocket read its messages as they are), or
   * `socket.io` (long polling and WebSocket speak Engine.IO 4 and Socket.IO 5).
   */
  readonly dialect?: 'nchan' | 'socket.io';
  /** WebSocket over Socket.IO: start by long polling and upgrade. */
  readonly upgradeFromPolling?: boolean;
  /** Short polling: ms between polls. */
  readonly pollIntervalMs: number;
  /**
   * Short polling: delay of this client's first poll within the period, ms. The driver spreads
   * clients evenly over the period; without it a client picks a random phase.
   */
  readonly pollPhaseMs?: number;
  /**
   * Short polling: `fixed-period` polls every interval; `sleep-after-response` waits the interval
   * after each answer.
   */
  readonly pollMode: 'fixed-period' | 'sleep-after-response';
  /** Polling: reuse one connection (true) or open one per poll with `Connection: close`. */
  readonly keepAlive: boolean;
  /** Long polling: hold time asked of the server, ms. */
  readonly longPollTimeoutMs: number;
  /** WebSocket: offer permessage-deflate. */
  readonly wsCompression: boolean;
  /**
   * SSE and WebSocket: reconnect after a dropped connection, resuming from the last seq received
   * (`Last-Event-ID`, `?since=`). Absent: a drop is an error and the client stays down (polling
   * clients always carry on with their next poll).
   */
  readonly reconnect?: ReconnectPolicy;
  /**
   * A slow consumer's gate (set by the driver, not sent over IPC): its sockets read as the gate
   * lets them.
   */
  readonly readGate?: ReadGate;
}

/**
 * A client-to-server message (docs/protocol.md): publish to everyone, or echo back to the sender.
 */
export type UpstreamKind = 'publish' | 'echo';

/** The client half of a transport: one virtual client. */
export interface FeedClient {
  /** Opens the connection (and for polling, makes the first poll); resolves when usable. */
  connect(): Promise<void>;
  /**
   * Sends a publish or echo upstream (a frame over WebSocket, a POST on another connection over
   * HTTP); resolves when its acknowledgement or echo has come back.
   */
  send(kind: UpstreamKind, data: string, id: string): Promise<void>;
  /** Stops polling and closes sockets; no more recorder calls afterwards. */
  close(): void;
  /** Bytes this client's sockets moved, handshakes included. */
  readonly wire: WireCounter;
  /** A browser page's bytes as the browser itself counted them, by time (browser clients only). */
  readonly countedByBrowser?: TimedByteLog;
}

/** Makes a virtual client of one transport. */
export type ClientFactory = (options: ClientOptions, recorder: ClientRecorder) => FeedClient;
