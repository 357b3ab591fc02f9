// A small recording that has a bit of everything the panel shows: a frame tree with a
// worker, a port that moved, a port never started, a lost message, a hostile payload and
// findings. Used by the unit tests and imported into the real panel by the e2e test.
import type { AggregateSnapshot, ContextRecord, MessageRecord, PortRecord } from '../../../src/protocol/session';

export const T0 = 1_700_000_000_000;
export const HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';

const ctx = (id: number, over: Partial<ContextRecord>): ContextRecord => ({
  id,
  kind: 'window',
  url: '',
  origin: '',
  parentId: null,
  frameId: id - 1,
  parentFrameId: null,
  documentId: null,
  doc: `doc${id}`,
  ctx: 0,
  top: false,
  indexInParent: null,
  openerId: null,
  createdAt: T0,
  endedAt: null,
  ...over,
});

const port = (id: number, over: Partial<PortRecord>): PortRecord => ({
  id,
  channelId: null,
  entangledWith: null,
  createdIn: 1,
  createdAt: T0 + 1,
  holders: [{ contextId: 1, since: T0 + 1, messageId: null, startedAt: T0 + 1 }],
  started: true,
  closed: false,
  closedAt: null,
  shipped: false,
  lostIn: null,
  listeners: 1,
  ...over,
});

const msg = (id: number, over: Partial<MessageRecord>): MessageRecord => ({
  id,
  via: 'port',
  type: 'message',
  fromContext: 1,
  toContext: 2,
  fromPort: null,
  toPort: null,
  sentAt: T0 + id * 10,
  deliveredAt: T0 + id * 10 + 2,
  outcome: { status: 'delivered', reason: null },
  transfer: [],
  preview: null,
  bytes: 20,
  targetOrigin: null,
  origin: null,
  stack: 'at send (http://127.0.0.1:8000/demo/demo.js:12:7)\nat http://127.0.0.1:8000/demo/demo.js:20:3',
  listeners: 1,
  handlerMs: 0.5,
  waitMs: 2,
  ...over,
});

export function fixtureSnapshot(): AggregateSnapshot {
  const contexts = [
    ctx(1, { url: 'http://127.0.0.1:8000/demo/index.html', origin: 'http://127.0.0.1:8000', top: true }),
    ctx(2, { url: 'http://localhost:8000/demo/child.html', origin: 'http://localhost:8000', parentId: 1, parentFrameId: 0, indexInParent: 0, createdAt: T0 + 5 }),
    ctx(3, { kind: 'worker', url: 'http://127.0.0.1:8000/demo/worker.js', origin: 'http://127.0.0.1:8000', parentId: 1, frameId: 0, ctx: 1, doc: 'doc1', createdAt: T0 + 6 }),
  ];
  const ports = [
    port(1, { channelId: 1, entangledWith: 2 }),
    port(2, {
      channelId: 1,
      entangledWith: 1,
      holders: [
        { contextId: 1, since: T0 + 1, messageId: null, startedAt: null },
        { contextId: 2, since: T0 + 12, messageId: 1, startedAt: T0 + 13 },
      ],
      shipped: true,
    }),
    port(3, { channelId: 2, entangledWith: 4 }),
    port(4, {
      channelId: 2,
      entangledWith: 3,
      holders: [
        { contextId: 1, since: T0 + 1, messageId: null, startedAt: null },
        { contextId: 3, since: T0 + 42, messageId: 4, startedAt: null },
      ],
      started: false,
      shipped: true,
      listeners: 1,
    }),
  ];
  const messages = [
    msg(1, { via: 'window', transfer: [{ kind: 'MessagePort', id: 2, bytes: null }], preview: '{type: "connect"}', targetOrigin: 'http://localhost:8000', origin: 'http://127.0.0.1:8000' }),
    msg(2, { fromPort: 1, toPort: 2, preview: '{type: "ping", n: 1}' }),
    msg(3, { fromContext: 2, toContext: 1, fromPort: 2, toPort: 1, preview: '{type: "pong", got: "ping"}', sample: JSON.stringify({ $: 'object', entries: [['type', 'pong'], ['got', 'ping']], count: 2 }) }),
    msg(4, { via: 'worker', toContext: 3, transfer: [{ kind: 'MessagePort', id: 4, bytes: null }, { kind: 'ArrayBuffer', id: 7, bytes: 1024 }], preview: '{port: MessagePort, buffer: ArrayBuffer(1024)}', bytes: 1100 }),
    msg(5, { toContext: 3, fromPort: 3, toPort: 4, deliveredAt: null, waitMs: null, handlerMs: null, outcome: { status: 'queued', reason: null }, preview: null }),
    msg(6, { toContext: null, fromPort: 2, deliveredAt: null, waitMs: null, handlerMs: null, listeners: null, outcome: { status: 'dropped', reason: 'port-shipped' }, preview: null }),
    msg(7, { fromPort: 1, toPort: 2, preview: HOSTILE, sample: JSON.stringify(HOSTILE) }),
  ];
  return {
    rev: 1,
    contexts,
    ports,
    messages,
    firstMessageId: 1,
    findings: [
      {
        rule: 'port-never-started',
        severity: 'warning',
        message: "1 message was never delivered to port #4 in worker 127.0.0.1:8000/demo/worker.js: it has a 'message' listener from addEventListener, but start() was never called.",
        messageIds: [5],
        portIds: [4],
        text: { key: 'fxNeverStarted_one', args: [{ n: 1 }, { port: 4 }, { ctx: { kind: 'worker', at: '127.0.0.1:8000/demo/worker.js' } }] },
      },
      Object.assign(
        { rule: 'post-on-shipped-port', severity: 'error' as const, message: 'postMessage on port 2 after it was transferred away: dropped', messageIds: [6], portIds: [2] },
        {
          explanation: 'A port that was transferred is neutered in the sender; posting on it does nothing and throws nothing.',
          spec: 'https://html.spec.whatwg.org/multipage/web-messaging.html#message-port-post-message-steps',
          stacks: ['at late (http://127.0.0.1:8000/demo/demo.js:30:9)'],
        },
      ),
    ],
    mismatches: [],
    dropped: {},
  };
}
