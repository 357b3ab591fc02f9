// Engine profiles: each place where Chromium 156 or Firefox ESR 153 departs from the standard
// (observed in the real browsers; docs/engine-differences.md has the evidence), as a test.
import { describe, expect, it } from 'vitest';
import { createShadow } from '../../../src/model/index.js';
import { catchError, channel, collect, realm } from './helpers.js';

describe('close event (#disentangle: fire "close" at the other port)', () => {
  it('spec: close() fires a trusted "close" Event at the other port, and onclose exists', async () => {
    const r = realm('spec');
    const [a, b] = channel(r);
    const seen: any[] = [];
    b.onclose = (e: any) => seen.push([e.type, e.isTrusted, e.target === b]);
    a.close();
    expect(seen).toEqual([['close', true, true]]);
  });
  for (const p of ['chromium', 'firefox'] as const) {
    it(`${p}: no close event and no onclose on MessagePort.prototype`, () => {
      const r = realm(p);
      const [a, b] = channel(r);
      const seen: unknown[] = [];
      b.addEventListener('close', () => seen.push(1));
      a.close();
      expect(seen).toEqual([]);
      expect('onclose' in r.MessagePort.prototype).toBe(false);
    });
  }
});

describe('posting on a closed or shipped port', () => {
  it('chromium: returns before any check: no DataCloneError, no buffer detached, even the source port in its transfer list', () => {
    const r = realm('chromium');
    const [a] = channel(r);
    a.close();
    const buf = new ArrayBuffer(4);
    expect(() => a.postMessage(() => 1, [buf])).not.toThrow();
    expect(() => a.postMessage(1, [a])).not.toThrow();
    expect(buf.byteLength).toBe(4);
    expect(r.lastOutcome?.predicted).toEqual({ o: 'dropped', reason: 'port-closed' });
  });
  for (const p of ['spec', 'firefox'] as const) {
    it(`${p}: serializes first (step 5), so a function still throws and buffers are still detached`, () => {
      const r = realm(p);
      const [a] = channel(r);
      const [x] = channel(r);
      r.MessageChannel; // eslint: keep realm in scope
      x.postMessage; // noop
      a.close();
      expect(catchError(() => a.postMessage(() => 1)).name).toBe('DataCloneError');
      const buf = new ArrayBuffer(4);
      a.postMessage(1, [buf]);
      expect(buf.byteLength).toBe(0);
    });
  }
});

describe('a closed port in the transfer list', () => {
  it('chromium: transferred without error; it arrives entangled with nothing', async () => {
    const r = realm('chromium');
    const [a, b] = channel(r);
    const [x] = channel(r);
    x.close();
    const got = collect(b);
    a.postMessage(null, [x]);
    await r.settle();
    const p = got.events[0].ports[0];
    expect(p).toBeInstanceOf(r.MessagePort);
    p.postMessage('nowhere');
    expect(r.lastOutcome?.predicted).toEqual({ o: 'dropped', reason: 'partner-closed' });
  });
  it('firefox (and spec): DataCloneError', () => {
    const r = realm('firefox');
    const [a] = channel(r);
    const [x] = channel(r);
    x.close();
    const e = catchError(() => a.postMessage(1, [x]));
    expect([e.name, e.message]).toEqual(['DataCloneError', 'invalid transferable array for structured clone']);
  });
});

describe('close() with messages already queued on the closed port', () => {
  it('chromium: they are discarded', async () => {
    const r = realm('chromium');
    const [a, b] = channel(r);
    const got = collect(b);
    a.postMessage(1);
    a.postMessage(2);
    b.close();
    await r.settle();
    expect(got.data()).toEqual([]);
  });
  it('firefox: they are still dispatched (also after close() inside a handler)', async () => {
    const r = realm('firefox');
    const [a, b] = channel(r);
    const seen: unknown[] = [];
    b.onmessage = (e: any) => {
      seen.push(e.data);
      b.close();
    };
    a.postMessage(1);
    a.postMessage(2);
    await r.settle();
    expect(seen).toEqual([1, 2]);
  });
});

