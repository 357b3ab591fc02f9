// StructuredSerializeInternal / StructuredDeserialize (structured-data.html §2.7.3-2.7.8) through
// realm.structuredClone and postMessage: every serializable type, shared references, cycles,
// ArrayBuffer transfer, every DataCloneError condition with its path, messageerror.
import { describe, expect, it } from 'vitest';
import { createRealm, isDetached } from '../../../src/model/index.js';
import { catchError, channel, collect, realm } from './helpers.js';

describe('StructuredSerializeInternal: serializable types', () => {
  const r = realm();
  const clone = (v: unknown) => r.structuredClone(v) as any;

  it('primitives (undefined, null, boolean, number incl. -0 and NaN, string, bigint)', () => {
    for (const v of [undefined, null, true, false, 1.5, NaN, 'str', 10n ** 30n]) expect(clone(v)).toEqual(v);
    expect(Object.is(clone(-0), -0)).toBe(true);
  });

  it('primitive wrappers Boolean, Number, String, BigInt', () => {
    const [b, n, s, g] = clone([Object(false), Object(2), Object('x'), Object(3n)]);
    expect([typeof b, b.valueOf(), n.valueOf(), s.valueOf(), g.valueOf()]).toEqual(['object', false, 2, 'x', 3n]);
  });

  it('Date and RegExp (lastIndex not kept)', () => {
    const re = /a+b/gi;
    re.lastIndex = 3;
    const [d, x] = clone([new Date(1700000000000), re]);
    expect(d).toBeInstanceOf(Date);
    expect(d.getTime()).toBe(1700000000000);
    expect([x.source, x.flags, x.lastIndex]).toEqual(['a+b', 'gi', 0]);
  });

  it('ArrayBuffer (copied, resizable keeps maxByteLength), typed arrays and DataView sharing one buffer', () => {
    const buf = new ArrayBuffer(8);
    new Uint8Array(buf).set([1, 2, 3, 4, 5, 6, 7, 8]);
    const out = clone({ buf, u8: new Uint8Array(buf, 2, 3), dv: new DataView(buf, 4), f64: new Float64Array(1), big: new BigInt64Array(2) });
    expect(out.buf).not.toBe(buf);
    expect(out.u8.buffer).toBe(out.buf);
    expect(out.dv.buffer).toBe(out.buf);
    expect([...out.u8]).toEqual([3, 4, 5]);
    expect([out.u8.byteOffset, out.dv.byteOffset, out.dv.byteLength]).toEqual([2, 4, 4]);
    expect(out.f64).toBeInstanceOf(Float64Array);
    expect(out.big).toBeInstanceOf(BigInt64Array);
    const rz = clone(new (ArrayBuffer as any)(4, { maxByteLength: 16 }));
    expect([rz.resizable, rz.maxByteLength]).toEqual([true, 16]);
  });

  it('Map and Set keep insertion order and object keys', () => {
    const k = { key: 1 };
    const out = clone(new Map<unknown, unknown>([[k, 'v'], ['s', new Set([1, k])]]));
    const [ck] = out.keys();
    expect(ck).toEqual({ key: 1 });
    expect([...out.get('s')][1]).toBe(ck);
  });

  it('arrays keep length, holes and extra properties; objects keep own enumerable string keys only', () => {
    const a: any = [1, , 3];
    a.extra = 'x';
    const out = clone(a);
    expect([out.length, 1 in out, out.extra]).toEqual([3, false, 'x']);
    const o = Object.create({ inherited: 1 });
    o.own = 2;
    Object.defineProperty(o, 'hidden', { value: 3, enumerable: false });
    o[Symbol('s')] = 4;
    expect(clone(o)).toEqual({ own: 2 });
    expect(Object.getPrototypeOf(clone(new (class Foo { x = 1 })()))).toBe(Object.prototype);
  });

  it('getters run once, in key order ([[Get]])', () => {
    const calls: string[] = [];
    const o = { get a() { calls.push('a'); return 1; }, get b() { calls.push('b'); return 2; } };
    expect(clone(o)).toEqual({ a: 1, b: 2 });
    expect(calls).toEqual(['a', 'b']);
  });

  it('Error types: name among the native ones (else "Error"), own message', () => {
    const [t, c, s] = clone([new TypeError('t'), Object.assign(new Error('c'), { name: 'Custom' }), new SyntaxError()]);
    expect(t).toBeInstanceOf(TypeError);
    expect(t.message).toBe('t');
    expect([c.name, c.message]).toEqual(['Error', 'c']);
    expect(s).toBeInstanceOf(SyntaxError);
    expect(Object.prototype.hasOwnProperty.call(s, 'message')).toBe(false);
  });

  it('DOMException is serializable (name and message)', () => {
    const e = clone(new DOMException('m', 'DataCloneError'));
    expect(e).toBeInstanceOf(DOMException);
    expect([e.name, e.message, e.code]).toEqual(['DataCloneError', 'm', 25]);
  });

  it('shared references stay shared and cycles are kept', () => {
    const shared = { s: 1 };
    const o: any = { a: shared, b: [shared], m: new Map([[shared, shared]]) };
    o.self = o;
    const out = clone(o);
    expect(out.self).toBe(out);
    expect(out.a).toBe(out.b[0]);
    const [[mk, mv]] = [...out.m];
    expect(mk).toBe(out.a);
    expect(mv).toBe(out.a);
  });
});

