// The background's session in real browsers: a port relayed through three levels of
// cross-origin frames keeps one identity (holders A, B, C), and a background stopped in the
// middle of a 20,000-message burst, batches in flight, loses nothing (Chromium and Firefox).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST_FIREFOX, launchChromiumWithExtension, launchFirefox } from '../../scripts/browsers.mjs';
import { servePages } from '../support/pages-server';
import type { AggregateSnapshot } from '../../src/protocol/session';
import { waitFor } from '../support/session';
import { launchRecorder, type BrowserName, type Recorder } from '../support/recorder';

const server = servePages();

/** Three answers came back to A over the port C holds. */
const relayDone = (s: AggregateSnapshot | null) => (s?.messages ?? []).filter((m) => m.via === 'port' && m.outcome.status === 'delivered').length >= 6;

function expectRelayed(s: AggregateSnapshot | null) {
  const origins = [server.origin('127.0.0.1'), server.origin('localhost'), server.origin('127.0.0.2')];
  const [a, b, c] = origins.map((o) => s!.contexts.find((x) => x.origin === o && x.endedAt === null && !x.url.startsWith('about:'))!);
  expect([a, b, c].every(Boolean), 'documents A, B and C').toBe(true);
  expect(b.parentId).toBe(a.id);
  expect(c.parentId).toBe(b.id);
  const relayed = s!.ports.find((p) => p.createdIn === a.id && p.holders.length > 1)!;
  expect(relayed.holders.map((h) => h.contextId), 'the port went A → B → C').toEqual([a.id, b.id, c.id]);
  const portMessages = s!.messages.filter((m) => m.via === 'port');
  expect(portMessages).toHaveLength(6);
  for (const m of portMessages) {
    expect(m.outcome.status, `message ${m.id}: ${m.preview}`).toBe('delivered');
    expect([m.fromContext, m.toContext].sort()).toEqual([a.id, c.id].sort());
    expect(m.sentAt).not.toBeNull();
  }
  // The first ask waited in the port's queue while the port travelled through B.
  const first = portMessages.find((m) => m.preview?.includes('ask: 1'))!;
  expect(first).toMatchObject({ fromContext: a.id, toContext: c.id, toPort: relayed.id });
  // The hand-overs are window messages seen where they arrived, carrying the port: the
  // port's moves in order, as the panel lists them (Firefox's 1 ms clock often gives both
  // the same deliveredAt, so time alone cannot order them).
  const handovers = s!.messages.filter((m) => m.via === 'window' && m.transfer.some((t) => t.id === relayed.id));
  const moves = relayed.holders.slice(1).map((h) => handovers.find((m) => m.id === h.messageId));
  expect(handovers).toHaveLength(2);
  expect(moves.map((m) => [m?.fromContext, m?.toContext])).toEqual([
    [a.id, b.id],
    [b.id, c.id],
  ]);
}

for (const name of ['chromium', 'firefox'] as BrowserName[]) {
  describe(`${name}: a relayed port`, () => {
    let rec: Recorder;
    beforeAll(async () => {
      rec = await launchRecorder(name);
    });
    afterAll(() => rec?.close());

    it('keeps one identity through three levels of cross-origin frames', async () => {
      const url = `${server.origin('127.0.0.1')}/relay3/index.html`;
      const page = await rec.open(url, 'scenarioDone');
      expectRelayed(await waitFor(() => rec.snapshot(url), relayDone, 'the relayed conversation'));
      await page.close();
    });
  });
}

// The background is stopped while the page is still posting, with batches sent and not yet
// acknowledged: the relays must resend them to the new background, which must apply each once.
// Chromium: CDP ServiceWorker.stopAllWorkers. Firefox: the event page is terminated as
// about:debugging's "Terminate background script" does (Extension.terminateBackground, from the
// browser's chrome scope), which is what its idle unload does; runtime.reload would reinstall.
const BURST = 20_000;
/** Stop the background once the receiver has seen this many: the page is mid-burst then. */
const STOP_AT = 4_000;

interface Killable {
  open(url: string): Promise<{ evaluate<T>(fn: string): Promise<T>; close(): Promise<void> }>;
  /** Marks the running background, stops it, and tells whether the one answering now is new. */
  stop(): Promise<void>;
  isNew(): Promise<boolean>;
  snapshot(url: string): Promise<AggregateSnapshot | null>;
  close(): Promise<void>;
}

