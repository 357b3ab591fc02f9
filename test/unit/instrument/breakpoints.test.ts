// The page side of message breakpoints (src/instrument/breakpoints.ts) over Node's natives:
// which deliveries and sends match, that a delivery pauses once (at its first listener), that
// debug() is taken only with the tab's key and wraps exactly the page's call, and that the
// background's share per document (src/aggregate/breakpoints.ts) names local ports.
import { describe, expect, it } from 'vitest';
import { captureNatives } from '../../../src/instrument/natives';
import { createBreakpoints } from '../../../src/instrument/breakpoints';
import { builtDeliver, put, putReceived, D } from '../../../src/protocol/compact';
import { buildSample } from '../../../src/instrument/sample';
import type { BreakpointsCommand } from '../../../src/protocol/messages';

const n = captureNatives(globalThis);
const KEY = 'ci-debug-0123456789abcdef';

function delivery(data: unknown, port = 3) {
  const r = builtDeliver(1, false);
  put(r, D.port, port);
  putReceived(r, [], 1, buildSample(n, data));
  return r;
}
const cmd = (common: BreakpointsCommand['common']): BreakpointsCommand => ({ t: 'breakpoints', key: KEY, common, byDoc: {} });

describe('message breakpoints in the page', () => {
  it('is disarmed with no breakpoint, and calls the listener as it is', () => {
    const b = createBreakpoints(n, 'http://a.test');
    expect(b.deliverArmed).toBe(false);
    expect(b.sendArmed).toBe(false);
    b.set(cmd([]), 'doc');
    expect(b.deliverArmed || b.sendArmed).toBe(false);
  });

  it('pauses a matching Comlink call once per delivery, through debug() around exactly the page’s call', () => {
    const b = createBreakpoints(n, 'http://a.test');
    b.set(cmd([{ id: 1, on: 'deliver', protocol: 'comlink', call: 'apply add' }]), 'doc');
    expect(b.deliverArmed).toBe(true);
    const calls: string[] = [];
    const debug = (f: Function) => calls.push(`debug ${f.name}`);
    const undebug = (f: Function) => calls.push(`undebug ${f.name}`);
    // A page's own hand-over without the key is refused (and behaves as natively: false).
    expect(b.take(['ci-debug-wrong-key-000000', debug, undebug])).toBe(false);
    expect(b.take([KEY, debug, undebug])).toBe(true);
    const ev1 = {} as Event;
    const add = delivery({ id: 'x', type: 'APPLY', path: ['add'], argumentList: [{ type: 'RAW', value: 1 }, { type: 'RAW', value: 2 }] });
    function first(this: unknown, e: Event) {
      calls.push('first');
      return e === ev1 && this === 'self' ? 'ret' : 'wrong';
    }
    function second() {
      calls.push('second');
    }
    expect(b.callListener(first, 'self', ev1, add)).toBe('ret');
    b.callListener(second, 'self', ev1, add);
    expect(calls).toEqual(['debug first', 'first', 'undebug first', 'second']);
    // Another method does not match.
    calls.length = 0;
    const mul = delivery({ id: 'y', type: 'APPLY', path: ['mul'], argumentList: [] });
    b.callListener(first, 'self', {} as Event, mul);
    expect(calls).toEqual(['first']);
  });

  it('matches ports, text and send outcomes as the background translated them', () => {
    const b = createBreakpoints(n, 'http://a.test');
    b.set(
      cmd([
        { id: 1, on: 'send', ports: [7], outcome: 'dropped' },
        { id: 2, on: 'deliver', ports: [4], text: 'hello' },
      ]),
      'doc',
    );
    expect(b.sendHits(7, { o: 'dropped', reason: 'port-closed' })).toBe(true);
    expect(b.sendHits(7, { o: 'sent' })).toBe(false);
    expect(b.sendHits(8, { o: 'dropped', reason: 'port-closed' })).toBe(false);
    const calls: string[] = [];
    b.take([KEY, () => calls.push('debug'), () => calls.push('undebug')]);
    b.callListener(() => calls.push('other port'), null, {} as Event, delivery('say HELLO', 5));
    b.callListener(() => calls.push('listener'), null, {} as Event, delivery('say HELLO', 4));
    expect(calls).toEqual(['other port', 'debug', 'listener', 'undebug']);
  });

  it('takes a document’s own share before the common list', () => {
    const b = createBreakpoints(n, 'http://a.test');
    b.set({ t: 'breakpoints', key: KEY, common: [], byDoc: { mine: [{ id: 1, on: 'send' }] } }, 'mine');
    expect(b.sendArmed).toBe(true);
    b.set({ t: 'breakpoints', key: KEY, common: [], byDoc: { other: [{ id: 1, on: 'send' }] } }, 'mine');
    expect(b.sendArmed).toBe(false);
  });
});
