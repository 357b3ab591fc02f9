import { describe, expect, it } from 'vitest';
import { comlink } from '../../../src/decode/comlink';
import { penpal } from '../../../src/decode/penpal';
import { postRobot } from '../../../src/decode/post-robot';
import { buildSample } from '../../../src/instrument/sample';
import { SAMPLE_LIMITS } from '../../../src/protocol/sample';
import { plainAccess } from '../instrument/plain-access';
import { jsonrpc } from '../../../src/decode/jsonrpc';
import { DECODERS, PORT, decodeSample, decodeValue } from '../../../src/decode';
import { callIds } from '../../../src/decode/types';

const raw = (value: unknown) => ({ type: 'RAW', value });

describe('comlink', () => {
  it('decodes every request type with its path and wire arguments', () => {
    expect(comlink.decode({ id: 'a-1', type: 'GET', path: ['config', 'name'] })).toMatchObject({ role: 'request', id: 'a-1', label: 'GET config.name' });
    expect(comlink.decode({ id: 'a-2', type: 'SET', path: ['count'], value: raw(3) })).toMatchObject({ label: 'SET count = 3' });
    expect(comlink.decode({ id: 'a-3', type: 'APPLY', path: ['api', 'add'], argumentList: [raw(2), raw(3)] })).toMatchObject({ label: 'APPLY api.add(2, 3)', details: { arguments: '2, 3' } });
    expect(comlink.decode({ id: 'a-4', type: 'CONSTRUCT', path: ['Counter'], argumentList: [raw('x')] })).toMatchObject({ label: 'CONSTRUCT Counter("x")' });
    expect(comlink.decode({ id: 'a-5', type: 'RELEASE' })).toMatchObject({ role: 'request', label: 'RELEASE' });
    const ep = comlink.decode({ id: 'a-6', type: 'ENDPOINT' });
    expect(ep).toMatchObject({ label: 'ENDPOINT' });
    expect(ep?.details.proxy).toMatch(/new MessagePort/);
  });

  it('says when an argument or reply is a proxy on a new MessagePort', () => {
    const c = comlink.decode({ id: 'b', type: 'APPLY', path: ['onChange'], argumentList: [{ type: 'HANDLER', name: 'proxy', value: PORT }] });
    expect(c?.label).toBe('APPLY onChange(proxy)');
    expect(c?.details.proxy).toMatch(/1 argument\(s\) travels as a new MessagePort/);
    const r = comlink.decode({ id: 'b', type: 'HANDLER', name: 'proxy', value: PORT });
    expect(r).toMatchObject({ role: 'response', id: 'b', label: 'reply proxy (new MessagePort)' });
    // ENDPOINT's reply is a RAW MessagePort.
    expect(comlink.decode({ id: 'c', type: 'RAW', value: PORT })?.label).toBe('reply MessagePort (new MessagePort)');
  });

  it('decodes plain and thrown replies', () => {
    expect(comlink.decode({ id: 'x', type: 'RAW', value: 5 })).toMatchObject({ role: 'response', label: 'reply 5' });
    const t = comlink.decode({ id: 'x', type: 'HANDLER', name: 'throw', value: { isError: true, value: { name: 'TypeError', message: 'nope' } } });
    expect(t).toMatchObject({ label: 'reply throw TypeError: nope', details: { error: 'TypeError: nope' } });
  });

  it('leaves other messages alone', () => {
    for (const v of [null, 'GET', { type: 'GET', path: ['a'] }, { id: 1, type: 'GET', path: 'a' }, { id: 'q', type: 'FETCH' }, { id: 'q', type: 'APPLY', path: [], argumentList: [1] }, [1, 2]])
      expect(comlink.decode(v)).toBeNull();
  });
});

