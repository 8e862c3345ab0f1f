import type { ClientRecorder } from '../transports/transport.ts';
import { createHistogram, recordValue } from '../metrics/histogram.ts';
import { DeliveryTracker } from './delivery-tracker.ts';
import { readChatStamp } from '../protocol/chat-stamp.ts';
import type { Workload } from './driver-messages.ts';
import { nowUs } from '../metrics/clock.ts';
import { StallTracker } from './stall-tracker.ts';

/** Width of a timeline bucket, and how many a window may have (10 minutes' worth). */
const TIMELINE_BUCKET_US = 100_000;
const MAX_TIMELINE_BUCKETS = 6_000;
/** After an instance is killed, updates scheduled within this span show the latency of recovery. */
export const RECOVERY_SPAN_US = 2_000_000;

/** Distinct error messages kept for the results (the count covers all). */
const KEPT_ERRORS = 5;

/**
 * Everything one driver process records in one cell, fed by its clients' recorders.
 * Latency and delivery count the updates *scheduled* inside the window (from `ts`); wire ratios
 * count what arrived while the window was open, so bytes and updates cover the same span.
 * Workloads: `feed` times an update from its scheduled publish time; `chat` from its sender's
 * scheduled send time (stamped in the message), at every client but the sender; `echo` times
 * the round trip of each upstream message instead.
 */
export class CellRecorder {
  readonly latencyUs = createHistogram();
  readonly connectUs = createHistogram();
  /** Chat: scheduled send to acknowledgement, µs. */
  readonly ackUs = createHistogram();
  /** Upstream messages scheduled inside the window: sent, answered (acked or echoed), failed. */
  readonly upstream = { sent: 0, answered: 0, failed: 0 };
  workload: Workload = 'feed';
  /** Whether an upstream message is an HTTP request of its own (a POST), counted with the polls. */
  upstreamIsHttp = false;
  /** When an instance was killed (failover experiment), µs; Infinity when none was. */
  failureAtUs = Infinity;
  /** Per client: the first connection error after the failure, and the first update after that. */
  readonly lostAtUs: number[] = [];
  readonly recoveredAtUs: number[] = [];
  /**
   * Updates scheduled from the failure on for `RECOVERY_SPAN_US`: the latency while clients came
   * back.
   */
  readonly afterFailureUs = createHistogram();
  /**
   * Slow consumers: when their pause ends, µs (Infinity: no pause); per client, when it first got
   * an update published after that.
   */
  resumedAtUs = Infinity;
  readonly caughtUpAtUs: number[] = [];
  /**
   * First arrivals per 100 ms of the window, by receive time; null unless asked for (scale-out
   * cells).
   */
  timeline: number[] | null = null;
  readonly trackers: DeliveryTracker[] = [];
  #windowStartUs = Infinity;
  #windowEndUs = Infinity;
  /**
   * Server clock minus this clock, µs: an update's `ts` is on the server's clock (0 for feedbench's
   * own server).
   */
  #clockOffsetUs = 0;
  /** True between the window's open and close snapshots. */
  measuring = false;
  updatesReceived = 0;
  payloadBytes = 0;
  requests = 0;
  /**
   * Upstream POSTs answered in the window (HTTP transports' chat and echo); polls are `requests`.
   */
  upstreamRequests = 0;
  emptyPolls = 0;
  handshakeBytes = 0;
  connections = 0;
  /** Connections opened while the window was open. */
  connectionsInWindow = 0;
  /** Browser pages: how many loaded the feed's origin over each protocol. */
  readonly nextHops = new Map<string, number>();
  /** Gaps between each client's deliveries, when the window asked for them. */
  stalls: StallTracker | null = null;
  errorCount = 0;
  /** Clients (by index) that reported a failure in this cell. */
  readonly failedClients = new Set<number>();
  readonly firstErrors: string[] = [];

  /**
   * Sets the scheduled-time window whose updates are measured, and whether to keep a timeline of
   * it.
   */
  setWindow(
    startUs: number,
    endUs: number,
    clockOffsetUs = 0,
    timeline = false,
    stalls?: { gapUs: number; groupSize: number },
  ): void {
    this.#windowStartUs = startUs;
    this.#windowEndUs = endUs;
    this.#clockOffsetUs = clockOffsetUs;
    this.timeline = timeline ? [] : null;
    this.stalls = stalls ? new StallTracker(stalls.gapUs, stalls.groupSize) : null;
  }

  /**
   * The lowest and highest seq any client received scheduled inside the window (trackers only
   * see those), for a server that cannot say which seqs it published then; null before any.
   */
  seenRange(): { first: number; last: number } | null {
    let first = Infinity;
    let last = -Infinity;
    for (const t of this.trackers) {
      if (t.lowest < first) first = t.lowest;
      if (t.highest > last) last = t.highest;
    }
    return Number.isFinite(first) ? { first, last } : null;
  }

