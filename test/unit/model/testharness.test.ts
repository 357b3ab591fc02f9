// The contract: a testharness-style test written for browsers runs unchanged in Node once a
// realm's members are installed as globals. The test body below is browser code.
import { afterEach, describe, expect, it } from 'vitest';
import { createRealm } from '../../../src/model/index.js';

let uninstall: (() => void) | null = null;
afterEach(() => {
  uninstall?.();
  uninstall = null;
});

// Written as a browser test would be: globals only.
function browserTest(done: (result: unknown[]) => void) {
  const g = globalThis as any;
  const channel = new g.MessageChannel();
  const results: unknown[] = [];
  const buffer = new ArrayBuffer(8);
  channel.port2.onmessage = (e: any) => {
    results.push(e instanceof g.MessageEvent, e.data.text, e.data.buffer.byteLength, e.ports.length, e.ports[0] instanceof g.MessagePort);
    const bc = new g.BroadcastChannel('t');
    const bc2 = new g.BroadcastChannel('t');
    bc2.onmessage = (ev: any) => {
      results.push(ev.data);
      done(results);
    };
    bc.postMessage('broadcast');
  };
  const other = new g.MessageChannel();
  channel.port1.postMessage({ text: 'hello', buffer }, [buffer, other.port1]);
  results.push(buffer.byteLength);
  try {
    g.structuredClone(() => 1);
  } catch (e: any) {
    results.push(e instanceof g.DOMException, e.name);
  }
}

describe('testharness-style code with realm globals installed', () => {
  it('runs unchanged', async () => {
    const r = createRealm({ origin: 'https://wpt.test', profile: 'spec' });
    uninstall = r.install();
    const out = await new Promise<unknown[]>((resolve) => browserTest(resolve));
    expect(out).toEqual([0, true, 'DataCloneError', true, 'hello', 8, 1, true, 'broadcast']);
  });

  it('install() restores the previous globals', () => {
    const before = (globalThis as any).MessageChannel;
    const r = createRealm();
    const undo = r.install();
    expect((globalThis as any).MessageChannel).toBe(r.MessageChannel);
    undo();
    expect((globalThis as any).MessageChannel).toBe(before);
  });
});
