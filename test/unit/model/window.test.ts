// Window postMessage (#window-post-message-steps, #dom-window-postmessage, -options):
// targetOrigin "*", "/", a URL's origin, SyntaxError, drop on mismatch at delivery time.
import { describe, expect, it } from 'vitest';
import { createRealm } from '../../../src/model/index.js';
import { catchError, channel, collect } from './helpers.js';

function pair(profile: 'spec' | 'chromium' | 'firefox' = 'spec') {
  const top = createRealm({ origin: 'https://top.test', profile });
  const frame = top.openWindow({ origin: 'https://frame.test' });
  return { top, frame, toFrame: top.windowOf(frame) as any };
}

describe('window post message steps', () => {
  it('targetOrigin "*" delivers; origin is the incumbent origin and source its WindowProxy as the target sees it', async () => {
    const { top, frame, toFrame } = pair();
    const got = collect(frame.window);
    toFrame.postMessage({ hi: 1 }, '*');
    await top.settle();
    const e = got.events[0];
    expect(e.data).toEqual({ hi: 1 });
    expect(e.origin).toBe('https://top.test');
    expect(e.source).toBe(frame.windowOf(top));
    expect(e.lastEventId).toBe('');
    expect(e.isTrusted).toBe(true);
    expect(Object.isFrozen(e.ports)).toBe(true);
  });

  it('targetOrigin "/" means the incumbent origin: dropped when the target is cross-origin', async () => {
    const { top, frame, toFrame } = pair();
    const got = collect(frame.window);
    toFrame.postMessage('x', '/');
    expect(top.lastOutcome?.predicted).toEqual({ o: 'dropped', reason: 'target-origin-mismatch' });
    await top.settle();
    expect(got.data()).toEqual([]);
  });

  it('the options overload defaults targetOrigin to "/" (same-origin self post delivers)', async () => {
    const r = createRealm({ origin: 'https://a.test' });
    const got = collect(r.window);
    (r.window as any).postMessage('one');
    (r.window as any).postMessage('two', {});
    (r.window as any).postMessage('three', { targetOrigin: 'https://a.test/any/path?q' });
    await r.settle();
    expect(got.data()).toEqual(['one', 'two', 'three']);
    expect(got.events[0].source).toBe(r.window);
  });

  it('a URL targetOrigin matches by origin only (path ignored); another origin is dropped silently', async () => {
    const { top, frame, toFrame } = pair();
    const got = collect(frame.window);
    toFrame.postMessage('match', 'https://frame.test/some/page');
    toFrame.postMessage('other', 'https://evil.test');
    toFrame.postMessage('port', 'https://frame.test:444');
    await top.settle();
    expect(got.data()).toEqual(['match']);
  });

  it('step 4: an unparsable targetOrigin throws SyntaxError (standard: before serializing, nothing detached)', () => {
    const { toFrame } = pair('spec');
    const buf = new ArrayBuffer(4);
    const e = catchError(() => toFrame.postMessage(() => 1, 'not a url', [buf]));
    expect(e.name).toBe('SyntaxError');
    expect(e).toBeInstanceOf(DOMException);
    expect(buf.byteLength).toBe(4);
  });

  it('the origin check happens in the task, against the target origin at delivery time', async () => {
    const { top, frame, toFrame } = pair();
    const got = collect(frame.window);
    toFrame.postMessage('before-navigation', 'https://frame.test');
    frame.navigate('https://elsewhere.test');
    await top.settle();
    expect(got.data()).toEqual([]);
  });

  it('ports and buffers travel through window messages; a dropped window message loses its ports', async () => {
    const { top, frame, toFrame } = pair();
    const got = collect(frame.window);
    const [a, b] = channel(top);
    const buf = new ArrayBuffer(3);
    toFrame.postMessage({ buf }, '*', [b, buf]);
    expect(buf.byteLength).toBe(0);
    await top.settle();
    const e = got.events[0];
    expect(e.ports[0]).toBeInstanceOf(frame.MessagePort);
    expect(e.data.buf.byteLength).toBe(3);
    const [c, d] = channel(top);
    toFrame.postMessage(null, 'https://nope.test', [d]);
    await top.settle();
    c.postMessage('into the void');
    expect(top.lastOutcome?.predicted).toEqual({ o: 'dropped', reason: 'doomed' });
    void a;
  });

  it('an opaque ("null") origin: "null" is not a URL (SyntaxError), only "*" reaches a sandboxed window', async () => {
    const top = createRealm({ origin: 'https://top.test' });
    const sandboxed = top.openWindow({ origin: 'null' });
    const got = collect(sandboxed.window);
    expect(catchError(() => (top.windowOf(sandboxed) as any).postMessage('x', 'null')).name).toBe('SyntaxError');
    (top.windowOf(sandboxed) as any).postMessage('y', '*');
    await top.settle();
    expect(got.data()).toEqual(['y']);
  });
});
