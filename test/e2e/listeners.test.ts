// The listener inventory in real browsers: test/pages/listeners registers message listeners on
// its window, a port, a worker and a BroadcastChannel (one removed, one `once`, one reading
// event.origin, one behind a Sentry-style wrapper) and, in a frame, through the real zone.js.
// The background's records must name the author's functions, count what each one handled as
// the page itself counted it, know which read event.origin, which are still attached, and point
// their stacks at the page's own source line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGES_DIR, startServer } from '../../scripts/serve.mjs';
import type { ListenerRecord } from '../../src/protocol/session';
import { launchRecorder, type BrowserName, type Recorder } from '../support/recorder';
import { openDevTools, type DevToolsSession } from '../support/devtools';

const SETTLE_MS = 20_000;
const APP = readFileSync(join(PAGES_DIR, 'listeners', 'app.js'), 'utf8').split('\n');
/** 1-based line of the first line of app.js containing `text`. */
const lineOf = (text: string) => APP.findIndex((l) => l.includes(text)) + 1;

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  // zone.js is served from node_modules, as a page would serve its own copy.
  server = await startServer({ dirs: [PAGES_DIR, join(PAGES_DIR, '..', '..', 'node_modules')] });
});
afterAll(async () => {
  await server?.close();
});

type Calls = { top: Record<string, number>; zone: Record<string, number> };

