// Recorded-looking streams shared by the aggregate and trace tests.

import { Session, type SessionOptions } from '../../../src/aggregate';
import type { MessageRecord, PortRecord } from '../../../src/protocol/session';
import { CHILD0, Doc, UP1, channel, ctx, deliverPort, deliverWindow, portIn, postPort, postWindow, start, type Fed } from './streams';

export const A_URL = 'https://a.test/';
export const B_URL = 'https://b.test/frame';
export const C_URL = 'https://c.test/inner';

/**
 * Three levels of cross-origin frames. A makes a channel and sends port2 to its child B,
 * B passes it on to its own child C, then C and A talk over the channel both ways.
 */
export function relayThroughMiddle(): { feeds: Fed[]; docs: Doc[] } {
  const A = new Doc('A', { frameId: 0, parentFrameId: -1, url: A_URL, origin: 'https://a.test' });
  const B = new Doc('B', { frameId: 5, parentFrameId: 0, url: B_URL, origin: 'https://b.test' });
  const C = new Doc('C', { frameId: 9, parentFrameId: 5, url: C_URL, origin: 'https://c.test' });
  A.batch([ctx(1000, A_URL, true), channel(1001, 1, 2), postWindow(1002, A.nextMsg(), CHILD0, 'https://b.test', [portIn(2)])], [[1, 'at main (a.js:1)']]);
  (A.out[0].batch.events[2] as { stack?: number }).stack = 1;
  B.batch([ctx(1000.5, B_URL, false, 0)]);
  B.batch([deliverWindow(1003, UP1, 'https://a.test', 'port for B', [7]), postWindow(1004, B.nextMsg(), CHILD0, 'https://c.test', [portIn(7)])]);
  C.batch([ctx(1000.7, C_URL, false, 0)]);
  C.batch([deliverWindow(1005, UP1, 'https://b.test', 'port for C', [3]), start(1006, 3), postPort(1007, C.nextMsg(), 3)]);
  A.batch([deliverPort(1010, 1, 'hello A'), postPort(1011, A.nextMsg(), 1)]);
  A.batch([postPort(1012, A.nextMsg(), 1)]);
  C.batch([deliverPort(1012, 3, 'to C 1'), deliverPort(1013, 3, 'to C 2')]);
  return { feeds: [...A.out, ...B.out, ...C.out], docs: [A, B, C] };
}

export function feedAll(s: Session, feeds: Fed[]): void {
  for (const f of feeds) s.ingest(f.batch, f.source);
}

export function sessionOf(feeds: Fed[], options?: SessionOptions): Session {
  const s = new Session(options);
  feedAll(s, feeds);
  return s;
}

/** Order-independent description of what a Session concluded (ids replaced by urls). */
export function facts(s: Session): string[] {
  const d = s.data();
  const url = (id: number | null) => (id === null ? '?' : d.contexts[id - 1].url);
  const port = (p: PortRecord | undefined) => (p ? `port[${p.holders.map((h) => url(h.contextId)).join('>')}]` : '?');
  const portOf = (id: number | null) => (id === null ? '-' : port(d.ports[id - 1]));
  const msg = (m: MessageRecord) =>
    `${m.via} ${url(m.fromContext)} -> ${url(m.toContext)} ${m.outcome.status}${m.outcome.reason ? `(${m.outcome.reason})` : ''} ` +
    `from=${portOf(m.fromPort)} to=${portOf(m.toPort)} "${m.preview ?? ''}" transfer=[${m.transfer.map((t) => (t.kind === 'MessagePort' ? portOf(t.id) : t.kind)).join(',')}]` +
    ` sent=${m.sentAt} delivered=${m.deliveredAt}`;
  return [...d.messages.map(msg), ...d.ports.map((p) => `${port(p)} created=${url(p.createdIn)} partner=${portOf(p.entangledWith)} started=${p.started}`)].sort();
}
