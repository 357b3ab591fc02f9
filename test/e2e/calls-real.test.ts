// Calls of real libraries from npm, recorded in real Chromium and Firefox ESR (test/pages/calls):
// json-rpc-2.0's JSONRPCServerAndClient on both ends of one MessageChannel (each end numbers
// its requests from 1), post-robot with a handler that throws (its error reply is packed with
// the ack into one long string), and Comlink calls into a dedicated worker (their deliveries
// are out of sight). Every call pairs, each response with its real request (the answer tells
// which call it was), and nothing pairs wrong.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servePages } from '../support/pages-server';
import { waitFor } from '../support/session';
import { launchRecorder, type BrowserName, type Recorder } from '../support/recorder';
import type { MessageRecord } from '../../src/protocol/session';
import { CALL_UNPAIRED } from '../../src/protocol/enums';

const server = servePages();
const path = '/calls/index.html';

/** Each request label and the label of its real answer. */
const JSONRPC: [string, string][] = [
  ...[1, 2, 3, 4].map((n): [string, string] => [`call double(${n})`, `reply ok ${2 * n}`]),
  ...[11, 12, 13, 14].map((n): [string, string] => [`call triple(${n})`, `reply ok ${3 * n}`]),
];
const POST_ROBOT: [string, RegExp][] = [
  ['send getUser', /^reply ok getUser/],
  ['send boom', /^reply error boom: Error: kaboom/],
];
const COMLINK: [string, string][] = [
  ['APPLY add(2, 3)', 'reply 5'],
  ['APPLY add(10, 20)', 'reply 30'],
  ['APPLY add(100, 200)', 'reply 300'],
  ['GET name', 'reply "worker-api"'],
  ['APPLY fail()', 'reply throw TypeError: nope'],
  ['APPLY twice(proxy)', 'reply 44'],
  // The worker calls the page's callback on the new port; the page answers toward the worker.
  ['APPLY (21)', 'reply 22'],
];

const label = (m: MessageRecord) => m.call?.label ?? '';

function only(messages: readonly MessageRecord[], want: string | RegExp): MessageRecord {
  const found = messages.filter((m) => (typeof want === 'string' ? label(m) === want : want.test(label(m))));
  expect(found.map(label), `one message labelled ${want}`).toHaveLength(1);
  return found[0];
}

/** The calls (request and answer labels) not recorded yet; the pairing is checked after. */
function missing(messages: readonly MessageRecord[] | undefined): string[] {
  const labels = new Set((messages ?? []).map(label));
  const has = (w: string | RegExp) => (typeof w === 'string' ? labels.has(w) : [...labels].some((l) => w.test(l)));
  return [...JSONRPC, ...POST_ROBOT, ...COMLINK].flat().filter((w) => !has(w)).map(String);
}

function expectPaired(messages: readonly MessageRecord[], pairs: [string, string | RegExp][], protocol: string): void {
  for (const [q, a] of pairs) {
    const req = only(messages, q);
    const res = only(messages, a);
    const what = `${q} → ${label(res)}`;
    expect(req.call, what).toMatchObject({ protocol, role: 'request', pairedWith: res.id });
    expect(res.call, what).toMatchObject({ protocol, role: 'response', pairedWith: req.id });
    expect(res.call?.id, what).toBe(req.call?.id);
  }
}

/** No pair joins two messages that went the same way, or two different ids; every other half says why it has none. */
function expectNoWrongPair(messages: readonly MessageRecord[]): void {
  const byId = new Map(messages.map((m) => [m.id, m]));
  for (const m of messages) {
    const c = m.call;
    if (!c || (c.role !== 'request' && c.role !== 'response')) continue;
    if (c.pairedWith === null) expect(CALL_UNPAIRED, `${label(m)} says why it has no pair`).toContain(c.unpaired);
    else expect(c.unpaired, `${label(m)} is paired`).toBeUndefined();
  }
  for (const m of messages) {
    if (m.call?.role !== 'request' || m.call.pairedWith === null) continue;
    const res = byId.get(m.call.pairedWith) as MessageRecord;
    const what = `${label(m)} → ${label(res)}`;
    expect(res.call?.pairedWith, what).toBe(m.id);
    if (!m.call.label.startsWith('batch')) expect(res.call?.id, what).toBe(m.call.id);
    if (m.via === 'port') expect([res.fromPort, res.toPort], what).toEqual([m.toPort, m.fromPort]);
    else expect([res.fromContext, res.toContext], what).toEqual([m.toContext, m.fromContext]);
  }
}

for (const name of ['chromium', 'firefox'] as BrowserName[]) {
  describe(`${name}: calls of real libraries`, () => {
    let rec: Recorder;
    let messages: MessageRecord[] = [];
    beforeAll(async () => {
      rec = await launchRecorder(name);
      const url = `${server.origin('127.0.0.1')}${path}`;
      const page = await rec.open(url, 'callsDone');
      let last: MessageRecord[] = [];
      await waitFor(
        async () => (last = (await rec.snapshot(url))?.messages ?? []),
        (m) => missing(m).length === 0,
        'the calls page recorded',
        20_000,
      ).catch(() => undefined);
      messages = last;
      await page.close();
    });
    afterAll(() => rec?.close());

    it('records every call and its answer, decoded', () => {
      expect(missing(messages), `recorded: ${JSON.stringify(messages.map((m) => [m.id, m.via, label(m), m.call?.pairedWith ?? null]))}`).toEqual([]);
    });

    it('json-rpc-2.0 both ways on one MessageChannel: each reply pairs with the request that went the other way', () => {
      const ports = messages.filter((m) => m.via === 'port');
      expectPaired(ports, JSONRPC, 'jsonrpc');
      // Both ends used ids 1..4: the same id went both ways, and no pair crossed them.
      expect(ports.filter((m) => m.call?.protocol === 'jsonrpc' && m.call.id === '1')).toHaveLength(4);
      expectNoWrongPair(ports);
    });

    it("post-robot: the error reply, packed after its ack in one long string, pairs with its request", () => {
      const windows = messages.filter((m) => m.via === 'window');
      expectPaired(windows, POST_ROBOT, 'post-robot');
      const reply = only(windows, POST_ROBOT[1][1]);
      // The reply is one JSON text over the 1,000 characters a string used to keep.
      const text = JSON.parse(reply.sample as string) as unknown;
      expect(typeof text).toBe('string');
      expect((text as string).length).toBeGreaterThan(1000);
      expectNoWrongPair(windows);
    });

    it('Comlink into a dedicated worker: every call decoded at the send pairs with its reply', () => {
      expectPaired(messages, COMLINK, 'comlink');
      for (const [q] of COMLINK.slice(0, 6)) expect(only(messages, q), q).toMatchObject({ via: 'worker', sampleFrom: 'sender', deliveredAt: null });
      expect(only(messages, 'reply 22')).toMatchObject({ via: 'port', sampleFrom: 'sender' });
      expect(only(messages, 'reply 5')).toMatchObject({ via: 'worker', sampleFrom: 'receiver' });
      // Every Comlink request the page sent was decoded and answered.
      const unpaired = messages.filter((m) => m.call?.protocol === 'comlink' && m.call.role === 'request' && m.call.pairedWith === null && m.fromContext === messages.find((x) => label(x) === 'APPLY add(2, 3)')?.fromContext);
      expect(unpaired.map(label)).toEqual([]);
      expectNoWrongPair(messages);
    });
  });
}