function suite(name: BrowserName) {
  describe(`${name}: listener inventory`, () => {
    let rec: Recorder;
    beforeAll(async () => {
      rec = await launchRecorder(name);
    });
    afterAll(() => rec?.close());

    it('records every listener with the author’s function, its counts, origin reads, state and stack', async () => {
      const url = `${server.origin('127.0.0.1')}/listeners/index.html`;
      const tab = await rec.open(url, 'scenarioDone');
      try {
        const calls = (await tab.evaluate(() => ({
          top: (window as any).calls,
          zone: ((document.getElementById('zone') as HTMLIFrameElement).contentWindow as any).calls,
        }))) as unknown as Calls;
        const all = { ...calls.top, ...calls.zone };
        // Wait (bounded) until the counts flushed by the page match what the page counted.
        let listeners: ListenerRecord[] = [];
        const byName = () => new Map(listeners.map((l) => [l.name, l]));
        const end = Date.now() + SETTLE_MS;
        for (;;) {
          listeners = (await rec.snapshot(url))?.listeners ?? [];
          const m = byName();
          if (Object.entries(all).every(([fn, n]) => m.get(fn)?.handled === n) && m.has('removedListener')) break;
          if (Date.now() > end) throw new Error(`timed out; the page counted ${JSON.stringify(all)}, the recorder held ${JSON.stringify(listeners.map((l) => [l.name, l.handled, l.wrappedBy]))}`);
          await new Promise((r) => setTimeout(r, 150));
        }
        const m = byName();
        const get = (fn: string) => {
          const l = m.get(fn);
          expect(l, `a record for ${fn}`).toBeDefined();
          return l!;
        };

        // Window listener that checks event.origin.
        const win = get('onWindowMessage');
        expect(win).toMatchObject({ type: 'message', kind: 'listener', removedAt: null, originRead: true, wrappedBy: null });
        expect(win.target.via).toBe('window');
        expect(win.target.contextId).toBe(win.contextId);
        expect(win.stack).toContain(`/listeners/app.js:${lineOf("window.addEventListener('message', function onWindowMessage")}:`);
        expect(win.source).toContain('e.origin !== location.origin');

        // The same, added and removed without a receiver (`addEventListener(...)` at top level).
        const bare = get('onBareWindowMessage');
        expect(bare).toMatchObject({ type: 'message', kind: 'listener', removedAt: null, originRead: true, handled: calls.top.onBareWindowMessage });
        expect(bare.target).toEqual(win.target);
        expect(bare.stack).toContain(`/listeners/app.js:${lineOf("addEventListener('message', function onBareWindowMessage")}:`);
        expect(get('bareRemoved')).toMatchObject({ removedBy: 'remove', handled: 0 });

        // Port listeners: plain (never reads origin), once, removed, Sentry-wrapped.
        const port = get('onPortMessage');
        expect(port).toMatchObject({ removedAt: null, originRead: false, wrappedBy: null, handled: calls.top.onPortMessage });
        expect(port.target.via).toBe('port');
        expect(port.target.port).not.toBeNull();
        expect(port.stack).toContain(`/listeners/app.js:${lineOf("ch.port2.addEventListener('message', function onPortMessage")}:`);
        const once = get('onceListener');
        expect(once).toMatchObject({ once: true, removedBy: 'once', handled: 1 });
        expect(once.removedAt).not.toBeNull();
        expect(once.target.port).toBe(port.target.port);
        const removed = get('removedListener');
        expect(removed).toMatchObject({ removedBy: 'remove', handled: 0, originRead: false });
        expect(removed.removedAt).toBeGreaterThanOrEqual(removed.addedAt);
        const sentry = get('sentryAuthor');
        expect(sentry).toMatchObject({ wrappedBy: 'sentry', removedAt: null, handled: calls.top.sentryAuthor });
        expect(sentry.source).toContain('sentry-author-marker');

        // The worker's on* handler and the BroadcastChannel listener.
        const worker = get('onWorkerMessage');
        expect(worker).toMatchObject({ kind: 'handler', removedAt: null, handled: 2 });
        expect(worker.target.via).toBe('worker');
        expect(worker.target.contextId).not.toBeNull();
        expect(worker.target.contextId).not.toBe(worker.contextId);
        const bc = get('onBroadcast');
        expect(bc.target).toMatchObject({ via: 'broadcast', channel: 'ci-listeners' });
        expect(bc.handled).toBe(1);

        // zone.js: one shared callback per target and type; the records are the author's listeners.
        const zoneWin = get('zoneWindowListener');
        const zoneDone = get('zoneDoneListener');
        const first = get('zoneFirst');
        const second = get('zoneSecond');
        for (const l of [zoneWin, zoneDone, first, second]) {
          expect(l.wrappedBy, l.name!).toBe('zone.js');
          expect(l.removedAt).toBeNull();
          expect(l.contextId).not.toBe(win.contextId);
        }
        expect(first.target.port).toBe(second.target.port);
        expect(first.target.port).not.toBeNull();
        expect(zoneWin.target.via).toBe('window');
        // Which of two tasks behind one callback read event.origin.
        expect(first.originRead).toBe(true);
        expect(second.originRead).toBe(false);
        expect(zoneWin.originRead).toBe(true);
        expect(zoneDone.originRead).toBe(false);
        expect(first.source).toContain('reads origin');
        // Zone's own shared callback is not an author's listener.
        expect(listeners.filter((l) => l.contextId === first.contextId).map((l) => l.name).sort()).toEqual(['zoneDoneListener', 'zoneFirst', 'zoneSecond', 'zoneWindowListener']);

        // The port listener counts the topology shows.
        const snap = (await rec.snapshot(url))!;
        const p = snap.ports.find((x) => x.id === port.target.port)!;
        expect(p.listeners).toBe(2);
      } finally {
        await tab.close();
      }
    });

    it('reports the listeners still attached when recording starts after the page registered them', async () => {
      await rec.setRecordAll(false);
      const url = `${server.origin('127.0.0.1')}/listeners/index.html?late`;
      const tab = await rec.open(url, 'scenarioDone');
      try {
        await rec.setRecordAll(true);
        let listeners: ListenerRecord[] = [];
        const want = ['onWindowMessage', 'onBareWindowMessage', 'onPortMessage', 'sentryAuthor', 'onWorkerMessage', 'onBroadcast', 'zoneWindowListener', 'zoneDoneListener', 'zoneFirst', 'zoneSecond'];
        const end = Date.now() + SETTLE_MS;
        for (;;) {
          listeners = (await rec.snapshot(url))?.listeners ?? [];
          if (want.every((fn) => listeners.some((l) => l.name === fn))) break;
          if (Date.now() > end) throw new Error(`timed out; the recorder held ${JSON.stringify(listeners.map((l) => l.name))}`);
          await new Promise((r) => setTimeout(r, 150));
        }
        // What went away before recording began is not there; what is attached is, without a stack.
        expect(listeners.map((l) => l.name).sort()).toEqual([...want].sort());
        for (const l of listeners) expect(l).toMatchObject({ removedAt: null, stack: null });
        expect(listeners.find((l) => l.name === 'sentryAuthor')!.wrappedBy).toBe('sentry');
        expect(listeners.find((l) => l.name === 'zoneFirst')!.wrappedBy).toBe('zone.js');
        expect(listeners.find((l) => l.name === 'onWorkerMessage')!.kind).toBe('handler');
      } finally {
        await tab.close();
        await rec.setRecordAll(true);
      }
    });
  });
}

