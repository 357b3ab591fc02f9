// The sender's sample (mode 'sent'): taken from the sender's own object after the browser's
// postMessage cloned it, when the delivery is out of sight (a worker). It must never run page
// code: no getter, no proxy trap, no prototype chain the page made.
import { describe, expect, it } from 'vitest';
import { buildSample } from '../../../src/instrument/sample';
import { decodeSample } from '../../../src/decode';
import type { Sample } from '../../../src/protocol/sample';
import { sampleError } from '../../../src/protocol/sample-check';
import { plainAccess } from '../instrument/plain-access';

// In the page a port is told by a brand check; Node's `instanceof` would walk the prototype chain.
const access = { ...plainAccess, isPort: (v: unknown): v is MessagePort => false && v !== v };

function sent(v: unknown): Sample {
  const { text } = buildSample(access, v, undefined, 'sent');
  expect(text).not.toBeNull();
  const s = JSON.parse(text!) as Sample;
  expect(sampleError(s)).toBeNull();
  return s;
}

/** A Proxy whose every trap counts its calls (and then behaves as its target). */
function countingProxy<T extends object>(target: T, calls: string[]): T {
  const handler: ProxyHandler<T> = {};
  for (const trap of ['get', 'set', 'has', 'ownKeys', 'getOwnPropertyDescriptor', 'getPrototypeOf', 'defineProperty', 'deleteProperty', 'isExtensible', 'preventExtensions', 'setPrototypeOf', 'apply', 'construct'] as const) {
    (handler as Record<string, unknown>)[trap] = (...args: unknown[]) => {
      calls.push(trap);
      return (Reflect[trap] as (...a: unknown[]) => unknown)(...args);
    };
  }
  return new Proxy(target, handler);
}

describe("the sender's sample", () => {
  it('reads own data properties like the receiver would see them, Maps, Sets and dates included', () => {
    const msg = { id: 'c-1', type: 'APPLY', path: ['add'], argumentList: [{ type: 'RAW', value: 2 }, { type: 'RAW', value: 3 }], m: new Map([['k', new Set([1])]]), d: new Date(5), r: /x/g, e: new Error('bad') };
    expect(sent(msg)).toEqual({
      $: 'object',
      count: 8,
      entries: [
        ['id', 'c-1'],
        ['type', 'APPLY'],
        ['path', { $: 'array', items: ['add'], length: 1 }],
        ['argumentList', { $: 'array', length: 2, items: [{ $: 'object', count: 2, entries: [['type', 'RAW'], ['value', 2]] }, { $: 'object', count: 2, entries: [['type', 'RAW'], ['value', 3]] }] }],
        ['m', { $: 'map', size: 1, entries: [['k', { $: 'set', size: 1, items: [1] }]] }],
        ['d', { $: 'date', v: 5 }],
        ['r', { $: 'regexp', source: 'x', flags: 'g' }],
        ['e', { $: 'error', name: 'Error', message: 'bad' }],
      ],
    });
    expect(decodeSample(JSON.stringify(sent({ id: 'c-1', type: 'APPLY', path: ['add'], argumentList: [{ type: 'RAW', value: 2 }] })))).toMatchObject({ protocol: 'comlink', role: 'request', label: 'APPLY add(2)' });
  });

  it('never calls a getter: an accessor is marked as not read', () => {
    let calls = 0;
    const msg = {
      plain: 1,
      get lazy() {
        calls++;
        return 2;
      },
      list: [1],
    };
    Object.defineProperty(msg.list, 0, { get: () => (calls++, 9), enumerable: true });
    const s = sent(msg);
    expect(calls).toBe(0);
    expect(s).toEqual({
      $: 'object',
      count: 3,
      entries: [
        ['plain', 1],
        ['lazy', { $: 'cut', kind: 'accessor' }],
        ['list', { $: 'array', length: 1, items: [{ $: 'cut', kind: 'accessor' }] }],
      ],
    });
  });

  it("never runs a trap of a Proxy behind a value's prototype, and leaves such objects unopened", () => {
    const calls: string[] = [];
    const proxyProto = countingProxy({}, calls);
    class Point {
      constructor(
        public x: number,
        public y: number,
      ) {}
    }
    const viaProxy = Object.create(proxyProto) as object;
    const errorViaProxy = Object.setPrototypeOf(new Error('e'), proxyProto) as Error;
    const typed = Object.setPrototypeOf(new Uint8Array([1, 2]), proxyProto) as Uint8Array;
    const s = sent({ a: viaProxy, p: new Point(1, 2), e: errorViaProxy, t: typed, m: new Map([[1, viaProxy]]) });
    expect(calls).toEqual([]);
    expect(s).toEqual({
      $: 'object',
      count: 5,
      entries: [
        ['a', { $: 'cut', kind: 'object' }],
        ['p', { $: 'cut', kind: 'object' }],
        ['e', { $: 'cut', kind: 'object' }],
        ['t', { $: 'bytes', kind: 'Uint8Array', byteLength: 2, head: [1, 2] }],
        ['m', { $: 'map', size: 1, entries: [[1, { $: 'cut', kind: 'object' }]] }],
      ],
    });
  });
});