describe('shipping a started port that has queued messages', () => {
  it('firefox: the next message is already in flight and reaches the old port object; the rest move', async () => {
    const r = realm('firefox');
    const [a, b] = channel(r);
    const [c, d] = channel(r);
    const log: string[] = [];
    b.onmessage = (e: any) => log.push('old' + e.data);
    a.postMessage(1);
    a.postMessage(2);
    a.postMessage(3);
    d.onmessage = (e: any) => (e.ports[0].onmessage = (ev: any) => log.push('new' + ev.data));
    c.postMessage(null, [b]);
    await r.settle();
    expect(log).toEqual(['old1', 'new2', 'new3']);
  });
  it('chromium (and spec): every queued message moves to the new port', async () => {
    const r = realm('chromium');
    const [a, b] = channel(r);
    const [c, d] = channel(r);
    const log: string[] = [];
    b.onmessage = (e: any) => log.push('old' + e.data);
    a.postMessage(1);
    a.postMessage(2);
    d.onmessage = (e: any) => (e.ports[0].onmessage = (ev: any) => log.push('new' + ev.data));
    c.postMessage(null, [b]);
    await r.settle();
    expect(log).toEqual(['new1', 'new2']);
  });
  it('firefox: if the partner had closed, the queue stays with the old object (dispatched only if started)', async () => {
    const r = realm('firefox');
    const [a, b] = channel(r);
    const [c, d] = channel(r);
    const log: string[] = [];
    b.onmessage = (e: any) => log.push('old' + e.data);
    a.postMessage(1);
    a.postMessage(2);
    a.close();
    d.onmessage = (e: any) => (e.ports[0].onmessage = (ev: any) => log.push('new' + ev.data));
    c.postMessage(null, [b]);
    await r.settle();
    expect(log).toEqual(['old1', 'old2']);
  });
});

describe('onmessageerror and the port message queue', () => {
  it('chromium: setting onmessageerror starts the queue', async () => {
    const r = realm('chromium');
    const [a, b] = channel(r);
    const got = collect(b, 'listener');
    b.onmessageerror = () => {};
    a.postMessage(1);
    await r.settle();
    expect(got.data()).toEqual([1]);
  });
  it('firefox: it does not', async () => {
    const r = realm('firefox');
    const [a, b] = channel(r);
    const got = collect(b, 'listener');
    b.onmessageerror = () => {};
    a.postMessage(1);
    await r.settle();
    expect(got.data()).toEqual([]);
  });
});

describe('order of the transfer-list checks', () => {
  it('chromium: buffers are detached before the source-port check, so they are lost although it throws', () => {
    const r = realm('chromium');
    const [a] = channel(r);
    const buf = new ArrayBuffer(4);
    const e = catchError(() => a.postMessage(1, [a, buf]));
    expect(e.message).toBe("Failed to execute 'postMessage' on 'MessagePort': Port at index 0 contains the source port.");
    expect(buf.byteLength).toBe(0);
  });
  it('chromium: buffers are detached before a shipped port is rejected', () => {
    const r = realm('chromium');
    const [a] = channel(r);
    const [x] = channel(r);
    a.postMessage(1, [x]);
    const buf = new ArrayBuffer(4);
    expect(catchError(() => a.postMessage(1, [buf, x])).message).toContain('Port at index 0 is already neutered.');
    expect(buf.byteLength).toBe(0);
  });
  it('chromium: all buffers are checked before any is detached (no partial detach)', () => {
    const r = realm('chromium');
    const [a] = channel(r);
    const b = new ArrayBuffer(4);
    const gone = new ArrayBuffer(4);
    structuredClone(gone, { transfer: [gone] });
    expect(catchError(() => a.postMessage(1, [b, gone])).message).toContain('ArrayBuffer at index 1 is already detached.');
    expect(b.byteLength).toBe(4);
  });
  it('firefox: the source port is checked first (nothing detached); a later detached buffer leaves earlier ones detached', () => {
    const r = realm('firefox');
    const [a] = channel(r);
    const buf = new ArrayBuffer(4);
    expect(catchError(() => a.postMessage(1, [a, buf])).message).toBe('The object could not be cloned.');
    expect(buf.byteLength).toBe(4);
    const gone = new ArrayBuffer(4);
    structuredClone(gone, { transfer: [gone] });
    catchError(() => a.postMessage(1, [buf, gone]));
    expect(buf.byteLength).toBe(0);
  });
});

