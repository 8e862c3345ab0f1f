import type { ClientRecorder } from '../transports/transport.ts';
import { createHistogram, recordValue } from '../metrics/histogram.ts';
import { DeliveryTracker } from './delivery-tracker.ts';

/** Distinct error messages kept for the results (the count covers all). */
const KEPT_ERRORS = 5;

/**
 * Everything one driver process records in one cell, fed by its clients' recorders.
 * Latency and delivery count the updates *scheduled* inside the window (from `ts`); wire ratios
 * count what arrived while the window was open, so bytes and updates cover the same span.
 */
export class CellRecorder {
  readonly latencyUs = createHistogram();
  readonly connectUs = createHistogram();
  readonly trackers: DeliveryTracker[] = [];
  #windowStartUs = Infinity;
  #windowEndUs = Infinity;
  /** True between the window's open and close snapshots. */
  measuring = false;
  updatesReceived = 0;
  payloadBytes = 0;
  requests = 0;
  emptyPolls = 0;
  handshakeBytes = 0;
  connections = 0;
  errorCount = 0;
  readonly firstErrors: string[] = [];

  /** Sets the scheduled-time window whose updates are measured. */
  setWindow(startUs: number, endUs: number): void {
    this.#windowStartUs = startUs;
    this.#windowEndUs = endUs;
  }

  /** A recorder for one more client. */
  forClient(): ClientRecorder {
    const tracker = new DeliveryTracker();
    this.trackers.push(tracker);
    return {
      update: (seq, ts, bytes, recvUs) => {
        if (this.measuring) {
          this.updatesReceived++;
          this.payloadBytes += bytes;
        }
        if (ts < this.#windowStartUs || ts >= this.#windowEndUs) return;
        // Only a first arrival has a delivery latency; a duplicate is counted, not timed.
        if (tracker.record(seq) !== 'duplicate') recordValue(this.latencyUs, recvUs - ts);
      },
      gap: () => {
        // Lost updates are counted from sequence numbers at the end; a gap only explains them.
      },
      pollCompleted: (updates) => {
        if (!this.measuring) return;
        this.requests++;
        if (updates === 0) this.emptyPolls++;
      },
      connected: (setupUs, handshakeBytes) => {
        recordValue(this.connectUs, setupUs);
        this.connections++;
        this.handshakeBytes += handshakeBytes;
      },
      error: (message) => {
        this.errorCount++;
        if (this.firstErrors.length < KEPT_ERRORS && !this.firstErrors.includes(message)) this.firstErrors.push(message);
      },
    };
  }

  /** True when every client has received `last` (or something after it). */
  allReached(last: number): boolean {
    return this.trackers.every((t) => t.highest >= last);
  }
}
