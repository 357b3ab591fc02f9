// The relay's side of the runtime port, without the browser: batches from the page go to the
// background and are kept until it acknowledges them; when the port closes (the service worker
// was stopped, the event page unloaded) a new one is opened and whatever was not acknowledged is
// sent again, in order. Sequence numbers make the resend idempotent (Session.ingest).
import type { BackgroundToRelay, RelayMessage, RelayToBackground, RelayToPage } from './messages';

/** What the relay uses of a runtime port (webextension-polyfill's Runtime.Port has this shape). */
export interface PortLike {
  postMessage(msg: RelayMessage): void;
  disconnect(): void;
  onMessage: { addListener(cb: (msg: unknown) => void): void };
  onDisconnect: { addListener(cb: () => void): void };
}

export interface RelayLinkHost {
  connect(): PortLike;
  /** Tells the page (over the private bridge). */
  toPage(msg: RelayToPage): void;
  /** A timer (setTimeout in the relay). */
  later(fn: () => void, ms: number): void;
}

/** How long after a closed port the relay reconnects (the worker is being restarted). */
export const RESEND_AFTER_MS = 20;

export class RelayLink {
  private port: PortLike | null = null;
  /**
   * Batches sent but not yet acknowledged, as they came from the page, by document and sequence
   * number: the document's own, and those of the workers it made (issue 21), in sending order.
   */
  private unacked = new Map<string, { doc: string; seq: number; wire: RelayToBackground }>();
  private resendQueued = false;
  recording = false;

  constructor(private host: RelayLinkHost) {}

  get unackedCount(): number {
    return this.unacked.size;
  }

  setRecording(on: boolean): void {
    this.recording = on;
    if (!on) {
      this.unacked.clear();
      const port = this.port;
      this.port = null;
      port?.disconnect();
    }
    this.host.toPage({ t: 'recording', on });
  }

  /** A batch from the page. */
  send(wire: RelayToBackground): void {
    this.sendAll([wire]);
  }

  /** Batches from the page, in order, as one message (src/protocol/relay-pace.ts). */
  sendAll(wires: RelayToBackground[]): void {
    if (!this.recording || wires.length === 0) return;
    for (const wire of wires) {
      const doc = (wire.t === 'text' ? wire.doc : wire.batch?.doc) ?? '';
      const seq = wire.t === 'text' ? wire.seq : wire.batch.seq;
      this.unacked.set(`${doc}:${seq}`, { doc, seq, wire });
    }
    // Behind a queued resend they go with it, in order.
    if (this.resendQueued) return;
    try {
      this.connect().postMessage(messageOf(wires));
    } catch {
      this.port = null;
      this.queueResend();
    }
  }

  private connect(): PortLike {
    if (this.port) return this.port;
    const port = this.host.connect();
    this.port = port;
    port.onMessage.addListener((raw) => {
      const msg = raw as BackgroundToRelay;
      if (!msg || typeof msg !== 'object') return;
      if (msg.t === 'ack' && typeof msg.seq === 'number') {
        for (const [key, u] of this.unacked) if ((u.doc === '' || u.doc === msg.doc) && u.seq <= msg.seq) this.unacked.delete(key);
      } else if (msg.t === 'sync' && typeof msg.until === 'number') {
        this.host.toPage(typeof msg.doc === 'string' ? { t: 'sync', until: msg.until, doc: msg.doc } : { t: 'sync', until: msg.until });
      }
    });
    port.onDisconnect.addListener(() => {
      if (this.port !== port) return;
      this.port = null;
      // The background went away: reconnect and resend what it never acknowledged.
      if (this.recording && this.unacked.size > 0) this.queueResend();
    });
    return port;
  }

  private queueResend(): void {
    if (this.resendQueued) return;
    this.resendQueued = true;
    this.host.later(() => this.resend(), RESEND_AFTER_MS);
  }

  private resend(): void {
    this.resendQueued = false;
    if (!this.recording || this.unacked.size === 0) return;
    try {
      const port = this.connect();
      // In sending order, which is each document's sequence order.
      port.postMessage(messageOf([...this.unacked.values()].map((u) => u.wire)));
    } catch {
      this.port = null;
      this.queueResend();
    }
  }
}

/** One batch as itself; several as one message. */
function messageOf(wires: RelayToBackground[]): RelayMessage {
  return wires.length === 1 ? wires[0] : { t: 'batches', wires };
}
