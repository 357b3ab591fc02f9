import { describe, expect, it } from 'vitest';
import { datasetOf } from '../../../panels/model/dataset';
import { prepareReplay, replayability, replayTargets } from '../../../panels/model/replay';
import { Store } from '../../../panels/store';
import type { PanelToBackground } from '../../../src/protocol/messages';
import type { ContextRecord, MessageRecord, PortRecord } from '../../../src/protocol/session';
import { newContext, newMessage, newPort } from '../../../src/aggregate/records';

const ctx = (id: number, origin: string, over: Partial<ContextRecord> = {}): ContextRecord => ({ ...newContext(id, `d${id}`, 0), origin, url: origin + '/', frameId: id - 1, ...over });
const port = (id: number, holder: number, partner: number, over: Partial<PortRecord> = {}): PortRecord => ({
  ...newPort(id, 1, holder, 1),
  entangledWith: partner,
  holders: [{ contextId: holder, since: 1, messageId: null, startedAt: 1 }],
  ...over,
});
const msg = (over: Partial<MessageRecord>): MessageRecord => ({ ...newMessage('port'), id: 1, fromContext: 1, toContext: 2, fromPort: 1, toPort: 2, ...over });

const sample = (v: unknown) => JSON.stringify(v);
const data = datasetOf({
  contexts: [ctx(1, 'http://a.test'), ctx(2, 'http://b.test'), ctx(3, 'http://gone.test', { endedAt: 5 })],
  ports: [port(1, 1, 2), port(2, 2, 1), port(3, 1, 4, { closed: true })],
  messages: [],
  firstMessageId: 1,
  findings: [],
  mismatches: [],
  dropped: {},
});

describe('replayability', () => {
  it('replays a whole recorded value as it was, with its text', () => {
    const r = replayability(msg({ sample: sample({ $: 'map', size: 1, entries: [['a', { $: 'bigint', v: '5' }]] }) }), true);
    expect(r).toEqual({ can: true, why: null, asIs: true, asIsWhy: null, text: 'Map { "a" => 5n }' });
  });

  it('says why a cut value, a transfer or a missing sample can only be edited', () => {
    expect(replayability(msg({ sample: sample({ $: 'str', head: 'ab', length: 5000 }) }), true)).toMatchObject({ can: true, asIs: false, asIsWhy: 'The recording does not hold the whole value (a long string was cut): edit it to replay.' });
    expect(replayability(msg({ sample: '1', transfer: [{ kind: 'MessagePort', id: 3, bytes: null }] }), true).asIsWhy).toContain('cannot be replayed');
    expect(replayability(msg({ sample: null }), true)).toMatchObject({ can: true, asIs: false, text: '' });
  });

  it('refuses traces, workers and messageerrors', () => {
    expect(replayability(msg({ sample: '1' }), false).can).toBe(false);
    expect(replayability(msg({ via: 'worker', sample: '1' }), true).why).toBe('A worker message cannot be replayed: only port and window messages can.');
    expect(replayability(msg({ type: 'messageerror' }), true).can).toBe(false);
  });
});

describe('replayTargets and prepareReplay', () => {
  it('offers the original, the open ports and the live windows of the topology', () => {
    const keys = replayTargets(data, msg({})).map((t) => t.key);
    expect(keys).toEqual(['original', 'port:1', 'port:2', 'window:1:self', 'window:2:self']);
    const win = replayTargets(data, msg({ via: 'window', fromPort: null, toPort: null }));
    expect(win.map((t) => t.key)).toEqual(['original', 'port:1', 'port:2', 'window:1:sender', 'window:1:self', 'window:2:sender', 'window:2:self']);
  });

  it('parses the edited text and checks the targetOrigin', () => {
    const m = msg({ via: 'window', fromPort: null, toPort: null });
    const [original] = replayTargets(data, m);
    expect(prepareReplay(data, m, 'Map { 1 => 2n }', original, 'http://b.test')).toEqual({ ok: true, value: new Map([[1, 2n]]), target: { kind: 'window', context: 2, from: 'sender', targetOrigin: 'http://b.test' } });
    expect(prepareReplay(data, m, '{ a: }', original, '*')).toMatchObject({ ok: false, error: "Line 1, column 6: expected a value, found '}'" });
    expect(prepareReplay(data, m, '1', original, 'b.test')).toMatchObject({ ok: false, error: 'targetOrigin must be *, / or an origin like https://example.com' });
  });

  it('sends the request through the store and keeps the answer', () => {
    const sent: PanelToBackground[] = [];
    const store = new Store((x) => sent.push(x));
    const req = store.replay(7, 'v', { kind: 'port', port: 2 });
    expect(sent).toEqual([{ t: 'replay', req, message: 7, value: 'v', target: { kind: 'port', port: 2 } }]);
    store.apply({ t: 'replayed', req, outcome: { ok: true, messageId: 9 } });
    expect(store.replies.get(req)).toEqual({ ok: true, messageId: 9 });
  });
});
