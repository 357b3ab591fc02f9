// Isolated world, document_start, every frame: takes the page's end of the private
// bridge and, while the tab is recorded, relays its batches to the background over a
// runtime port. Each batch is kept until the background acknowledges it, so that a
// restarted service worker loses nothing (src/protocol/relay-link.ts). It adds nothing of
// its own to the page.
import browser, { type Runtime } from 'webextension-polyfill';
import { RelayLink } from '../src/protocol/relay-link';
import { RelayPacer } from '../src/protocol/relay-pace';
import {
  RELAY_PORT_NAME,
  isBridgeHello,
  isReplayCommand,
  isReplayResult,
  isStoreResult,
  type BackgroundToRelay,
  type HelloReply,
  type PageToRelay,
  type RelayToPage,
  type RelayRequest,
  type ReplayResult,
  type StoreResult,
} from '../src/protocol/messages';

/** How long a replay waits for the page's instrumentation to answer. */
const REPLAY_TIMEOUT_MS = 5000;

let pagePort: MessagePort | null = null;
/** Replays handed to the page, by request number, waiting for its answer. */
const replays = new Map<number, (r: ReplayResult) => void>();
/** Store-as-global requests handed to the page, by request number. */
const stores = new Map<number, (r: StoreResult) => void>();
/** The runtime port to the background, its unacknowledged batches and their resend (src/protocol/relay-link.ts). */
const link = new RelayLink({
  connect: () => browser.runtime.connect({ name: RELAY_PORT_NAME }),
  toPage: (msg) => pagePort?.postMessage(msg),
  later: (fn, ms) => void setTimeout(fn, ms),
});
/** Batches wait here while the page is busy, so that the extension is woken a few times a second. */
const pacer = new RelayPacer({
  now: () => performance.now(),
  later: (fn, ms) => void setTimeout(fn, ms),
  send: (wires) => link.sendAll(wires),
});
// The document is going away (navigated, its frame removed, closed): what waits leaves now. The
// page's own buffer is no worse off than before: it flushes at the end of a quiet task.
window.addEventListener('pagehide', () => pacer.ship(), true);

function onPageMessage(e: MessageEvent) {
  const msg = e.data as PageToRelay;
  if (msg && msg.t === 'stored') {
    stores.get(msg.req)?.(isStoreResult(msg.result) ? msg.result : { ok: false, error: 'the page answered with a malformed result' });
    return;
  }
  if (msg && msg.t === 'replayed') {
    const done = replays.get(msg.req);
    if (done) done(isReplayResult(msg.result) ? msg.result : { ok: false, error: 'the page answered with a malformed result' });
    return;
  }
  if (msg && msg.t === 'failed') {
    // The instrumentation could not install here: the background shows it, recorded or not.
    const report: RelayRequest = { t: 'instrumentError', stage: String(msg.stage).slice(0, 40), message: String(msg.message).slice(0, 500) };
    browser.runtime.sendMessage(report).catch(() => {});
    return;
  }
  if (!msg || (msg.t !== 'batch' && msg.t !== 'text')) return;
  if (!link.recording) return;
  // Passed on as it came: the text is never parsed here.
  // A worker's batch (through this document's instrumentation) says whose it is.
  const worker = msg.owner !== undefined ? { owner: msg.owner, token: msg.token } : {};
  pacer.push(msg.t === 'text' ? { t: 'text', seq: msg.seq, text: msg.text, doc: msg.doc, ...worker } : { t: 'batch', batch: msg.batch, ...worker });
}

/** Hands a replay command to this frame's instrumentation and waits for its answer. */
function replay(cmd: unknown): Promise<ReplayResult> {
  if (!isReplayCommand(cmd)) return Promise.resolve({ ok: false, error: 'malformed replay command' });
  const port = pagePort;
  if (!port) return Promise.resolve({ ok: false, error: 'this frame is not instrumented (it loaded before the extension, or blocks it)' });
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish({ ok: false, error: 'the page did not answer (busy, or navigating)' }), REPLAY_TIMEOUT_MS);
    const finish = (r: ReplayResult) => {
      clearTimeout(timer);
      replays.delete(cmd.req);
      resolve(r);
    };
    replays.set(cmd.req, finish);
    port.postMessage({ t: 'replay', cmd } satisfies RelayToPage);
  });
}

