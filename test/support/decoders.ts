// What the decoder test page (test/pages/decoders) must leave in a recorded session: each
// library's calls decoded from what the receiver got and paired with their replies.
// Shared by the e2e test (live background) and the unit test (committed fixture traces).
import { expect } from 'vitest';
import type { MessageRecord } from '../../src/protocol/session';

export const decodersPath = '/decoders/index.html';

type Msg = Pick<MessageRecord, 'id' | 'via' | 'fromPort' | 'toPort' | 'transfer' | 'call' | 'deliveredAt' | 'sentAt'>;

const BATCH_REPLY = /^batch\(2\) reply ok "(load|save) done"; reply ok "(load|save) done"$/;

/**
 * The page's last exchange (the JSON-RPC batch) is recorded and paired, and every port that
 * came in a window message is identified (until then its traffic is held back).
 */
export function decodersComplete(messages: readonly Msg[] | undefined): boolean {
  const all = messages ?? [];
  return (
    all.some((m) => BATCH_REPLY.test(m.call?.label ?? '') && m.call?.pairedWith !== null) &&
    all.every((m) => m.transfer.every((t) => t.kind !== 'MessagePort' || t.id !== null))
  );
}

function all(messages: readonly Msg[], label: string | RegExp): Msg[] {
  return messages.filter((m) => (typeof label === 'string' ? m.call?.label === label : label.test(m.call?.label ?? '')));
}

function one(messages: readonly Msg[], label: string | RegExp): Msg {
  const found = all(messages, label);
  expect(found.map((m) => m.call?.label), `one message labelled ${label}`).toHaveLength(1);
  return found[0];
}

/** `req` and `res` are each other's pair, same correlation id, with the latency of the pair. */
function expectPair(req: Msg, res: Msg, protocol: string): void {
  const what = `${req.call?.label} → ${res.call?.label}`;
  expect(req.call, what).toMatchObject({ protocol, role: 'request', pairedWith: res.id });
  expect(res.call, what).toMatchObject({ protocol, role: 'response', pairedWith: req.id });
  const start = req.sentAt ?? req.deliveredAt;
  expect(start, what).not.toBeNull();
  // Clamped at 0: the two times may come from two processes' clocks.
  const latency = Math.max(0, (res.deliveredAt as number) - (start as number));
  expect(res.call?.latencyMs, what).toBeCloseTo(latency, 6);
  expect(req.call?.latencyMs, what).toBe(res.call?.latencyMs);
}

function expectPairs(messages: readonly Msg[], protocol: string, pairs: [string | RegExp, string | RegExp][]): void {
  for (const [q, a] of pairs) {
    const req = one(messages, q);
    const res = one(messages, a);
    expectPair(req, res, protocol);
    if (!req.call?.label.startsWith('batch')) expect(res.call?.id).toBe(req.call?.id);
  }
}

export function expectDecoded(messages: readonly Msg[]): void {
  const ports = messages.filter((m) => m.via === 'port');
  const windows = messages.filter((m) => m.via === 'window');

  // Comlink over a MessageChannel: every request kind, each paired with its reply.
  expectPairs(ports, 'comlink', [
    ['APPLY add(2, 3)', 'reply 5'],
    ['GET name', 'reply "child-api"'],
    ['SET count = 5', 'reply true'],
    ['APPLY fail()', 'reply throw TypeError: nope'],
    ['GET v', 'reply 7'],
  ]);
  // The page releases its counter; Comlink also releases proxies it finds collected
  // (FinalizationRegistry), whenever the page's garbage collector runs: one RELEASE at least,
  // each answered.
  const releases = all(ports, 'RELEASE');
  expect(releases.length, 'RELEASE requests').toBeGreaterThanOrEqual(1);
  for (const req of releases) {
    const res = ports.find((m) => m.id === req.call?.pairedWith) as Msg;
    expect(res?.call?.label, 'RELEASE is answered').toBe('reply undefined');
    expectPair(req, res, 'comlink');
    expect(res.call?.id).toBe(req.call?.id);
  }
  // A proxy travels as a new MessagePort, and the calls on it are decoded on that port.
  const proxies = all(ports, 'reply proxy (new MessagePort)');
  expect(proxies).toHaveLength(2); // makeCounter() and new Box(7)
  for (const p of proxies) expect(p.transfer.map((t) => t.kind)).toEqual(['MessagePort']);
  for (const q of ['APPLY makeCounter()', 'CONSTRUCT Box(7)']) {
    const req = one(ports, q);
    const res = proxies.find((p) => p.id === req.call?.pairedWith) as Msg;
    expect(res, `${q} is answered by a proxy`).toBeDefined();
    expect(res.call?.id).toBe(req.call?.id);
    expectPair(req, res, 'comlink');
  }
  const add = one(ports, 'APPLY add(2, 3)');
  // The port went to the child in a window message (unseen send): identified, so the call is
  // one record from the top's send to the child's delivery.
  expect([add.sentAt, add.deliveredAt].map((t) => typeof t)).toEqual(['number', 'number']);
  const incs = all(ports, 'APPLY inc()');
  expect(incs).toHaveLength(2);
  for (const inc of incs) expect(inc.fromPort).not.toBe(add.fromPort);
  expectPair(incs[0], one(ports, 'reply 1'), 'comlink');
  expectPair(incs[1], one(ports, 'reply 2'), 'comlink');

  // Penpal 7: the handshake over the windows, ACK2 carrying the port the calls then use.
  expect(all(windows, 'handshake SYN').length).toBeGreaterThanOrEqual(2);
  one(windows, 'handshake ACK1');
  expect(one(windows, 'handshake ACK2').transfer.map((t) => t.kind)).toEqual(['MessagePort']);
  expectPairs(ports, 'penpal', [
    ['call multiply(6, 7)', 'reply ok 42'],
    ['call boom()', 'reply error Error: penpal boom'],
  ]);

  // post-robot format: the ack is an event and pairs with nothing; a packed ack + response pairs.
  expectPairs(windows, 'post-robot', [
    ['send getUser', 'reply ok getUser'],
    ['send getCart', 'reply ok getCart (+1 packed)'],
  ]);
  expect(one(windows, 'ack getUser').call).toMatchObject({ role: 'event', pairedWith: null });

  // JSON-RPC 2.0: results, errors, notifications and batches.
  expectPairs(windows, 'jsonrpc', [
    ['call divide(10, 4)', 'reply ok 2.5'],
    ['call divide(1, 0)', 'reply error -32000 division by zero'],
    ['batch(3) call save({a: 1}); notify tick(); call load()', BATCH_REPLY],
  ]);
  expect(one(windows, 'notify log("hello")').call).toMatchObject({ role: 'notification', id: null, pairedWith: null });

  // The raw messages of the page (the Comlink port handover, child-ready) stay undecoded.
  expect(windows.filter((m) => m.call === null).length).toBeGreaterThanOrEqual(2);
}