describe('penpal', () => {
  it('decodes the v7 handshake, calls and replies', () => {
    expect(penpal.decode({ namespace: 'penpal', channel: undefined, type: 'SYN', participantId: 'p1' })).toMatchObject({ role: 'handshake', label: 'handshake SYN' });
    expect(penpal.decode({ namespace: 'penpal', type: 'ACK1', methodPaths: [['add'], ['math', 'mul']] })).toMatchObject({ details: { methods: 'add, math.mul' } });
    expect(penpal.decode({ namespace: 'penpal', type: 'ACK2' })?.details.note).toMatch(/MessagePort/);
    expect(penpal.decode({ namespace: 'penpal', type: 'CALL', id: 'c1', methodPath: ['math', 'mul'], args: [6, 7] })).toMatchObject({ role: 'request', id: 'c1', label: 'call math.mul(6, 7)' });
    expect(penpal.decode({ namespace: 'penpal', type: 'REPLY', callId: 'c1', value: 42 })).toMatchObject({ role: 'response', id: 'c1', label: 'reply ok 42' });
    expect(penpal.decode({ namespace: 'penpal', type: 'REPLY', callId: 'c2', isError: true, value: { name: 'Error', message: 'bad' }, isSerializedErrorInstance: true })).toMatchObject({ label: 'reply error Error: bad' });
    expect(penpal.decode({ namespace: 'penpal', type: 'DESTROY' })).toMatchObject({ role: 'event' });
  });

  it('decodes the v6 shapes', () => {
    expect(penpal.decode({ penpal: 'syn' })).toMatchObject({ role: 'handshake', details: { version: '6' } });
    expect(penpal.decode({ penpal: 'synAck', methodNames: ['add'] })).toMatchObject({ details: { methods: 'add' } });
    expect(penpal.decode({ penpal: 'call', id: 7, methodName: 'add', args: [1, 2] })).toMatchObject({ role: 'request', id: '7', label: 'call add(1, 2)' });
    expect(penpal.decode({ penpal: 'reply', id: 7, resolution: 'fulfilled', returnValue: 3 })).toMatchObject({ role: 'response', id: '7', label: 'reply ok 3' });
    expect(penpal.decode({ penpal: 'reply', id: 8, resolution: 'rejected', returnValue: { name: 'Error', message: 'x' }, returnValueIsError: true })?.label).toBe('reply error Error: x');
  });

  it('leaves other messages alone', () => {
    for (const v of [{ namespace: 'other', type: 'SYN' }, { namespace: 'penpal', type: 'CALL', id: 'x' }, { namespace: 'penpal', type: 'NOPE' }, { penpal: 'call' }, 'penpal'])
      expect(penpal.decode(v)).toBeNull();
  });
});

const pr = (...messages: object[]) => JSON.stringify({ __post_robot_10_0_46__: messages });

describe('post-robot', () => {
  it('decodes requests, acks and responses by name and hash', () => {
    expect(postRobot.decode(pr({ id: 'uid_1', origin: 'http://a', type: 'postrobot_message_request', hash: 'getUser_h1', name: 'getUser', data: { id: 3 } }))).toMatchObject({
      role: 'request',
      id: 'getUser_h1',
      label: 'send getUser',
      details: { data: '{id: 3}' },
    });
    expect(postRobot.decode(pr({ id: 'uid_2', origin: 'http://b', type: 'postrobot_message_ack', hash: 'getUser_h1', name: 'getUser' }))).toMatchObject({ role: 'event', label: 'ack getUser' });
    expect(postRobot.decode(pr({ id: 'uid_3', type: 'postrobot_message_response', hash: 'getUser_h1', name: 'getUser', ack: 'success', data: { name: 'Zippy' } }))).toMatchObject({ role: 'response', label: 'reply ok getUser' });
    expect(postRobot.decode(pr({ id: 'uid_4', type: 'postrobot_message_response', hash: 'h2', name: 'save', ack: 'error', error: { message: 'denied' } }))?.label).toBe('reply error save: Error: denied');
    expect(postRobot.decode(pr({ id: 'u', type: 'postrobot_message_request', hash: 'h3', name: 'log', fireAndForget: true }))?.role).toBe('notification');
  });

  it('shows the main message of a pack and keeps its parts', () => {
    const c = postRobot.decode(pr({ id: 'a', type: 'postrobot_message_ack', hash: 'h', name: 'n' }, { id: 'b', type: 'postrobot_message_response', hash: 'h', name: 'n', ack: 'success', data: 1 }));
    expect(c).toMatchObject({ role: 'response', id: 'h', label: 'reply ok n (+1 packed)' });
    expect(c?.parts).toHaveLength(2);
    expect(postRobot.decode(JSON.stringify({ __post_robot__: [{ type: 'postrobot_message_request', hash: 'h', name: 'n' }] }))?.role).toBe('request');
  });

  it('leaves other messages alone', () => {
    for (const v of [{ __post_robot_1__: [] }, '{"__post_robot_1__": [', pr({ type: 'other', hash: 'h', name: 'n' }), JSON.stringify({ __post_robotx: [] }), JSON.stringify({ __post_robot_1__: [], b: 1 })])
      expect(postRobot.decode(v)).toBeNull();
  });
});