suite('chromium');
suite('firefox');

describe('the Listeners view in the real DevTools panel (Chromium)', () => {
  let dt: DevToolsSession;
  beforeAll(async () => {
    dt = await openDevTools(`${server.origin('127.0.0.1')}/listeners/index.html`);
  });
  afterAll(() => dt?.close());

  const poll = async <T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> => {
    const end = Date.now() + SETTLE_MS;
    let v = await read();
    while (!ok(v)) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
      await new Promise((r) => setTimeout(r, 150));
      v = await read();
    }
    return v;
  };

  it('lists the background’s listener records, with origin reads, wrapper badges, stacks and source', async () => {
    await dt.reloadPage();
    await poll(() => dt.pageEval<boolean>('window.scenarioDone === true'), Boolean, 'the page to finish');
    await poll(
      () => dt.panelEval<string | null>(`(document.querySelector('[data-view=listeners]').click(), document.querySelector('[data-active-view]')?.dataset.activeView ?? null)`),
      (v) => v === 'listeners',
      'the Listeners view',
    );
    type Row = { id: number; name: string; origin: string; state: string; badge: string | null; handled: number; link: string | null };
    let snap: Awaited<ReturnType<DevToolsSession['backgroundSnapshot']>> = null;
    const rows = await poll(
      async () => {
        snap = await dt.backgroundSnapshot();
        return dt.panelEval<Row[]>(`[...document.querySelectorAll('tr[data-listener-id]')].map((tr) => ({
          id: Number(tr.dataset.listenerId),
          name: tr.querySelector('.fn code').textContent,
          origin: tr.querySelector('.origin').textContent,
          state: tr.querySelector('.state').textContent,
          badge: tr.querySelector('.badge')?.dataset.wrappedBy ?? null,
          handled: Number(tr.querySelector('.num').textContent),
          link: tr.nextElementSibling.querySelector('.stack button')?.textContent ?? null,
        }))`);
      },
      (r) => {
        const ls = snap?.listeners ?? [];
        return ls.length >= 11 && r.length === ls.length && ls.every((l) => r.some((x) => x.id === l.id && x.handled === l.handled));
      },
      'the panel to show every listener record',
    );
    // The document the panel saw before the reload is listed too, as gone: read the live one's rows.
    const byName = new Map(rows.filter((r) => r.state !== 'gone with its document').map((r) => [r.name, r]));
    expect(byName.get('onWindowMessage')).toMatchObject({ origin: 'yes', state: 'attached', badge: null, link: `app.js:${lineOf("window.addEventListener('message', function onWindowMessage")}` });
    expect(byName.get('onPortMessage')).toMatchObject({ origin: 'no', state: 'attached' });
    expect(byName.get('removedListener')).toMatchObject({ origin: 'never handled', state: 'removed' });
    expect(byName.get('onceListener')!.state).toContain('once');
    expect(byName.get('sentryAuthor')!.badge).toBe('sentry');
    for (const fn of ['zoneFirst', 'zoneSecond', 'zoneWindowListener', 'zoneDoneListener']) expect(byName.get(fn)!.badge, fn).toBe('zone.js');
    // Source on demand.
    const id = byName.get('sentryAuthor')!.id;
    const source = await dt.panelEval<string>(`(() => {
      const more = document.querySelector('[data-listener-more="${id}"]');
      const d = more.querySelectorAll('details')[1];
      d.open = true;
      return d.querySelector('pre').textContent;
    })()`);
    expect(source).toContain('sentry-author-marker');
    // The topology shows the listener counts of the port and the window.
    await dt.panelEval(`document.querySelector('[data-view=topology]').click()`);
    const counts = await poll(() => dt.panelEval<string[]>(`[...document.querySelectorAll('[data-listener-count]')].map((e) => e.dataset.listenerCount)`), (c) => c.length > 0, 'listener counts in the topology');
    expect(counts).toContain('2');
    await poll(
      () => dt.panelEval<number>(`(document.querySelector('[data-view=listeners]').click(), document.querySelectorAll('tr[data-listener-id]').length)`),
      (n) => n === rows.length,
      'the Listeners view again',
    );
    await dt.panelEval(`document.querySelector('[data-listener-more="${id}"] details').open = true`);
    await dt.screenshot('panel-listeners.png');
  });
});