describe('DataCloneError conditions, with the path of the offending value', () => {
  const cases: [string, () => unknown, string][] = [
    ['IsCallable: a function', () => ({ a: { b: [0, 1, 2, () => 1] } }), 'message.a.b[3]'],
    ['a symbol primitive', () => ({ s: Symbol('x') }), 'message.s'],
    ['a Symbol wrapper object', () => [Object(Symbol('x'))], 'message[0]'],
    ['an object with unknown internal slots (WeakMap)', () => ({ w: new WeakMap() }), 'message.w'],
    ['a Promise', () => ({ p: Promise.resolve() }), 'message.p'],
    ['a non-serializable platform object (Event)', () => ({ e: new (realm().Event)('x') }), 'message.e'],
    ['a detached ArrayBuffer', () => { const b = new ArrayBuffer(2); structuredClone(b, { transfer: [b] }); return { b }; }, 'message.b'],
    ['a typed array over a detached buffer', () => { const b = new ArrayBuffer(2); const u = new Uint8Array(b); structuredClone(b, { transfer: [b] }); return { u }; }, 'message.u'],
    ['a function inside a Map value', () => new Map([['k', () => 1]]), 'message(Map)[0].value'],
    ['a function under a non-identifier key', () => ({ 'a b': [() => 1] }), 'message["a b"][0]'],
  ];
  for (const [what, make, path] of cases) {
    it(`StructuredSerializeInternal: ${what} → DataCloneError at ${path}`, () => {
      const r = realm();
      const [a] = channel(r);
      const e = catchError(() => a.postMessage(make()));
      expect(e.name).toBe('DataCloneError');
      expect(e).toBeInstanceOf(DOMException);
      expect(r.lastOutcome?.predicted).toMatchObject({ o: 'error', name: 'DataCloneError', path });
      expect(e.message).toContain(path); // spec profile messages name the path
    });
  }

  it('SharedArrayBuffer outside a cross-origin isolated realm → DataCloneError', () => {
    const r = realm();
    expect(catchError(() => r.structuredClone(new SharedArrayBuffer(4))).name).toBe('DataCloneError');
  });

  it('StructuredSerializeWithTransfer: a non-transferable object in the transfer list → DataCloneError (before serializing)', () => {
    const r = realm();
    const [a] = channel(r);
    const e = catchError(() => a.postMessage(() => 1, [{}]));
    expect(e.name).toBe('DataCloneError');
    expect(r.lastOutcome?.error?.path).toBe('transfer[0]');
  });

  it('StructuredSerializeWithTransfer: a duplicate ArrayBuffer → DataCloneError (checked before the message)', () => {
    const r = realm();
    const [a] = channel(r);
    const b = new ArrayBuffer(1);
    expect(catchError(() => a.postMessage(() => 1, [b, b])).name).toBe('DataCloneError');
    expect(r.lastOutcome?.error?.code).toBe('duplicate-buffer');
    expect(b.byteLength).toBe(1);
  });

  it('StructuredSerializeWithTransfer: a detached ArrayBuffer in the transfer list → DataCloneError', () => {
    const r = realm();
    const [a] = channel(r);
    const b = new ArrayBuffer(1);
    structuredClone(b, { transfer: [b] });
    expect(catchError(() => a.postMessage(1, [b])).name).toBe('DataCloneError');
  });

  it('a serialization error leaves the transfer list untouched (nothing detached)', () => {
    const [a] = channel(realm());
    const b = new ArrayBuffer(4);
    catchError(() => a.postMessage({ f() {} }, [b]));
    expect(b.byteLength).toBe(4);
  });

  it('standard: transferables are detached one by one, so a failure part-way leaves earlier ones detached', () => {
    const [a] = channel(realm('spec'));
    const b = new ArrayBuffer(4);
    const gone = new ArrayBuffer(4);
    structuredClone(gone, { transfer: [gone] });
    catchError(() => a.postMessage(1, [b, gone]));
    expect(b.byteLength).toBe(0);
  });
});

