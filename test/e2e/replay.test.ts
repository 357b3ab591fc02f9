// Replay from the panel, end to end: a top page (127.0.0.1) and a cross-origin child
// (localhost) talk over a MessageChannel and window messages (test/pages/replay). The
// test speaks to the background exactly as the panel does (its runtime port, `replay`),
// and checks (1) what the page's own listeners received, with event.source and origin,
// (2) that the background recorded each replay with replayOf set, and (3) that a page
// forging replay-looking window messages, DOM events and runtime-looking objects cannot
// make a replay happen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST_FIREFOX, launchChromiumWithExtension, launchFirefox } from '../../scripts/browsers.mjs';
import { servePages } from '../support/pages-server';
import type { ReplayOutcome, ReplayTarget } from '../../src/protocol/messages';
import type { AggregateSnapshot, MessageRecord } from '../../src/protocol/session';
import { waitFor } from '../support/session';

const server = servePages();

const topUrl = () => `${server.origin('127.0.0.1')}/replay/index.html`;
const topOrigin = () => server.origin('127.0.0.1');
const childOrigin = () => server.origin('localhost');

/** Values built inside the extension page (evaluate passes JSON only). */
type ValueKind = 'greet' | 'map-bigint' | 'win' | 'self';

/** What a test needs from one browser: the panel's port, the session, the two documents' logs. */
interface Driver {
  replay(message: number, value: ValueKind, target: ReplayTarget | null): Promise<ReplayOutcome>;
  snapshot(): Promise<AggregateSnapshot | null>;
  topGot(): Promise<string[]>;
  childGot(): Promise<string[]>;
  /** Runs the page's forgeries in both documents. */
  forge(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Runs in an extension page: opens the panel's runtime port once, subscribes to the tab,
 * sends one `replay` and waits for its `replayed`. Self-contained (it is stringified).
 */
async function panelReplay(arg: { url: string; req: number; message: number; value: ValueKind; target: ReplayTarget | null }) {
  const g = globalThis as any;
  const api = g.browser ?? g.chrome;
  if (!g.__replayPort) {
    const tab = (await api.tabs.query({})).find((t: { url: string }) => t.url === arg.url);
    const port = api.runtime.connect({ name: 'ci-panel' });
    g.__replies = new Map();
    port.onMessage.addListener((m: any) => {
      if (m && m.t === 'replayed') g.__replies.set(m.req, m.outcome);
    });
    port.postMessage({ t: 'subscribe', tabId: tab.id });
    g.__replayPort = port;
  }
  const values: Record<string, () => unknown> = {
    greet: () => ({ kind: 'greet', n: 1 }),
    'map-bigint': () => new Map<unknown, unknown>([['big', 2n ** 64n], ['nested', { list: [1, 'two'] }]]),
    win: () => ({ kind: 'win', n: 3 }),
    self: () => ({ kind: 'self', n: 4 }),
  };
  g.__replayPort.postMessage({ t: 'replay', req: arg.req, message: arg.message, value: values[arg.value](), target: arg.target });
  for (let i = 0; i < 200 && !g.__replies.has(arg.req); i++) await new Promise((r) => setTimeout(r, 50));
  return g.__replies.get(arg.req) ?? { ok: false, error: 'no answer from the background' };
}

/** The page's forgeries: everything a page can reach that looks like the extension's channels. */
function forgeries(): void {
  const cmd = { t: 'replay', cmd: { req: 1, doc: 'x', replayOf: 1, via: 'port', port: 1, value: { kind: 'forged' } } };
  const req = { t: 'replay', req: 1, message: 1, value: { kind: 'forged' }, target: null };
  for (const data of [cmd, req, { __channelInspectorBridge: 1, ...cmd }]) {
    window.postMessage(data, '*');
    if (window.parent !== window) window.parent.postMessage(data, '*');
    window.dispatchEvent(new MessageEvent('message', { data, source: window, origin: location.origin }));
    document.dispatchEvent(new CustomEvent('channel-inspector', { detail: data }));
  }
  // A fake bridge: a hello with a port of the page's own, then commands on it.
  const fake = new MessageChannel();
  window.postMessage({ __channelInspectorBridge: 1 }, '*', [fake.port2]);
  fake.port1.postMessage(cmd);
  // Runtime-looking objects: whatever the page can find named like the extension APIs.
  const w = window as any;
  for (const api of [w.chrome, w.browser]) {
    try {
      api?.runtime?.sendMessage?.(req);
      api?.runtime?.connect?.({ name: 'ci-panel' })?.postMessage(req);
    } catch {
      /* not reachable from a page */
    }
  }
}

const isGreet = (m: MessageRecord) => m.via === 'port' && m.replayOf == null && !!m.preview?.includes('greet');
const isWin = (m: MessageRecord) => m.via === 'window' && m.replayOf == null && !!m.preview?.includes('win');

function replayTests(name: string, launch: () => Promise<Driver>) {
  describe(`replay in ${name}`, () => {
    let d: Driver;
    let greet: MessageRecord;
    let win: MessageRecord;
    let snapshot: AggregateSnapshot | null;
    const outcomes: Record<string, ReplayOutcome> = {};

    beforeAll(async () => {
      d = await launch();
      snapshot = await waitFor(d.snapshot, (s) => !!s?.messages.some(isGreet) && !!s?.messages.some(isWin) && !!s.messages.find(isWin)?.fromContext, 'the recorded greet and win messages');
      greet = snapshot!.messages.find(isGreet)!;
      win = snapshot!.messages.find(isWin)!;
      // One after the other, as a person clicks.
      outcomes.asItWas = await d.replay(greet.id, 'greet', null);
      outcomes.edited = await d.replay(greet.id, 'map-bigint', null);
      outcomes.window = await d.replay(win.id, 'win', { kind: 'window', context: win.toContext!, from: 'sender', targetOrigin: childOrigin() });
      outcomes.self = await d.replay(win.id, 'self', { kind: 'window', context: win.toContext!, from: 'self', targetOrigin: '*' });
      outcomes.mismatch = await d.replay(win.id, 'win', { kind: 'window', context: win.toContext!, from: 'sender', targetOrigin: server.origin('127.0.0.2') });
      outcomes.noPort = await d.replay(greet.id, 'greet', { kind: 'port', port: 9999 });
      snapshot = await waitFor(d.snapshot, (s) => (s?.messages.filter((m) => m.replayOf != null && m.deliveredAt !== null).length ?? 0) >= 4, 'the replays, delivered, in the session');
    }, 120_000);
    afterAll(async () => {
      await d?.close();
    });

    it('a port message replayed as it was reaches the page\'s listener again and is recorded as a replay', async () => {
      expect(outcomes.asItWas).toMatchObject({ ok: true });
      const id = (outcomes.asItWas as { messageId: number }).messageId;
      expect(id).toBeGreaterThan(greet.id);
      const got = await d.childGot();
      expect(got.filter((x) => x === 'port {kind:"greet",n:1}')).toHaveLength(2);
      const m = snapshot!.messages.find((x) => x.id === id)!;
      expect(m).toMatchObject({ replayOf: greet.id, via: 'port', fromPort: greet.fromPort, toPort: greet.toPort, toContext: greet.toContext, outcome: { status: 'delivered' } });
    });

    it('an edited port message keeps its Map and BigInt all the way to the listener', async () => {
      expect(outcomes.edited).toMatchObject({ ok: true });
      expect(await d.childGot()).toContain('port Map{"big"=>18446744073709551616n,"nested"=>{list:[1,"two"]}}');
      const m = snapshot!.messages.find((x) => x.id === (outcomes.edited as { messageId: number }).messageId)!;
      expect(m).toMatchObject({ replayOf: greet.id, toContext: greet.toContext, outcome: { status: 'delivered' } });
    });

    it('a window message replayed from its sender arrives from the sender with the sender\'s origin', async () => {
      expect(outcomes.window).toMatchObject({ ok: true });
      expect(await d.childGot()).toContain(`window {kind:"win",n:3} from parent ${topOrigin()}`);
      const m = snapshot!.messages.find((x) => x.id === (outcomes.window as { messageId: number }).messageId)!;
      expect(m).toMatchObject({ replayOf: win.id, via: 'window', fromContext: win.fromContext, toContext: win.toContext, targetOrigin: childOrigin(), origin: topOrigin(), outcome: { status: 'delivered' } });
    });

    it('a window message replayed by the receiver to itself arrives from itself', async () => {
      expect(outcomes.self).toMatchObject({ ok: true });
      expect(await d.childGot()).toContain(`window {kind:"self",n:4} from self ${childOrigin()}`);
      const m = snapshot!.messages.find((x) => x.id === (outcomes.self as { messageId: number }).messageId)!;
      expect(m).toMatchObject({ replayOf: win.id, fromContext: win.toContext, toContext: win.toContext, outcome: { status: 'delivered' } });
    });

    it('a targetOrigin that does not match is dropped by the browser, and recorded so', async () => {
      expect(outcomes.mismatch).toMatchObject({ ok: true });
      const m = snapshot!.messages.find((x) => x.id === (outcomes.mismatch as { messageId: number }).messageId)!;
      expect(m).toMatchObject({ replayOf: win.id, outcome: { status: 'dropped', reason: 'target-origin-mismatch' } });
      expect((await d.childGot()).filter((x) => x.startsWith('window {kind:"win",n:3}'))).toHaveLength(1);
    });

    it('a target that does not exist comes back as a clear error', () => {
      expect(outcomes.noPort).toEqual({ ok: false, error: 'port #9999 is not known' });
    });

    it('a page that forges replay commands, bridge hellos and runtime calls cannot make a replay happen', async () => {
      const before = { top: await d.topGot(), child: await d.childGot(), replays: snapshot!.messages.filter((m) => m.replayOf != null).length };
      await d.forge();
      await new Promise((r) => setTimeout(r, 1500));
      const after = await d.snapshot();
      expect(after!.messages.filter((m) => m.replayOf != null)).toHaveLength(before.replays);
      // What the page's own listeners got is only its forgeries (window messages it posted itself), never a replayed value.
      const childNew = (await d.childGot()).slice(before.child.length);
      const topNew = (await d.topGot()).slice(before.top.length);
      for (const x of [...childNew, ...topNew]) expect(x).not.toMatch(/^port /);
      expect([...childNew, ...topNew].some((x) => x.includes('forged'))).toBe(true);
      expect([...childNew, ...topNew].some((x) => x.includes('greet'))).toBe(false);
    });
  });
}

replayTests('Chromium', async () => {
  const b = await launchChromiumWithExtension();
  await (await b.worker()).evaluate(() => (globalThis as any).channelInspector.setRecordAll(true));
  const page = await b.context.newPage();
  await page.goto(topUrl());
  const child = async () => {
    await page.waitForFunction(() => (window as any).got !== undefined);
    for (;;) {
      const f = page.frames().find((x) => x.url().includes('/replay/child.html'));
      if (f && (await f.evaluate(() => (window as any).childReady === true).catch(() => false))) return f;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await child();
  const ext = await b.context.newPage();
  await ext.goto(`chrome-extension://${b.extensionId}/viewer.html`);
  let req = 0;
  return {
    replay: (message, value, target) => ext.evaluate(panelReplay, { url: topUrl(), req: ++req, message, value, target }),
    snapshot: async () =>
      (await b.worker()).evaluate(async (u) => {
        const ci = (globalThis as any).channelInspector;
        const tab = (await (globalThis as any).chrome.tabs.query({})).find((t: { url: string }) => t.url === u);
        if (!tab) return null;
        await ci.release(tab.id);
        return ci.snapshot(tab.id);
      }, topUrl()),
    topGot: () => page.evaluate(() => (window as any).got as string[]),
    childGot: async () => (await child()).evaluate(() => (window as any).got as string[]),
    forge: async () => {
      await page.evaluate(forgeries);
      await (await child()).evaluate(forgeries);
    },
    close: () => b.close(),
  };
});

replayTests('Firefox ESR', async () => {
  const ff = await launchFirefox({ extDir: DIST_FIREFOX });
  const ext = await ff.extensionPage('/devtools.html');
  await ext.evaluate(async () => {
    const bg = await (globalThis as any).browser.runtime.getBackgroundPage();
    await bg.channelInspector.setRecordAll(true);
  });
  const page = await ff.browser.newPage();
  await page.goto(topUrl());
  const child = async () => {
    for (;;) {
      const f = page.frames().find((x) => x.url().includes('/replay/child.html'));
      if (f && (await f.evaluate(() => (window as any).childReady === true).catch(() => false))) return f;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await child();
  let req = 0;
  return {
    replay: (message, value, target) => ext.evaluate(panelReplay as (a: unknown) => unknown, { url: topUrl(), req: ++req, message, value, target }),
    snapshot: () =>
      ext.evaluate(async (u: string) => {
        const b = (globalThis as any).browser;
        const tab = (await b.tabs.query({})).find((t: any) => t.url === u);
        if (tab?.id === undefined) return null;
        const bg = await b.runtime.getBackgroundPage();
        await bg.channelInspector.release(tab.id);
        return bg.channelInspector.snapshot(tab.id);
      }, topUrl()) as Promise<AggregateSnapshot | null>,
    topGot: () => page.evaluate(() => (window as any).got as string[]),
    childGot: async () => (await child()).evaluate(() => (window as any).got as string[]),
    forge: async () => {
      await page.evaluate(forgeries);
      await (await child()).evaluate(forgeries);
    },
    close: () => ff.close(),
  };
});
