// The background's Session decodes each delivery's sample and pairs requests with responses,
// whatever order the frames' batches arrive in, across a restart, and not across a clear.
import { describe, expect, it } from 'vitest';
import { Session } from '../../../src/aggregate';
import type { PageEvent } from '../../../src/protocol/messages';
import type { Sample } from '../../../src/protocol/sample';
import type { MessageRecord } from '../../../src/protocol/session';
import { CHILD0, Doc, UP1, channel, ctx, deliverPort, deliverWindow, portIn, postPort, postWindow, shuffled, start, type Fed } from '../aggregate/streams';

const PORT = Symbol('port');
/** A plain value as the page would sample it (objects, arrays, primitives, ports). */
function toSample(v: unknown): Sample {
  if (v === PORT) return { $: 'port' };
  if (Array.isArray(v)) return { $: 'array', items: v.map(toSample), length: v.length };
  if (v && typeof v === 'object') return { $: 'object', entries: Object.entries(v).map(([k, x]) => [k, toSample(x)]), count: Object.keys(v).length };
  return v as Sample;
}
const withSample = (ev: PageEvent, data: unknown): PageEvent => ({ ...ev, sample: JSON.stringify(toSample(data)) }) as PageEvent;

const A_URL = 'https://a.test/';
const B_URL = 'https://b.test/frame';

/** A hands port 2 to its child B; they talk Comlink over the channel and JSON-RPC over windows. */
function scenario(): Fed[] {
  const A = new Doc('A', { frameId: 0, parentFrameId: -1, url: A_URL, origin: 'https://a.test' });
  const B = new Doc('B', { frameId: 5, parentFrameId: 0, url: B_URL, origin: 'https://b.test' });
  A.batch([ctx(1000, A_URL, true), channel(1001, 1, 2), postWindow(1002, A.nextMsg(), CHILD0, 'https://b.test', [portIn(2)])]);
  B.batch([ctx(1000.5, B_URL, false, 0), deliverWindow(1003, UP1, 'https://a.test', 'port', [7]), start(1003.5, 7)]);
  A.batch([postPort(1010, A.nextMsg(), 1)]);
  B.batch([withSample(deliverPort(1011, 7, ''), { id: 'c-1', type: 'APPLY', path: ['api', 'add'], argumentList: [{ type: 'RAW', value: 2 }, { type: 'RAW', value: 3 }] })]);
  B.batch([postPort(1013, B.nextMsg(), 7)]);
  A.batch([withSample(deliverPort(1016, 1, ''), { id: 'c-1', type: 'RAW', value: 5 })]);
  // JSON-RPC over the windows, both ids 1: one pair per direction of asking.
  B.batch([withSample(deliverWindow(1020, UP1, 'https://a.test', ''), { jsonrpc: '2.0', id: 1, method: 'ping' })]);
  A.batch([withSample(deliverWindow(1024, CHILD0, 'https://b.test', ''), { jsonrpc: '2.0', id: 1, result: 'pong' })]);
  // A Comlink call that returns a proxy: the reply brings a new MessagePort.
  A.batch([postPort(1030, A.nextMsg(), 1)]);
  B.batch([withSample(deliverPort(1031, 7, ''), { id: 'c-2', type: 'APPLY', path: ['makeCounter'], argumentList: [] })]);
  B.batch([channel(1032, 8, 9), postPort(1033, B.nextMsg(), 7, [portIn(9)])]);
  A.batch([withSample(deliverPort(1035, 1, '', [4]), { id: 'c-2', type: 'HANDLER', name: 'proxy', value: PORT })]);
  // In time order, as the frames would report them (tests shuffle it too).
  return [...A.out, ...B.out].sort((x, y) => x.batch.events[0].at - y.batch.events[0].at);
}

const calls = (s: Session) => s.data().messages.filter((m) => m.call).map((m) => ({ id: m.id, ...m.call }));
const byLabel = (s: Session, label: string) => s.data().messages.find((m) => m.call?.label === label) as MessageRecord;