describe('ArrayBuffer transfer', () => {
  it('DetachArrayBuffer: byteLength 0 and detached afterwards; the receiver gets the bytes', async () => {
    const r = realm();
    const [a, b] = channel(r);
    const got = collect(b);
    const buf = new Uint8Array([9, 8, 7]).buffer;
    a.postMessage({ buf }, [buf]);
    expect(buf.byteLength).toBe(0);
    expect(isDetached(buf)).toBe(true);
    await r.settle();
    expect([...new Uint8Array(got.data()[0].buf)]).toEqual([9, 8, 7]);
  });

  it('a transferred buffer that the message does not reference is still detached (data lost)', async () => {
    const r = realm();
    const [a, b] = channel(r);
    const got = collect(b);
    const buf = new ArrayBuffer(4);
    a.postMessage('no ref', [buf]);
    expect(buf.byteLength).toBe(0);
    await r.settle();
    expect(got.data()).toEqual(['no ref']);
  });

  it('structuredClone(value, { transfer }) moves the buffer within the realm', () => {
    const r = realm();
    const buf = new ArrayBuffer(4);
    const out = r.structuredClone({ buf }, { transfer: [buf] }) as any;
    expect(buf.byteLength).toBe(0);
    expect(out.buf.byteLength).toBe(4);
  });
});

describe('StructuredDeserializeWithTransfer failure → messageerror', () => {
  it('a port sent to a realm where MessagePort is not exposed fires messageerror at the target', async () => {
    const r = createRealm({ origin: 'https://a.test' });
    const other = r.openWindow({ exposesMessagePort: false });
    const errors: any[] = [];
    (other.window as any).onmessageerror = (e: any) => errors.push(e);
    const [x] = channel(r);
    (r.windowOf(other) as any).postMessage('p', '*', [x]);
    await r.settle();
    expect(errors.length).toBe(1);
    expect(errors[0].type).toBe('messageerror');
    expect(errors[0].data).toBe(null);
    expect(errors[0].origin).toBe('https://a.test');
  });

  it('a SharedArrayBuffer sent to another agent cluster fires messageerror; within the cluster it is shared', async () => {
    const r = createRealm({ origin: 'https://a.test', crossOriginIsolated: true } as any);
    const far = r.openWindow({ separateAgentCluster: true });
    const near = r.openWindow();
    const sab = new SharedArrayBuffer(4);
    const farErr = collect(far.window);
    const nearGot = collect(near.window);
    (r.windowOf(far) as any).postMessage(sab, '*');
    (r.windowOf(near) as any).postMessage(sab, '*');
    await r.settle();
    expect(farErr.events.map((e) => e.type)).toEqual(['messageerror']);
    expect(nearGot.data()[0]).toBe(sab);
  });

  it('messageerror on a port goes to the port (MessagePort port message queue)', async () => {
    const r = createRealm({ origin: 'https://a.test', crossOriginIsolated: true } as any);
    const far = r.openWindow({ separateAgentCluster: true });
    let port: any;
    (far.window as any).onmessage = (e: any) => (port = e.ports[0]);
    const [a, b] = channel(r);
    (r.windowOf(far) as any).postMessage(null, '*', [b]);
    await r.settle();
    const types: string[] = [];
    port.onmessageerror = (e: any) => types.push(e.type);
    port.onmessage = (e: any) => types.push(e.type);
    a.postMessage(new SharedArrayBuffer(1));
    a.postMessage('fine');
    await r.settle();
    expect(types).toEqual(['messageerror', 'message']);
  });
});