/** Hands a Store-as-global command to this frame's instrumentation and waits for its answer. */
function store(cmd: unknown): Promise<StoreResult> {
  const req = typeof cmd === 'object' && cmd !== null ? (cmd as { req?: unknown }).req : undefined;
  const port = pagePort;
  if (typeof req !== 'number') return Promise.resolve({ ok: false, error: 'malformed command' });
  if (!port) return Promise.resolve({ ok: false, error: 'this frame is not instrumented (it loaded before the extension, or blocks it)' });
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish({ ok: false, error: 'the page did not answer (busy or paused in the debugger, or navigating)' }), REPLAY_TIMEOUT_MS);
    const finish = (r: StoreResult) => {
      clearTimeout(timer);
      stores.delete(req);
      resolve(r);
    };
    stores.set(req, finish);
    port.postMessage({ t: 'store', cmd } as RelayToPage);
  });
}

browser.runtime.onMessage.addListener((raw: unknown, sender: Runtime.MessageSender) => {
  const msg = raw as BackgroundToRelay;
  if (msg && msg.t === 'recording' && pagePort) {
    if (msg.on !== true) pacer.clear();
    link.setRecording(msg.on === true);
  }
  // Commands come from the extension's background only (tabs.sendMessage has no tab).
  if (msg && msg.t === 'replay' && sender.id === browser.runtime.id && !sender.tab) return replay(msg.cmd);
  if (msg && msg.t === 'breakpoints' && sender.id === browser.runtime.id && !sender.tab) pagePort?.postMessage(msg satisfies RelayToPage);
  if (msg && msg.t === 'store' && sender.id === browser.runtime.id && !sender.tab) return store(msg.cmd);
  return undefined;
});

/**
 * How long after the load event the relay keeps watching window messages. A handshake from
 * the frame's previous document is posted before this document exists, so it arrives well
 * before then; after that the page's window messages no longer pay for a listener in this
 * world (it halved window.postMessage round trips with recording off in Chromium).
 */
const HELLO_WATCH_AFTER_LOAD_MS = 500;

const onHello = (e: MessageEvent) => {
  // Only a real window message (a page can dispatch a synthetic one, isTrusted false) with
  // the one port a hello carries. The port count first: this runs for every window message,
  // and reading `data` here deserializes it once more, for this world.
  if (!e.isTrusted || e.ports.length !== 1 || !isBridgeHello(e.data)) return;
  // A hello with its document's time origin is the extension's, this document's or a late one
  // from the document before it in this frame: the page never sees one. (A page's own message
  // shaped like a hello without one port reaches the page as it would without the extension.)
  e.stopImmediatePropagation();
  // This document's own: posted by its realm, first, with this document's time origin.
  if (pagePort || e.source !== window || e.data.doc !== performance.timeOrigin) return;
  pagePort = e.ports[0];
  pagePort.onmessage = onPageMessage;
  stopWatchingAfterLoad();
  // The page buffers its events until it learns whether anyone records this tab.
  browser.runtime.sendMessage({ t: 'hello' } satisfies RelayRequest).then(
    (reply) => {
      const r = reply as HelloReply | undefined;
      link.setRecording(r?.recording === true);
      if (r?.breakpoints) pagePort?.postMessage(r.breakpoints satisfies RelayToPage);
    },
    () => link.setRecording(false),
  );
};
window.addEventListener('message', onHello, true);

function stopWatchingAfterLoad(): void {
  const stop = () => setTimeout(() => window.removeEventListener('message', onHello, true), HELLO_WATCH_AFTER_LOAD_MS);
  if (document.readyState === 'complete') stop();
  else window.addEventListener('load', stop, { once: true });
}