function expectPaired(s: Session): void {
  const req = byLabel(s, 'APPLY api.add(2, 3)');
  const res = byLabel(s, 'reply 5');
  expect(req.call).toMatchObject({ protocol: 'comlink', role: 'request', id: 'c-1', pairedWith: res.id, latencyMs: 6 });
  expect(res.call).toMatchObject({ role: 'response', pairedWith: req.id, latencyMs: 6 });
  const ping = byLabel(s, 'call ping()');
  const pong = byLabel(s, 'reply ok "pong"');
  // Window messages' sends are unseen: latency runs from the request's delivery.
  expect(ping.call).toMatchObject({ protocol: 'jsonrpc', pairedWith: pong.id, latencyMs: 4 });
  const proxy = byLabel(s, 'reply proxy (new MessagePort)');
  expect(proxy.call).toMatchObject({ pairedWith: byLabel(s, 'APPLY makeCounter()').id, latencyMs: 5 });
  expect(proxy.transfer.map((t) => t.kind)).toEqual(['MessagePort']);
}

describe('Session: decoded calls', () => {
  it('decodes deliveries and pairs requests with responses, with latencies', () => {
    const s = new Session();
    for (const f of scenario()) s.ingest(f.batch, f.source);
    expectPaired(s);
    // The handover message is no protocol's: it stays raw.
    const handover = s.data().messages.find((m) => m.via === 'window' && m.transfer.length) as MessageRecord;
    expect(handover.preview).toBe('port');
    expect(handover.call).toBeNull();
    expect(calls(s)).toHaveLength(6);
  });

  it('pairs the same whatever order the two frames’ batches arrive in', () => {
    const want = (() => {
      const s = new Session();
      for (const f of scenario()) s.ingest(f.batch, f.source);
      return calls(s).map((c) => [c.label, c.latencyMs]).sort();
    })();
    for (let seed = 1; seed <= 12; seed++) {
      const s = new Session();
      for (const f of shuffled(scenario(), seed)) s.ingest(f.batch, f.source);
      s.releaseHeld();
      expect(calls(s).map((c) => [c.label, c.latencyMs]).sort(), `seed ${seed}`).toEqual(want);
      expectPaired(s);
    }
  });

  it('sends both records of a new pair in the next delta', () => {
    const feeds = scenario();
    const s = new Session();
    for (const f of feeds.slice(0, feeds.length - 1)) s.ingest(f.batch, f.source);
    s.takeDelta();
    const last = feeds[feeds.length - 1];
    s.ingest(last.batch, last.source);
    const d = s.takeDelta();
    expect(d?.messages.map((m) => m.call?.label)).toEqual(expect.arrayContaining(['APPLY makeCounter()', 'reply proxy (new MessagePort)']));
  });

  it('pairs across a restart of the background (state written mid-way, JSON or packed)', () => {
    const feeds = scenario();
    const half = feeds.findIndex((f) => f.batch.events.some((e) => e.k === 'deliver' && (e as { sample?: string }).sample?.includes('c-1')));
    for (const packed of [false, true]) {
      const first = new Session();
      for (const f of feeds.slice(0, half + 1)) first.ingest(f.batch, f.source);
      const saved = packed ? structuredClone(first.toState()) : JSON.parse(JSON.stringify(first.toJSON()));
      const s = Session.restore(saved);
      for (const f of feeds.slice(half + 1)) s.ingest(f.batch, f.source);
      expectPaired(s);
    }
  });

  it('does not pair a response with a request cleared before it', () => {
    const feeds = scenario();
    const s = new Session();
    // Cleared after the request was answered but before the reply arrived.
    const i = feeds.findIndex((f) => f.batch.events.some((e) => e.k === 'deliver' && (e as { sample?: string }).sample?.includes('["value",5]')));
    for (const f of feeds.slice(0, i)) s.ingest(f.batch, f.source);
    s.clear();
    for (const f of feeds.slice(i)) s.ingest(f.batch, f.source);
    expect(byLabel(s, 'reply 5').call?.pairedWith).toBeNull();
  });
});

