// A tiny builder for hand-made AggregateSnapshots: contexts, channels, ports moving between
// contexts and messages, with defaults that describe a correct, delivered message.
import type { AggregateSnapshot, ContextRecord, MessageRecord, PortRecord, TransferRecord } from '../../../src/protocol/session';

export const TOP = 'http://127.0.0.1:8080/index.html';
export const CHILD = 'http://localhost:8080/child.html';

export class Snap {
  contexts: ContextRecord[] = [];
  ports: PortRecord[] = [];
  messages: MessageRecord[] = [];
  private clock = 1000;
  private channels = 0;

  /** A document (top when no parent) or a worker; returns its id. */
  ctx(url: string, o: { parent?: number; kind?: ContextRecord['kind']; origin?: string } = {}): number {
    const id = this.contexts.length + 1;
    this.contexts.push({
      id,
      kind: o.kind ?? 'window',
      url,
      origin: o.origin ?? new URL(url).origin,
      parentId: o.parent ?? null,
      frameId: id - 1,
      parentFrameId: o.parent !== undefined ? o.parent - 1 : -1,
      documentId: null,
      doc: `doc${id}`,
      ctx: 0,
      top: o.parent === undefined,
      indexInParent: null,
      openerId: null,
      createdAt: 1000,
      endedAt: null,
    });
    return id;
  }

  context(id: number): ContextRecord {
    return this.contexts[id - 1];
  }

  /** A MessageChannel made in `ctx`: both ports, entangled, held there. */
  channel(ctx: number): [PortRecord, PortRecord] {
    const channelId = ++this.channels;
    const make = (): PortRecord => {
      const p: PortRecord = {
        id: this.ports.length + 1,
        channelId,
        entangledWith: null,
        createdIn: ctx,
        createdAt: this.clock,
        holders: [{ contextId: ctx, since: this.clock, messageId: null, startedAt: null }],
        started: false,
        closed: false,
        closedAt: null,
        shipped: false,
        lostIn: null,
        listeners: 0,
      };
      this.ports.push(p);
      return p;
    };
    const a = make();
    const b = make();
    a.entangledWith = b.id;
    b.entangledWith = a.id;
    return [a, b];
  }

  /** The context holding `p` now. */
  holder(p: PortRecord): number {
    return p.holders[p.holders.length - 1].contextId;
  }

  /** `p.onmessage = f`: a listener, and the queue started. */
  listen(p: PortRecord): PortRecord {
    p.listeners += 1;
    p.started = true;
    p.holders[p.holders.length - 1].startedAt = this.clock;
    return p;
  }

  close(p: PortRecord): PortRecord {
    p.closed = true;
    p.closedAt = this.tick();
    return p;
  }

  /** Any message; defaults: delivered, one listener, a stack. */
  msg(m: Partial<MessageRecord> = {}): MessageRecord {
    const sentAt = m.sentAt !== undefined ? m.sentAt : this.tick();
    const r: MessageRecord = {
      id: this.messages.length + 1,
      via: 'port',
      type: 'message',
      fromContext: null,
      toContext: null,
      fromPort: null,
      toPort: null,
      sentAt,
      deliveredAt: sentAt === null ? this.tick() : sentAt + 0.5,
      outcome: { status: 'delivered', reason: null },
      transfer: [],
      preview: null,
      bytes: 16,
      targetOrigin: null,
      origin: null,
      stack: 'at send (http://127.0.0.1:8080/app.js:10:5)',
      listeners: 1,
      handlerMs: 0.1,
      waitMs: 0.5,
      ...m,
    };
    this.messages.push(r);
    return r;
  }

  /** A message on port `p` to its partner. */
  post(p: PortRecord, m: Partial<MessageRecord> = {}): MessageRecord {
    const partner = p.entangledWith !== null ? this.ports[p.entangledWith - 1] : null;
    return this.msg({ via: 'port', fromPort: p.id, toPort: partner?.id ?? null, fromContext: this.holder(p), toContext: partner ? this.holder(partner) : null, ...m });
  }

  /** A message that was posted and lost: no delivery. */
  dropped(p: PortRecord, reason: string, m: Partial<MessageRecord> = {}): MessageRecord {
    return this.post(p, { deliveredAt: null, listeners: null, handlerMs: null, waitMs: null, outcome: { status: 'dropped', reason }, ...m });
  }

  /** window.postMessage from one context to another, delivered. */
  window(from: number | null, to: number, m: Partial<MessageRecord> = {}): MessageRecord {
    return this.msg({ via: 'window', fromContext: from, toContext: to, targetOrigin: this.context(to).origin, origin: from !== null ? this.context(from).origin : null, originRead: true, ...m });
  }

  /** Sends port `p` from its holder to `to` in a window (or port `over`) message; it arrives there. */
  ship(p: PortRecord, to: number, over?: PortRecord): MessageRecord {
    const transfer: TransferRecord[] = [{ kind: 'MessagePort', id: p.id, bytes: null }];
    const from = this.holder(p);
    const m = over ? this.post(over, { transfer, toContext: to }) : this.window(from, to, { transfer });
    p.shipped = true;
    p.holders.push({ contextId: to, since: m.deliveredAt ?? this.clock, messageId: m.id, startedAt: null });
    p.started = false;
    p.listeners = 0;
    return m;
  }

  /** `n` copies of a message built by `f`. */
  repeat(n: number, f: () => MessageRecord): MessageRecord[] {
    const out = [];
    for (let i = 0; i < n; i++) out.push(f());
    return out;
  }

  tick(): number {
    return (this.clock += 1);
  }

  build(): AggregateSnapshot {
    return { rev: 1, contexts: this.contexts, ports: this.ports, messages: this.messages, firstMessageId: 1, findings: [], mismatches: [], dropped: {} };
  }
}

export const MiB = 1024 * 1024;

/** The common start of a fixture: the top page and its cross-origin child, one channel made in
 * the top page, port `a` kept there and port `b` shipped to the child, both listening (unless
 * `listening` is false: then neither port was ever started). */
export function shippedPair({ listening = true } = {}) {
  const s = new Snap();
  const top = s.ctx(TOP);
  const child = s.ctx(CHILD, { parent: top });
  const [a, b] = s.channel(top);
  if (listening) s.listen(a);
  s.ship(b, child);
  if (listening) s.listen(b);
  return { s, top, child, a, b };
}

/** The top page and a dedicated worker it made from `script` (same origin). */
export function pageAndWorker(script = 'w.js') {
  const s = new Snap();
  const top = s.ctx(TOP);
  const worker = s.ctx(`http://127.0.0.1:8080/${script}`, { parent: top, kind: 'worker' });
  return { s, top, worker };
}