describe('jsonrpc', () => {
  it('decodes requests, notifications, results and errors', () => {
    expect(jsonrpc.decode({ jsonrpc: '2.0', method: 'subtract', params: [42, 23], id: 1 })).toMatchObject({ role: 'request', id: '1', label: 'call subtract(42, 23)' });
    expect(jsonrpc.decode({ jsonrpc: '2.0', method: 'update', params: { a: 1 } })).toMatchObject({ role: 'notification', id: null, label: 'notify update({a: 1})' });
    expect(jsonrpc.decode({ jsonrpc: '2.0', result: 19, id: 1 })).toMatchObject({ role: 'response', id: '1', label: 'reply ok 19' });
    expect(jsonrpc.decode({ jsonrpc: '2.0', error: { code: -32601, message: 'Method not found' }, id: 'x' })).toMatchObject({ role: 'response', id: 'x', label: 'reply error -32601 Method not found' });
    expect(jsonrpc.decode(JSON.stringify({ jsonrpc: '2.0', method: 'ping', id: 'p' }))).toMatchObject({ role: 'request', id: 'p' });
  });

  it('decodes batches and pairs by every member id', () => {
    const req = jsonrpc.decode([
      { jsonrpc: '2.0', method: 'a', id: 1 },
      { jsonrpc: '2.0', method: 'b' },
      { jsonrpc: '2.0', method: 'c', id: 2 },
    ]);
    expect(req).toMatchObject({ role: 'request', id: '1', label: 'batch(3) call a(); notify b(); call c()' });
    expect(callIds(req!)).toEqual(['1', '2']);
    const res = jsonrpc.decode([{ jsonrpc: '2.0', result: 'C', id: 2 }, { jsonrpc: '2.0', result: 'A', id: 1 }]);
    expect(res?.role).toBe('response');
    expect(callIds(res!)).toEqual(['2', '1']);
  });

  it('leaves other messages alone', () => {
    for (const v of [{ jsonrpc: '1.0', method: 'a', id: 1 }, { jsonrpc: '2.0', id: 1 }, { jsonrpc: '2.0', method: 'a', id: {} }, [], [{ jsonrpc: '2.0', method: 'a' }, 5], '{"jsonrpc": oops', 'hello'])
      expect(jsonrpc.decode(v)).toBeNull();
  });
});

describe('decoding samples', () => {
  it('reads MessageRecord.sample text, ports included', () => {
    const s2 = { $: 'object', count: 4, entries: [['id', 'k'], ['type', 'HANDLER'], ['name', 'proxy'], ['value', { $: 'port' }]] };
    expect(decodeSample(JSON.stringify(s2))).toMatchObject({ protocol: 'comlink', label: 'reply proxy (new MessagePort)' });
  });

  it('gives null for unknown, missing or malformed samples and never throws', () => {
    expect(decodeSample(null)).toBeNull();
    expect(decodeSample('{')).toBeNull();
    expect(decodeSample(JSON.stringify({ $: 'bigint', v: 'not digits' }))).toBeNull();
    expect(decodeSample(JSON.stringify({ $: 'object', count: 1, entries: [['hello', 'world']] }))).toBeNull();
    expect(decodeValue({ get type() { throw new Error('hostile'); } })).toBeNull();
    expect(DECODERS.map((d) => d.name)).toEqual(['comlink', 'penpal', 'post-robot', 'jsonrpc']);
  });
});