describe('Session: calls into a worker, decoded from the send', () => {
  const TOP = 'http://127.0.0.1:8080/calls/';
  const workerCtx: PageEvent = { k: 'context', at: 1000.5, ctx: 1, object: 7, kind: 'worker', url: '', origin: 'http://127.0.0.1:8080', top: false, parent: 0 };
  const toWorker = (at: number, msg: number, data: unknown, transfer: { kind: 'MessagePort'; id: number }[] = []): PageEvent => ({ k: 'post', at, msg, via: 'worker', object: 7, transfer, predicted: { o: 'sent' }, sample: JSON.stringify(toSample(data)) });
  const fromWorker = (at: number, data: unknown): PageEvent => withSample({ k: 'deliver', at, type: 'message', via: 'worker', object: 7, ports: [], listeners: 1 } as PageEvent, data);

  it("pairs each request the page sent into the worker (the sender's sample) with the worker's reply", () => {
    const P = new Doc('page', { frameId: 0, parentFrameId: -1, url: TOP });
    P.batch([
      ctx(1000, TOP, true),
      workerCtx,
      toWorker(1001, 1, { id: 'a', type: 'APPLY', path: ['add'], argumentList: [{ type: 'RAW', value: 2 }, { type: 'RAW', value: 3 }] }),
      toWorker(1002, 2, { id: 'b', type: 'GET', path: ['name'] }),
      fromWorker(1005, { id: 'b', type: 'RAW', value: 'w' }),
      fromWorker(1006, { id: 'a', type: 'RAW', value: 5 }),
    ]);
    const s = new Session();
    for (const f of P.out) s.ingest(f.batch, f.source);
    const add = byLabel(s, 'APPLY add(2, 3)');
    const name = byLabel(s, 'GET name');
    expect(add).toMatchObject({ sampleFrom: 'sender', sentAt: 1001, deliveredAt: null });
    expect(add.call).toMatchObject({ pairedWith: byLabel(s, 'reply 5').id });
    expect(name.call).toMatchObject({ pairedWith: byLabel(s, 'reply "w"').id });
    expect(byLabel(s, 'reply 5').sampleFrom).toBe('receiver');
  });

  it('pairs JSON-RPC both ways on one channel whose other end is in the worker', () => {
    const P = new Doc('page', { frameId: 0, parentFrameId: -1, url: TOP });
    const rpc = (o: object) => ({ jsonrpc: '2.0', ...o });
    const onPort = (at: number, msg: number, data: unknown): PageEvent => ({ ...postPort(at, msg, 1), sample: JSON.stringify(toSample(data)) }) as PageEvent;
    P.batch([
      ctx(1000, TOP, true),
      workerCtx,
      channel(1001, 1, 2),
      start(1001.5, 1),
      { k: 'post', at: 1002, msg: 1, via: 'worker', object: 7, transfer: [portIn(2)], predicted: { o: 'sent' } },
      onPort(1003, 2, rpc({ id: 1, method: 'pageAsks' })),
      withSample(deliverPort(1004, 1, ''), rpc({ id: 1, method: 'workerAsks' })),
      withSample(deliverPort(1005, 1, ''), rpc({ id: 1, result: 'worker answers' })),
      onPort(1006, 3, rpc({ id: 1, result: 'page answers' })),
    ]);
    const s = new Session();
    for (const f of P.out) s.ingest(f.batch, f.source);
    expect(byLabel(s, 'call pageAsks()').call?.pairedWith).toBe(byLabel(s, 'reply ok "worker answers"').id);
    expect(byLabel(s, 'call workerAsks()').call?.pairedWith).toBe(byLabel(s, 'reply ok "page answers"').id);
    const d = s.data();
    expect(d.messages.filter((m) => m.sampleFrom === 'sender').map((m) => m.call?.label).sort()).toEqual(['call pageAsks()', 'reply ok "page answers"']);
  });

  it('keeps whose sample it is through a packed store and a trace', async () => {
    const { packMessages, unpackMessages } = await import('../../../src/aggregate/columns');
    const P = new Doc('page', { frameId: 0, parentFrameId: -1, url: TOP });
    P.batch([ctx(1000, TOP, true), workerCtx, toWorker(1001, 1, { id: 'a', type: 'GET', path: ['x'] }), fromWorker(1005, { id: 'a', type: 'RAW', value: 1 })]);
    const s = new Session();
    for (const f of P.out) s.ingest(f.batch, f.source);
    const msgs = s.data().messages;
    expect(unpackMessages(packMessages(msgs)).map((m) => [m.type, m.sampleFrom])).toEqual(msgs.map((m) => [m.type, m.sampleFrom]));
    expect(msgs.map((m) => m.sampleFrom).sort()).toEqual(['receiver', 'sender']);
  });
});
