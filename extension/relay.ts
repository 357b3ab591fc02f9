// Isolated world, document_start, every frame: takes the page's end of the private
// bridge and, while the tab is recorded, relays its batches to the background over a
// runtime port. Each batch is kept until the background acknowledges it, so that a
// restarted service worker loses nothing. It adds nothing of its own to the page.
import browser, { type Runtime } from 'webextension-polyfill';
import {
  RELAY_PORT_NAME,
  isBridgeHello,
  type BackgroundToRelay,
  type HelloReply,
  type PageBatch,
  type PageToRelay,
  type RelayRequest,
  type RelayToBackground,
  type RelayToPage,
} from '../src/protocol/messages';

let pagePort: MessagePort | null = null;
let runtimePort: Runtime.Port | null = null;
/** Batches sent but not yet acknowledged, by sequence number. */
const unacked = new Map<number, PageBatch>();
let recording = false;

function setRecording(on: boolean) {
  recording = on;
  if (!on) {
    unacked.clear();
    runtimePort?.disconnect();
    runtimePort = null;
  }
  pagePort?.postMessage({ t: 'recording', on } satisfies RelayToPage);
}

function connect(): Runtime.Port {
  if (runtimePort) return runtimePort;
  const port = browser.runtime.connect({ name: RELAY_PORT_NAME });
  runtimePort = port;
  port.onMessage.addListener((raw: unknown) => {
    const msg = raw as BackgroundToRelay;
    if (msg.t === 'ack') {
      for (const seq of unacked.keys()) if (seq <= msg.seq) unacked.delete(seq);
    }
  });
  port.onDisconnect.addListener(() => {
    if (runtimePort !== port) return;
    runtimePort = null;
    // The service worker went away: reconnect and resend what it never acknowledged.
    // Sequence numbers make the resend idempotent.
    if (recording && unacked.size > 0) setTimeout(resend, 20);
  });
  return port;
}

function resend() {
  if (!recording || unacked.size === 0) return;
  const port = connect();
  for (const batch of unacked.values()) port.postMessage({ t: 'batch', batch } satisfies RelayToBackground);
}

function onPageMessage(e: MessageEvent) {
  const msg = e.data as PageToRelay;
  if (!recording || !msg || msg.t !== 'batch') return;
  unacked.set(msg.batch.seq, msg.batch);
  try {
    connect().postMessage({ t: 'batch', batch: msg.batch } satisfies RelayToBackground);
  } catch {
    runtimePort = null;
    setTimeout(resend, 20);
  }
}

browser.runtime.onMessage.addListener((raw: unknown) => {
  const msg = raw as BackgroundToRelay;
  if (msg && msg.t === 'recording' && pagePort) setRecording(msg.on === true);
  return undefined;
});

window.addEventListener(
  'message',
  (e) => {
    // Only a real window message the page's own realm posted: a page can dispatch a synthetic
    // one (isTrusted false) before the instrumentation's hello arrives.
    if (pagePort || !e.isTrusted || e.source !== window || !isBridgeHello(e.data) || e.ports.length !== 1) return;
    e.stopImmediatePropagation();
    pagePort = e.ports[0];
    pagePort.onmessage = onPageMessage;
    // The page buffers its events until it learns whether anyone records this tab.
    browser.runtime.sendMessage({ t: 'hello' } satisfies RelayRequest).then(
      (reply) => setRecording((reply as HelloReply | undefined)?.recording === true),
      () => setRecording(false),
    );
  },
  true,
);