describe('window.postMessage with an unparsable targetOrigin', () => {
  it('chromium: serializes first: buffers detached before the SyntaxError, a function gives DataCloneError', () => {
    const r = realm('chromium');
    const buf = new ArrayBuffer(4);
    const e = catchError(() => (r.window as any).postMessage(1, 'not a url', [buf]));
    expect([e.name, e.message]).toEqual(['SyntaxError', "Failed to execute 'postMessage' on 'Window': Invalid target origin 'not a url' in a call to 'postMessage'."]);
    expect(buf.byteLength).toBe(0);
    expect(catchError(() => (r.window as any).postMessage(() => 1, 'not a url')).name).toBe('DataCloneError');
  });
  it('firefox: SyntaxError first, nothing detached', () => {
    const r = realm('firefox');
    const buf = new ArrayBuffer(4);
    const e = catchError(() => (r.window as any).postMessage(() => 1, 'not a url', [buf]));
    expect([e.name, e.message]).toEqual(['SyntaxError', 'An invalid or illegal string was specified']);
    expect(buf.byteLength).toBe(4);
  });
});

describe('a started port whose partner is gone', () => {
  it('chromium: after delivering what was queued, the port closes itself; later posts return early', async () => {
    const r = realm('chromium');
    const [a, b] = channel(r);
    const got = collect(a);
    b.postMessage(1);
    b.postMessage(2);
    b.close();
    expect(catchError(() => a.postMessage(() => 1)).name).toBe('DataCloneError'); // not yet noticed
    await r.settle();
    expect(got.data()).toEqual([1, 2]);
    expect(() => a.postMessage(() => 1)).not.toThrow();
    expect(r.lastOutcome?.predicted).toEqual({ o: 'dropped', reason: 'port-closed' });
  });
  it('chromium: an unstarted port does not notice', async () => {
    const r = realm('chromium');
    const [a, b] = channel(r);
    b.close();
    await r.settle();
    expect(catchError(() => a.postMessage(() => 1)).name).toBe('DataCloneError');
  });
  it('chromium: a doomed partner is not "gone" (the message holding it is never destroyed)', async () => {
    const r = realm('chromium');
    const [a, b] = channel(r);
    a.start();
    a.postMessage(1, [b]);
    await r.settle();
    expect(catchError(() => a.postMessage(() => 1)).name).toBe('DataCloneError');
  });
  it('firefox: the port keeps serializing (DataCloneError for a function)', async () => {
    const r = realm('firefox');
    const [a, b] = channel(r);
    a.start();
    b.close();
    await r.settle();
    expect(catchError(() => a.postMessage(() => 1)).name).toBe('DataCloneError');
  });
});

describe('dispatch batching', () => {
  const order = async (p: 'chromium' | 'firefox' | 'spec') => {
    const r = realm(p);
    const [a1, a2] = channel(r);
    const [b1, b2] = channel(r);
    const log: string[] = [];
    a2.onmessage = (e: any) => log.push('a' + e.data);
    b2.onmessage = (e: any) => log.push('b' + e.data);
    for (let i = 1; i <= 3; i++) {
      a1.postMessage(i);
      b1.postMessage(i);
    }
    await r.settle();
    return log.join(' ');
  };
  it('chromium: one message per port first, then the rest of each port in one task', async () => {
    expect(await order('chromium')).toBe('a1 b1 a2 a3 b2 b3');
  });
  it('firefox (and the spec profile): one message per task, round robin over ports', async () => {
    expect(await order('firefox')).toBe('a1 b1 a2 b2 a3 b3');
    expect(await order('spec')).toBe('a1 b1 a2 b2 a3 b3');
  });
});

