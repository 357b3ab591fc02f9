// When the relay wakes the extension: the page flushes a batch over the private bridge every
// 15 ms while it is busy (free for the page), but each runtime message from the relay wakes the
// extension's process and the browser's IPC, which share the machine's cores with the page.
// So batches wait here: the first after a quiet spell leaves at once (a frame removed just
// after it handled a message has then reported it); under sustained traffic the wait doubles
// up to PACE_MAX_MS (a few messages a second, enough for the live panel); when the page stops
// posting for QUIET_MS, what waits leaves and the wait starts small again. Whatever waits
// leaves at once when the document goes away (ship()).
import type { WireBatch } from './messages';

/** The wait after a quiet spell, ms: a lone burst reaches the panel within a frame or two. */
export const PACE_MIN_MS = 15;
/** The longest wait under sustained traffic, ms. */
export const PACE_MAX_MS = 400;
/** No batch from the page for this long, ms (its flushes are 15 ms apart while busy): it went quiet. */
export const QUIET_MS = 50;

export interface PaceHost {
  now(): number;
  later(fn: () => void, ms: number): void;
  /** Sends batches to the background, in order, as one message. */
  send(wires: WireBatch[]): void;
}

export class RelayPacer {
  private waiting: WireBatch[] = [];
  private lastSent = -Infinity;
  private lastIn = -Infinity;
  private wait = PACE_MIN_MS;
  private armed = false;

  constructor(private host: PaceHost) {}

  /** Batches not sent yet. */
  get waitingCount(): number {
    return this.waiting.length;
  }

  /** The wait the pacer is at now (tests, bench). */
  get currentWait(): number {
    return this.wait;
  }

  push(wire: WireBatch): void {
    const now = this.host.now();
    const quiet = now - this.lastIn >= QUIET_MS;
    this.waiting.push(wire);
    this.lastIn = now;
    if (this.armed) return;
    if (quiet) {
      // The page was quiet: this batch starts a burst, or is a lone one.
      this.wait = PACE_MIN_MS;
      this.ship();
      return;
    }
    this.arm(now);
  }

  /** Sends whatever waits, now (the document is going away). */
  ship(): void {
    if (this.waiting.length === 0) return;
    const wires = this.waiting;
    this.waiting = [];
    this.lastSent = this.host.now();
    this.host.send(wires);
  }

  /** Forgets what waits (recording stopped). */
  clear(): void {
    this.waiting = [];
    this.wait = PACE_MIN_MS;
  }

  private arm(now: number): void {
    this.armed = true;
    const at = Math.min(this.lastSent + this.wait, this.lastIn + QUIET_MS);
    this.host.later(() => this.due(), Math.max(0, at - now));
  }

  private due(): void {
    this.armed = false;
    if (this.waiting.length === 0) return;
    const now = this.host.now();
    if (now - this.lastIn >= QUIET_MS) {
      // The page went quiet: what it said last goes now, and the next burst starts small.
      this.ship();
      this.wait = PACE_MIN_MS;
    } else if (now - this.lastSent >= this.wait) {
      // Still busy after a whole wait: send, and wait twice as long next time.
      this.ship();
      this.wait = Math.min(PACE_MAX_MS, this.wait * 2);
    } else this.arm(now);
  }
}