async function chromiumKillable(): Promise<Killable> {
  const browser = await launchChromiumWithExtension();
  await (await browser.worker()).evaluate(() => (globalThis as any).channelInspector.setRecordAll(true));
  let cdp: any = null;
  return {
    async open(url) {
      const page = await browser.context.newPage();
      await page.goto(url);
      cdp = await browser.context.newCDPSession(page);
      await cdp.send('ServiceWorker.enable');
      await (await browser.worker()).evaluate(() => ((globalThis as any).__beforeStop = true));
      return { evaluate: (fn) => page.evaluate(fn), close: () => page.close() };
    },
    stop: () => cdp.send('ServiceWorker.stopAllWorkers'),
    isNew: async () => !(await (await browser.worker()).evaluate(() => (globalThis as any).__beforeStop ?? false)),
    snapshot: async (url) =>
      (await browser.worker()).evaluate(async (u) => {
        const tab = (await (globalThis as any).chrome.tabs.query({})).find((t: { url: string }) => t.url === u);
        return tab ? (globalThis as any).channelInspector.snapshot(tab.id) : null;
      }, url),
    close: () => browser.close(),
  };
}

async function firefoxKillable(): Promise<Killable> {
  const ff = await launchFirefox({ extDir: DIST_FIREFOX });
  const ext = await ff.extensionPage('/devtools.html');
  const bg = (fn: string, arg?: unknown) => ext.evaluate(new Function('arg', `return (async () => { const bg = await browser.runtime.getBackgroundPage(); return (${fn})(bg, arg); })()`) as any, arg);
  await bg(`(bg) => bg.channelInspector.setRecordAll(true)`);
  const chrome = (await (ff.browser as any).connection.send('browsingContext.getTree', { 'moz:scope': 'chrome' } as any)).result.contexts[0].context;
  return {
    async open(url) {
      const page = await ff.browser.newPage();
      await page.goto(url);
      await bg(`(bg) => { bg.__beforeStop = true; }`);
      return { evaluate: (fn) => page.evaluate(fn) as Promise<any>, close: () => page.close() };
    },
    stop: () =>
      ff.callIn(chrome, `(arg) => WebExtensionPolicy.getByID(JSON.parse(arg).id).extension.terminateBackground({ disableResetIdleForTest: true })`, { id: ff.extensionId }, 'chrome'),
    isNew: async () => !(await bg(`(bg) => bg.__beforeStop ?? false`)),
    snapshot: (url) =>
      bg(
        `async (bg, u) => { const tab = (await browser.tabs.query({})).find((t) => t.url === u); return tab ? bg.channelInspector.snapshot(tab.id) : null; }`,
        url,
      ),
    close: () => ff.close(),
  };
}

for (const [name, launch] of [
  ['chromium', chromiumKillable],
  ['firefox', firefoxKillable],
] as const) {
  describe(`${name}: the background stopped while the page posts`, () => {
    let k: Killable;
    beforeAll(async () => {
      k = await launch();
    });
    afterAll(() => k?.close());

    it(`loses nothing of a ${BURST.toLocaleString('en')}-message burst when stopped with batches in flight`, async () => {
      const url = `${server.origin('127.0.0.1')}/burst/index.html`;
      const page = await k.open(url);
      await page.evaluate(`(window.__burst = window.burst(${BURST}), true)`);
      await page.evaluate(`new Promise((ok) => { const f = () => (window.burstReceived >= ${STOP_AT} ? ok() : setTimeout(f, 0)); f(); })`);
      await k.stop();
      // The page was still posting when the background stopped.
      expect(await page.evaluate<number>('window.burstReceived')).toBeLessThan(BURST);
      expect(await page.evaluate<number>('window.__burst')).toBe(BURST);
      expect(await k.isNew(), 'a new background answers').toBe(true);
      const s = await waitFor(
        () => k.snapshot(url),
        (x) => (x?.messages ?? []).filter((m) => m.outcome.status === 'delivered').length >= BURST,
        `${BURST} delivered messages`,
        60_000,
      );
      const delivered = s!.messages.filter((m) => m.outcome.status === 'delivered');
      expect(delivered).toHaveLength(BURST);
      expect(s!.messages).toHaveLength(BURST);
      // Every message once, in order: {i} 0 … BURST-1.
      expect(delivered.every((m, i) => m.preview === `{i: ${i}}`)).toBe(true);
      expect(s!.dropped).toEqual({});
      await page.close();
    });
  });
}