  /**
   * Records an upstream message due at `dueUs` and sent at `sentUs`; call the returned function
   * when its answer arrives (or it fails). Only messages due inside the window are counted and
   * timed, from `sentUs`.
   */
  upstreamSent(
    dueUs: number,
    sentUs: number,
    dataBytes: number,
  ): (answerUs: number, error: string | null) => void {
    const inWindow = dueUs >= this.#windowStartUs && dueUs < this.#windowEndUs;
    if (inWindow) this.upstream.sent++;
    return (answerUs, error) => {
      if (error !== null) this.#error(error);
      // A POST is a request as a poll is: what an HTTP echo or chat costs in requests.
      if (this.upstreamIsHttp && error === null && this.measuring) this.upstreamRequests++;
      // An echo's answer is what the wire ratios count per: its data went up and came back.
      if (this.workload === 'echo' && error === null && this.measuring) {
        this.updatesReceived++;
        this.payloadBytes += 2 * dataBytes;
      }
      if (!inWindow) return;
      if (error !== null) {
        this.upstream.failed++;
        return;
      }
      this.upstream.answered++;
      recordValue(this.workload === 'echo' ? this.latencyUs : this.ackUs, answerUs - sentUs);
    };
  }

  /** A recorder for client number `index` of this driver. */
  forClient(index = this.trackers.length): ClientRecorder {
    const tracker = new DeliveryTracker();
    // Stall groups go by the order in this driver, as its shared HTTP/2 connections do.
    const local = this.trackers.length;
    this.trackers.push(tracker);
    return {
      update: (seq, serverTs, bytes, recvUs, received) => {
        const ts = serverTs - this.#clockOffsetUs;
        if (this.measuring) {
          this.updatesReceived++;
          this.payloadBytes += bytes;
        }
        // Failover bookkeeping only once an instance was killed (failureAtUs is Infinity until
        // then).
        if (
          recvUs >= this.failureAtUs &&
          this.lostAtUs[index] !== undefined &&
          this.recoveredAtUs[index] === undefined
        )
          this.recoveredAtUs[index] = recvUs;
        if (ts >= this.resumedAtUs && this.caughtUpAtUs[index] === undefined)
          this.caughtUpAtUs[index] = recvUs;
        if (ts < this.#windowStartUs || ts >= this.#windowEndUs) return;
        // Only a first arrival has a delivery latency; a duplicate is counted, not timed.
        if (tracker.record(seq) === 'duplicate') return;
        if (this.timeline) this.#countInTimeline(recvUs);
        this.stalls?.arrival(local, recvUs);
        if (ts >= this.failureAtUs && ts < this.failureAtUs + RECOVERY_SPAN_US)
          recordValue(this.afterFailureUs, recvUs - ts);
        if (this.workload !== 'chat') {
          recordValue(this.latencyUs, recvUs - ts);
          return;
        }
        const stamp = received === undefined ? undefined : readChatStamp(received);
        if (!stamp) this.#error('a chat update without a sender stamp');
        // The sender's own message coming back is not a delivery to "every other client".
        else if (stamp.sender !== index) recordValue(this.latencyUs, recvUs - stamp.sentUs);
      },
      pollCompleted: (updates) => {
        if (!this.measuring) return;
        this.requests++;
        if (updates === 0) this.emptyPolls++;
      },
      connected: (setupUs, handshakeBytes) => {
        recordValue(this.connectUs, setupUs);
        this.connections++;
        if (this.measuring) this.connectionsInWindow++;
        this.handshakeBytes += handshakeBytes;
      },
      nextHop: (protocol) => this.nextHops.set(protocol, (this.nextHops.get(protocol) ?? 0) + 1),
      error: (message) => {
        this.#error(message);
        this.failedClients.add(index);
        // After an instance was killed, a client's first error is when it lost its connection.
        const atUs = nowUs();
        if (atUs >= this.failureAtUs && this.lostAtUs[index] === undefined)
          this.lostAtUs[index] = atUs;
      },
    };
  }

  #countInTimeline(recvUs: number): void {
    const bucket = Math.floor((recvUs - this.#windowStartUs) / TIMELINE_BUCKET_US);
    const timeline = this.timeline;
    if (timeline === null || bucket < 0 || bucket >= MAX_TIMELINE_BUCKETS) return;
    while (timeline.length <= bucket) timeline.push(0);
    timeline[bucket] = (timeline[bucket] ?? 0) + 1;
  }

  #error(message: string): void {
    this.errorCount++;
    if (this.firstErrors.length < KEPT_ERRORS && !this.firstErrors.includes(message))
      this.firstErrors.push(message);
  }

  /**
   * True when a client still short of `last` received some of the window's updates and then met a
   * failure: it may be coming back with its cursor. One that never received any (a page refused by
   * CORS, a client that never connected) is not waited for.
   */
  comingBack(last: number): boolean {
    return this.trackers.some(
      (t, i) => t.highest < last && t.delivered > 0 && this.failedClients.has(i),
    );
  }

  /**
   * True when every client has received `last` (or something after it), and every upstream message
   * was answered.
   */
  allReached(last: number): boolean {
    if (this.upstream.answered + this.upstream.failed < this.upstream.sent) return false;
    return this.workload === 'echo' || this.trackers.every((t) => t.highest >= last);
  }
}
