// The relay's side of the transport with a fake runtime port: batches are kept until
// acknowledged, and a port that closes (the worker stopped) gets them all again, in order,
// on the next one, before anything newer.
import { describe, expect, it } from 'vitest';
import { RelayLink, RESEND_AFTER_MS, type PortLike } from '../../../src/protocol/relay-link';
import type { RelayMessage, RelayToBackground, RelayToPage } from '../../../src/protocol/messages';

class FakePort implements PortLike {
  sent: RelayMessage[] = [];
  closed = false;
  private onMsg: ((m: unknown) => void)[] = [];
  private onGone: (() => void)[] = [];
  onMessage = { addListener: (cb: (m: unknown) => void) => void this.onMsg.push(cb) };
  onDisconnect = { addListener: (cb: () => void) => void this.onGone.push(cb) };
  postMessage(m: RelayMessage) {
    if (this.closed) throw new Error('disconnected port');
    this.sent.push(m);
  }
  disconnect() {
    this.closed = true;
  }
  /** The background says something. */
  say(m: unknown) {
    for (const cb of this.onMsg) cb(m);
  }
  /** The worker went away. */
  drop() {
    this.closed = true;
    for (const cb of this.onGone) cb();
  }
  /** Sequence numbers of every batch sent, in order, whether alone or several in one message. */
  seqs() {
    return this.sent.flatMap((m) => (m.t === 'batches' ? m.wires : [m])).map((w) => (w.t === 'text' ? w.seq : w.batch.seq));
  }
}

function setup() {
  const ports: FakePort[] = [];
  const toPage: RelayToPage[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const link = new RelayLink({
    connect: () => {
      const p = new FakePort();
      ports.push(p);
      return p;
    },
    toPage: (m) => toPage.push(m),
    later: (fn, ms) => void timers.push({ fn, ms }),
  });
  const runTimers = () => {
    for (const t of timers.splice(0)) t.fn();
  };
  return { link, ports, toPage, timers, runTimers };
}

const wire = (seq: number): RelayToBackground => ({ t: 'text', seq, text: `{"seq":${seq}}` });

describe('RelayLink', () => {
  it('sends nothing while the tab is not recorded, and tells the page', () => {
    const { link, ports, toPage } = setup();
    link.send(wire(1));
    expect(ports).toHaveLength(0);
    link.setRecording(true);
    expect(toPage).toEqual([{ t: 'recording', on: true }]);
  });

  it('keeps every batch until an ack covers it', () => {
    const { link, ports } = setup();
    link.setRecording(true);
    for (const s of [1, 2, 3]) link.send(wire(s));
    expect(ports[0].seqs()).toEqual([1, 2, 3]);
    ports[0].say({ t: 'ack', doc: 'd', seq: 2 });
    expect(link.unackedCount).toBe(1);
  });

  it('resends what was not acknowledged on a new port when the worker stops mid-burst, in order, before newer batches', () => {
    const { link, ports, timers, runTimers } = setup();
    link.setRecording(true);
    for (const s of [1, 2, 3, 4]) link.send(wire(s));
    ports[0].say({ t: 'ack', doc: 'd', seq: 1 });
    ports[0].drop();
    // The page goes on posting while the worker restarts.
    link.send(wire(5));
    expect(ports).toHaveLength(1);
    expect(timers.map((t) => t.ms)).toEqual([RESEND_AFTER_MS]);
    runTimers();
    expect(ports).toHaveLength(2);
    expect(ports[1].seqs()).toEqual([2, 3, 4, 5]);
    // The resend is one message, not one per batch.
    expect(ports[1].sent).toHaveLength(1);
    link.send(wire(6));
    expect(ports[1].seqs()).toEqual([2, 3, 4, 5, 6]);
  });

  it('tries again when the new port fails too', () => {
    const { link, ports, runTimers } = setup();
    link.setRecording(true);
    link.send(wire(1));
    ports[0].drop();
    runTimers();
    ports[1].drop();
    runTimers();
    expect(ports).toHaveLength(3);
    expect(ports[2].seqs()).toEqual([1]);
  });

  it('a duplicate ack or an ack for a later resend changes nothing it should not', () => {
    const { link, ports } = setup();
    link.setRecording(true);
    for (const s of [1, 2]) link.send(wire(s));
    ports[0].say({ t: 'ack', doc: 'd', seq: 1 });
    ports[0].say({ t: 'ack', doc: 'd', seq: 1 });
    ports[0].say({ t: 'bogus' });
    ports[0].say(null);
    expect(link.unackedCount).toBe(1);
  });

  it('forgets its batches and closes its port when recording stops; passes sync requests to the page', () => {
    const { link, ports, toPage, timers } = setup();
    link.setRecording(true);
    link.send(wire(1));
    ports[0].say({ t: 'sync', until: 42 });
    expect(toPage.at(-1)).toEqual({ t: 'sync', until: 42 });
    link.setRecording(false);
    expect(ports[0].closed).toBe(true);
    expect(link.unackedCount).toBe(0);
    expect(timers).toHaveLength(0);
  });

  it('sends several batches as one message, in order', () => {
    const { link, ports } = setup();
    link.setRecording(true);
    link.sendAll([wire(1), wire(2), wire(3)]);
    expect(ports[0].sent).toHaveLength(1);
    expect(ports[0].sent[0].t).toBe('batches');
    expect(ports[0].seqs()).toEqual([1, 2, 3]);
    ports[0].say({ t: 'ack', doc: 'd', seq: 3 });
    expect(link.unackedCount).toBe(0);
  });
});