describe('Error objects through a clone', () => {
  it('chromium and firefox keep cause and stack; the spec profile keeps name and message only', () => {
    const err = new Error('m', { cause: 5 });
    const c = realm('chromium').structuredClone(err) as any;
    const f = realm('firefox').structuredClone(err) as any;
    const s = realm('spec').structuredClone(err) as any;
    expect([c.cause, f.cause, 'cause' in s]).toEqual([5, 5, false]);
    expect(c.stack).toBe(err.stack);
  });
});

describe('error messages (as observed)', () => {
  const msg = (p: 'chromium' | 'firefox', f: (a: any, r: any) => void) => {
    const r = realm(p);
    const [a] = channel(r);
    return catchError(() => f(a, r)).message;
  };
  it('chromium', () => {
    const pre = "Failed to execute 'postMessage' on 'MessagePort': ";
    expect(msg('chromium', (a) => a.postMessage({ s: Symbol('x') }))).toBe(`${pre}Symbol(x) could not be cloned.`);
    expect(msg('chromium', (a) => a.postMessage(1, [{}]))).toBe(`${pre}Value at index 0 does not have a transferable type.`);
    expect(msg('chromium', (a, r) => a.postMessage({ p: new r.MessageChannel().port1 }))).toBe(`${pre}A MessagePort could not be cloned because it was not transferred.`);
    expect(msg('chromium', (a) => a.postMessage(new WeakMap()))).toBe(`${pre}#<WeakMap> could not be cloned.`);
    expect(msg('chromium', (a, r) => a.postMessage(new r.Event('x')))).toBe(`${pre}Event object could not be cloned.`);
    expect(msg('chromium', (a) => { const b = new ArrayBuffer(1); a.postMessage(1, [b, b]); })).toBe(`${pre}ArrayBuffer at index 1 is a duplicate of an earlier ArrayBuffer.`);
    expect(msg('chromium', (a) => a.postMessage(1, [null]))).toBe(`${pre}Failed to convert value to 'object'.`);
  });
  it('firefox', () => {
    expect(msg('firefox', (a) => a.postMessage(() => 1))).toBe('Function object could not be cloned.');
    expect(msg('firefox', (a) => a.postMessage(Symbol('x')))).toBe('unsupported type for structured data');
    expect(msg('firefox', (a) => a.postMessage(1, [{}]))).toBe('invalid transferable array for structured clone');
    expect(msg('firefox', (a, r) => a.postMessage({ p: new r.MessageChannel().port1 }))).toBe('MessagePort object could not be cloned.');
    expect(msg('firefox', (a) => { const b = new ArrayBuffer(1); a.postMessage(1, [b, b]); })).toBe('duplicate transferable for structured clone');
    expect(msg('firefox', (a) => a.postMessage(1, [null]))).toBe('MessagePort.postMessage: Element of argument 2 is not an object.');
  });
  it('the non-transferable case is a DataCloneError in Chromium too (TypeError only for primitives, in both)', () => {
    const r = realm('chromium');
    const [a] = channel(r);
    expect(catchError(() => a.postMessage(1, [{}])).name).toBe('DataCloneError');
    expect(catchError(() => a.postMessage(1, [1])).name).toBe('TypeError');
  });
});

describe('the shadow follows the profile', () => {
  it('chromium shadow: a post on a closed port does not ship its transfer list; firefox shadow does', () => {
    for (const [p, shipped] of [['chromium', false], ['firefox', true]] as const) {
      const s = createShadow(p);
      const [a] = s.channel();
      const [x] = s.channel();
      s.close(a);
      s.post(a, [x]);
      expect(s.state(x).shipped).toBe(shipped);
    }
  });
});