describe('post-robot texts the sample cut', () => {
  it('decodes the first message from the head the sample kept', () => {
    const big = pr({ id: 'uid_1', origin: 'http://a', type: 'postrobot_message_request', hash: 'save_h9', name: 'save', data: { blob: 'x'.repeat(5000) } });
    const sample = JSON.stringify({ $: 'str', head: big.slice(0, 1000), length: big.length });
    const c = decodeSample(sample);
    expect(c).toMatchObject({ protocol: 'post-robot', role: 'request', id: 'save_h9', label: 'send save' });
    expect(c?.details.cut).toMatch(/was \d+ characters; only its first 1000/);
    const res = pr({ id: 'u2', origin: 'http://b', type: 'postrobot_message_response', hash: 'save_h9', name: 'save', ack: 'success', data: 'y'.repeat(3000) });
    expect(decodeSample(JSON.stringify({ $: 'str', head: res.slice(0, 1000), length: res.length }))).toMatchObject({ role: 'response', id: 'save_h9', label: 'reply ok save' });
  });

  it('decodes every packed message the head kept whole: an ack packed before an error reply with its stack', () => {
    const stack = Array.from({ length: 40 }, (_, i) => `    at handler${i} (http://127.0.0.1:8080/calls/robot-child.js:${i + 1}:7)`).join('\n');
    const ack = { id: 'a1', origin: 'http://a', type: 'postrobot_message_ack', hash: 'boom_h1', name: 'boom' };
    // As post-robot 10 serializes an error: { __type__: 'error', __val__: { message, stack } }.
    const err = { id: 'a2', origin: 'http://a', type: 'postrobot_message_response', hash: 'boom_h1', name: 'boom', ack: 'error', error: { __type__: 'error', __val__: { message: 'kaboom', stack } } };
    const text = pr(ack, err);
    expect(text.length).toBeGreaterThan(SAMPLE_LIMITS.string);
    // What the page samples of such a message: the whole text (a message that is one string).
    const { text: sampled } = buildSample(plainAccess, text);
    const whole = decodeSample(sampled);
    expect(whole).toMatchObject({ role: 'response', id: 'boom_h1', label: 'reply error boom: Error: kaboom (+1 packed)' });
    expect(whole?.parts?.map((c) => c.role)).toEqual(['event', 'response']);
    // Cut after the error reply: both whole in the head, both decoded.
    const tail = text + ' '.repeat(0);
    const cutAfter = JSON.stringify({ $: 'str', head: tail.slice(0, tail.length - 2), length: tail.length + 50_000 });
    expect(decodeSample(cutAfter)).toMatchObject({ role: 'response', id: 'boom_h1', label: 'reply error boom: Error: kaboom (+1 packed)' });
    // Cut inside the error reply: the ack alone is whole; it is not taken for a reply.
    const cutInside = JSON.stringify({ $: 'str', head: text.slice(0, 1000), length: text.length });
    expect(decodeSample(cutInside)).toMatchObject({ role: 'event', label: 'ack boom' });
  });

  it('leaves other cut texts alone', () => {
    expect(decodeSample(JSON.stringify({ $: 'str', head: 'x'.repeat(1000), length: 5000 }))).toBeNull();
    expect(decodeSample(JSON.stringify({ $: 'str', head: '{"__post_robot_1__":[{"id":"u","type":"postrobot_message_request"', length: 5000 }))).toBeNull();
  });
});

describe('sniffing', () => {
  it('converts and decodes a sample only for decoders whose sniff lets it through', () => {
    let asked = 0;
    const d = (sniff: boolean) => ({ name: 'x', sniff: () => sniff, decode: () => (asked++, null) });
    expect(decodeSample(JSON.stringify({ $: 'object', count: 1, entries: [['a', 1]] }), [d(false), d(false)])).toBeNull();
    expect(asked).toBe(0);
    decodeSample(JSON.stringify('text'), [d(false), d(true)]);
    expect(asked).toBe(1);
    // Every built-in decoder sniffs: plain app data is not converted at all.
    for (const dec of DECODERS) expect(dec.sniff?.({ $: 'object', count: 2, entries: [['kind', 'update'], ['value', 3]] })).toBe(false);
  });
});