// What the background keeps on disk (IndexedDB, docs/privacy.md), read inside the worker.
async function stored(sw: { evaluate<T>(fn: () => Promise<T>): Promise<T> }): Promise<{ log: { tabId: number }[]; checkpoints: { tabId: number; paused?: boolean }[]; text: string }> {
  return sw.evaluate(async () => {
    const db: IDBDatabase = await new Promise((ok, fail) => {
      const r = indexedDB.open('channel-inspector');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const all = (name: string) =>
      new Promise<any[]>((ok, fail) => {
        const r = db.transaction(name).objectStore(name).getAll();
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
    const log = await all('log');
    const checkpoints = await all('checkpoints');
    // The messages of checkpoints, with their samples (written in chunks since the checkpoints became incremental).
    const chunks = db.objectStoreNames.contains('chunks') ? await all('chunks') : [];
    db.close();
    const text = JSON.stringify({ log, checkpoints, chunks }, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Uint8Array) : v));
    return { log: log.map((e) => ({ tabId: e.tabId })), checkpoints: checkpoints.map((c) => ({ tabId: c.tabId, paused: c.paused })), text };
  });
}

describe('Chromium: what stays on disk', () => {
  let browser: Awaited<ReturnType<typeof launchChromiumWithExtension>>;
  beforeAll(async () => {
    browser = await launchChromiumWithExtension();
  });
  afterAll(() => browser?.close());

  const tabIdOf = async (url: string): Promise<number> =>
    (await browser.worker()).evaluate(async (u) => (await (globalThis as any).chrome.tabs.query({})).find((t: { url: string }) => t.url === u).id, url);

  it("deletes a tab's recorded payloads when its recording is cleared and when the tab closes", async () => {
    const sw = await browser.worker();
    await sw.evaluate(() => (globalThis as any).channelInspector.setRecordAll(true));
    const page = await browser.context.newPage();
    const url = `${server.origin('127.0.0.1')}/burst/index.html?disk`;
    await page.goto(url);
    const tabId = await tabIdOf(url);
    const post = (token: string) =>
      page.evaluate((t) => {
        const c = new MessageChannel();
        c.port2.onmessage = () => {};
        c.port1.postMessage({ token: t });
      }, token);
    const seen = (token: string) =>
      waitFor(
        () => sw.evaluate((id) => (globalThis as any).channelInspector.snapshot(id), tabId),
        (s: AggregateSnapshot | null) => !!s?.messages.some((m) => m.preview?.includes(token) && m.outcome.status === 'delivered'),
        token,
      );
    await post('TOKEN-BEFORE-CLEAR');
    await seen('TOKEN-BEFORE-CLEAR');
    await sw.evaluate(() => (globalThis as any).channelInspector.flush());
    expect((await stored(sw)).text).toContain('TOKEN-BEFORE-CLEAR');
    await sw.evaluate((id) => (globalThis as any).channelInspector.clear(id), tabId);
    await waitFor(() => stored(sw), (d) => !d.text.includes('TOKEN-BEFORE-CLEAR'), 'the cleared payload gone from IndexedDB');

    await post('TOKEN-BEFORE-CLOSE');
    await seen('TOKEN-BEFORE-CLOSE');
    await sw.evaluate(() => (globalThis as any).channelInspector.flush());
    expect((await stored(sw)).text).toContain('TOKEN-BEFORE-CLOSE');
    await page.close();
    const after = await waitFor(() => stored(sw), (d) => !d.log.some((e) => e.tabId === tabId) && !d.checkpoints.some((c) => c.tabId === tabId), "the closed tab's log and checkpoint gone");
    expect(after.text).not.toContain('TOKEN-BEFORE-CLOSE');
    await sw.evaluate(() => (globalThis as any).channelInspector.setRecordAll(false));
  });

  it('keeps a paused recording paused across a restart of the service worker', async () => {
    const page = await browser.context.newPage();
    const url = `${server.origin('127.0.0.1')}/burst/index.html?paused`;
    await page.goto(url);
    const tabId = await tabIdOf(url);
    // A panel, as panels/store.ts talks to the background: subscribe, then the record button off.
    const panel = await browser.context.newPage();
    await panel.goto(`chrome-extension://${browser.extensionId}/viewer.html`);
    const subscribe = (off: boolean) =>
      panel.evaluate(
        ({ id, off }) =>
          new Promise<any>((ok) => {
            const port = (globalThis as any).chrome.runtime.connect({ name: 'ci-panel' });
            port.onMessage.addListener((m: any) => {
              if (m.t === 'snapshot' && !off) ok(m.state);
              if (m.t === 'state' && off && m.state.recording === false) ok(m.state);
            });
            port.postMessage({ t: 'subscribe', tabId: id });
            if (off) port.postMessage({ t: 'record', on: false });
          }),
        { id: tabId, off },
      );
    expect((await subscribe(true)).recording).toBe(false);
    const sw = await browser.worker();
    await sw.evaluate(() => ((globalThis as any).__beforeStop = true));
    await waitFor(() => stored(sw), (d) => d.checkpoints.some((c) => c.tabId === tabId && c.paused === true), 'the pause checkpointed');
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    // The panel comes back (its port closed with the worker) and finds the recording still paused.
    const state = await subscribe(false);
    expect(await (await browser.worker()).evaluate(() => (globalThis as any).__beforeStop ?? false)).toBe(false);
    expect(state.recording).toBe(false);
    expect(state.recordAll).toBe(false);
    await panel.close();
    await page.close();
  });
});

describe('Firefox: what stays on disk', () => {
  let ff: Awaited<ReturnType<typeof launchFirefox>>;
  let ext: Awaited<ReturnType<Awaited<ReturnType<typeof launchFirefox>>['extensionPage']>>;
  // The extension page shares the background's IndexedDB and talks to it as the panel does.
  const bg = (fn: string, arg?: unknown) => ext.evaluate(new Function('arg', `return (async () => { const bg = await browser.runtime.getBackgroundPage(); return (${fn})(bg, arg); })()`) as any, arg);
  const tabIdOf = (url: string): Promise<number> => ext.evaluate(async (u: string) => (await (globalThis as any).browser.tabs.query({})).find((t: any) => t.url === u).id, url);
  beforeAll(async () => {
    ff = await launchFirefox({ extDir: DIST_FIREFOX });
    ext = await ff.extensionPage('/devtools.html');
  });
  afterAll(() => ff?.close());

  it("deletes a tab's recorded payloads when its recording is cleared and when the tab closes", async () => {
    await bg(`(bg) => bg.channelInspector.setRecordAll(true)`);
    const page = await ff.browser.newPage();
    const url = `${server.origin('127.0.0.1')}/burst/index.html?disk`;
    await page.goto(url);
    const tabId = await tabIdOf(url);
    const post = (token: string) =>
      page.evaluate((t: string) => {
        const c = new MessageChannel();
        c.port2.onmessage = () => {};
        c.port1.postMessage({ token: t });
      }, token);
    const seen = (token: string) =>
      waitFor(
        () => bg(`(bg, id) => bg.channelInspector.snapshot(id)`, tabId) as Promise<AggregateSnapshot | null>,
        (s) => !!s?.messages.some((m) => m.preview?.includes(token) && m.outcome.status === 'delivered'),
        token,
      );
    const disk = () => stored({ evaluate: (fn) => ext.evaluate(fn) });
    await post('TOKEN-BEFORE-CLEAR');
    await seen('TOKEN-BEFORE-CLEAR');
    await bg(`(bg) => bg.channelInspector.flush()`);
    expect((await disk()).text).toContain('TOKEN-BEFORE-CLEAR');
    await bg(`(bg, id) => bg.channelInspector.clear(id)`, tabId);
    await waitFor(disk, (d) => !d.text.includes('TOKEN-BEFORE-CLEAR'), 'the cleared payload gone from IndexedDB');
    await post('TOKEN-BEFORE-CLOSE');
    await seen('TOKEN-BEFORE-CLOSE');
    await bg(`(bg) => bg.channelInspector.flush()`);
    expect((await disk()).text).toContain('TOKEN-BEFORE-CLOSE');
    await page.close();
    const after = await waitFor(disk, (d) => !d.log.some((e) => e.tabId === tabId) && !d.checkpoints.some((c) => c.tabId === tabId), "the closed tab's log and checkpoint gone");
    expect(after.text).not.toContain('TOKEN-BEFORE-CLOSE');
    await bg(`(bg) => bg.channelInspector.setRecordAll(false)`);
  });

  it('keeps a paused recording paused after the event page is unloaded', async () => {
    const page = await ff.browser.newPage();
    const url = `${server.origin('127.0.0.1')}/burst/index.html?paused`;
    await page.goto(url);
    const tabId = await tabIdOf(url);
    const subscribe = (off: boolean) =>
      ext.evaluate(
        ({ id, off }: { id: number; off: boolean }) =>
          new Promise<any>((ok) => {
            const port = (globalThis as any).browser.runtime.connect({ name: 'ci-panel' });
            port.onMessage.addListener((m: any) => {
              if (m.t === 'snapshot' && !off) ok(m.state);
              if (m.t === 'state' && off && m.state.recording === false) ok(m.state);
            });
            port.postMessage({ t: 'subscribe', tabId: id });
            if (off) port.postMessage({ t: 'record', on: false });
          }),
        { id: tabId, off },
      );
    expect((await subscribe(true)).recording).toBe(false);
    await bg(`(bg) => { bg.__beforeStop = true; }`);
    await waitFor(() => stored({ evaluate: (fn) => ext.evaluate(fn) }), (d) => d.checkpoints.some((c) => c.tabId === tabId && c.paused === true), 'the pause checkpointed');
    const chrome = (await (ff.browser as any).connection.send('browsingContext.getTree', { 'moz:scope': 'chrome' })).result.contexts[0].context;
    await ff.callIn(chrome, `(arg) => WebExtensionPolicy.getByID(JSON.parse(arg).id).extension.terminateBackground({ disableResetIdleForTest: true })`, { id: ff.extensionId }, 'chrome');
    const state = await subscribe(false);
    expect(await bg(`(bg) => bg.__beforeStop ?? false`)).toBe(false);
    expect(state.recording).toBe(false);
    await page.close();
  });
});
