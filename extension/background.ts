// Background (service worker in Chrome, event page in Firefox): receives every frame's
// batches, keeps one live session per tab, and feeds the panels that inspect it.
// It is glue: what a session knows is computed in src/.
import browser, { type Runtime } from 'webextension-polyfill';
import {
  PANEL_PORT_NAME,
  RELAY_PORT_NAME,
  isPanelToBackground,
  isRelayToBackground,
  type BackgroundToPanel,
  type BackgroundToRelay,
  type HelloReply,
  type PanelToBackground,
} from '../src/protocol/messages';
import { TabLog } from '../src/live/tab-log';

interface Tab {
  log: TabLog;
  panels: Set<Runtime.Port>;
}

const tabs = new Map<number, Tab>();
/** Record every tab (the CLI recorder and tests), not only inspected ones. */
let recordAll = false;

function tab(tabId: number): Tab {
  let t = tabs.get(tabId);
  if (!t) {
    t = { log: new TabLog(tabId), panels: new Set() };
    tabs.set(tabId, t);
  }
  return t;
}

function isRecording(tabId: number): boolean {
  return recordAll || (tabs.get(tabId)?.panels.size ?? 0) > 0;
}

/** Tells every frame of the tab whether to record. */
function announce(tabId: number) {
  const on = isRecording(tabId);
  tabs.get(tabId)?.log.setRecording(on);
  browser.tabs.sendMessage(tabId, { t: 'recording', on } satisfies BackgroundToRelay).catch(() => {});
  for (const p of tabs.get(tabId)?.panels ?? []) send(p, { t: 'recording', on });
}

function send(port: Runtime.Port, msg: BackgroundToPanel) {
  try {
    port.postMessage(msg);
  } catch {
    /* the panel closed */
  }
}

browser.runtime.onMessage.addListener((raw: unknown, sender: Runtime.MessageSender) => {
  const msg = raw as { t?: string };
  if (msg?.t === 'hello' && sender.tab?.id !== undefined) {
    return Promise.resolve({ recording: isRecording(sender.tab.id) } satisfies HelloReply);
  }
  return undefined;
});

browser.runtime.onConnect.addListener((port) => {
  if (port.name === RELAY_PORT_NAME) onRelay(port);
  else if (port.name === PANEL_PORT_NAME) onPanel(port);
});

function onRelay(port: Runtime.Port) {
  const sender = port.sender;
  const tabId = sender?.tab?.id;
  if (tabId === undefined) return port.disconnect();
  const frameId = sender?.frameId ?? 0;
  port.onMessage.addListener((raw: unknown) => {
    if (!isRelayToBackground(raw)) return;
    const t = tab(tabId);
    const rows = t.log.ingest(raw.batch, { frameId, url: sender?.url ?? '', origin: (sender as { origin?: string })?.origin });
    port.postMessage({ t: 'ack', doc: raw.batch.doc, seq: raw.batch.seq } satisfies BackgroundToRelay);
    if (rows.length) for (const p of t.panels) send(p, { t: 'rows', rows, frames: t.log.frames() });
  });
}

function onPanel(port: Runtime.Port) {
  let tabId: number | null = null;
  port.onMessage.addListener((raw: unknown) => {
    if (!isPanelToBackground(raw)) return;
    const msg: PanelToBackground = raw;
    if (msg.t === 'subscribe') {
      tabId = msg.tabId;
      const t = tab(tabId);
      t.panels.add(port);
      send(port, { t: 'snapshot', snapshot: t.log.snapshot() });
      announce(tabId);
    } else if (tabId !== null && msg.t === 'clear') {
      tab(tabId).log.clear();
      send(port, { t: 'snapshot', snapshot: tab(tabId).log.snapshot() });
    }
  });
  port.onDisconnect.addListener(() => {
    if (tabId === null) return;
    tabs.get(tabId)?.panels.delete(port);
    announce(tabId);
  });
}

browser.tabs.onRemoved.addListener((tabId) => tabs.delete(tabId));

// For the CLI recorder and the e2e tests, which evaluate in this worker.
Object.assign(globalThis, {
  channelInspector: {
    tabs,
    setRecordAll(on: boolean) {
      recordAll = on;
      for (const tabId of tabs.keys()) announce(tabId);
      return browser.tabs.query({}).then((all) => all.forEach((t) => t.id !== undefined && announce(t.id)));
    },
    snapshot: (tabId: number) => tabs.get(tabId)?.log.snapshot() ?? null,
  },
});
