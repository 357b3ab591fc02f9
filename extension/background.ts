// Background (service worker in Chrome, event page in Firefox): turns every frame's
// batches into one Session per tab (src/aggregate), keeps it durable (persist.ts), and
// feeds the panels that inspect the tab a snapshot, then deltas. Glue only: what a
// session knows is computed in src/.
import browser, { type Runtime } from 'webextension-polyfill';
import {
  DEVTOOLS_PORT_NAME,
  PANEL_PORT_NAME,
  RELAY_PORT_NAME,
  isPanelToBackground,
  wiresOfRelayMessage,
  isReplayResult,
  type BackgroundToPanel,
  type BackgroundToRelay,
  type HelloReply,
  type RelayToBackground,
  type ReplayOutcome,
  type ReplayRequest,
  type TabNotice,
  type TabState,
} from '../src/protocol/messages';
import { Session, type BatchSource } from '../src/aggregate';
import { recordOfLocal, routeReplay } from '../src/aggregate/replay';
import { packDelta } from '../src/aggregate/columns';
import { PopupRoutes } from '../src/aggregate/popups';
import { runAudit } from '../src/audit';
import { Persist } from './persist';
import { Intake } from '../src/background/intake';
import { restoreTab } from '../src/background/restore';
import { instrumentErrorNotice, tabNotices } from '../src/background/notices';
import { createWorkers } from './workers';
import { acceptDevtoolsPage } from './inspected';
import { breakpointsOf, forgetBreakpoints, helloBreakpoints, setBreakpoints } from './breakpoints';
import { storeGlobal } from './store-global';
import { CheckpointWriter } from '../src/background/checkpoints';

interface Tab {
  id: number;
  session: Session;
  panels: Set<Runtime.Port>;
  /** DevTools pages open on the tab (extension/inspected.ts): recorded from DevTools' opening. */
  devtools: number;
  /** The panel's record button: off pauses recording while the panel stays open. */
  paused: boolean;
  preserveLog: boolean;
  /** Batches in the log since the last checkpoint. */
  logged: number;
  lastKey: number;
  auditedAt: number;
  /** How long the last audit took, ms. */
  auditMs: number;
  auditDirty: boolean;
  checkpointTimer: ReturnType<typeof setTimeout> | null;
  /** Said to the user and kept by checkpoints: a partial restore. */
  notices: TabNotice[];
  /** Frames whose instrumentation failed to install. */
  instrumentErrors: TabNotice[];
  /** Writes its checkpoints a few changed chunks at a time (src/background/checkpoints.ts). */
  writer: CheckpointWriter;
}

const DELTA_INTERVAL_MS = 50;
/** The audit runs over the whole session: at most this often per tab, */
const AUDIT_INTERVAL_MS = 300;
/** and at most once in this many times its own last duration. */
const AUDIT_SHARE = 5;
const PERSIST_INTERVAL_MS = 30;
const CHECKPOINT_EVERY = 2000;
/** A state change no batch holds is checkpointed after this, once for a run of them. */
const CHECKPOINT_DELAY_MS = 500;
/** Frames with a failed install kept per tab (each is one notice). */
const MAX_INSTRUMENT_ERRORS = 20;

const tabs = new Map<number, Tab>();
/**
 * Record every tab (the CLI recorder and tests), not only inspected ones. Only the test build
 * has the switch (__TEST_HOOKS__, scripts/build.mjs); it lasts the browser session, and the
 * panel says when it is on.
 */
let recordAll = false;
declare const __TEST_HOOKS__: boolean;
let persist: Persist | null = null;

function tab(tabId: number): Tab {
  let t = tabs.get(tabId);
  if (!t) {
    t = { id: tabId, session: new Session(), panels: new Set(), devtools: 0, paused: false, preserveLog: false, logged: 0, lastKey: 0, auditedAt: 0, auditMs: 0, auditDirty: false, checkpointTimer: null, notices: [], instrumentErrors: [], writer: new CheckpointWriter(tabId) };
    t.session.setWorkerSwitch(workers.switchOf(tabId));
    tabs.set(tabId, t);
  }
  return t;
}

/** Record inside workers (extension/workers.ts): the panel's switch changed what it can do. */
const workers = createWorkers((tabId) => announce(tabId));

/** Popups of recorded tabs, recorded into their opener's session (src/aggregate/popups.ts). */
let popups = new PopupRoutes();
const savePopups = () => browser.storage.session.set({ popups: popups.toState() }).catch(() => {});

function isRecording(tabId: number): boolean {
  if (recordAll) return true;
  const t = tabs.get(popups.sessionTab(tabId) ?? tabId);
  return !!t && (t.panels.size > 0 || t.devtools > 0) && !t.paused;
}

function stateOf(t: Tab): TabState {
  return { tabId: t.id, recording: isRecording(t.id), preserveLog: t.preserveLog, recordAll, notices: tabNotices(t, intake), workers: workers.isOn(t.id), workersError: workers.problem(t.id) };
}

/** Tells the tab's panels its state again (a notice came). */
function sendState(t: Tab) {
  for (const p of t.panels) send(p, { t: 'state', state: stateOf(t) });
}

/** Tells every frame of the tab, and its panels, whether it is recorded. */
function announce(tabId: number) {
  tabs.get(tabId)?.session.setWorkerSwitch(workers.switchOf(tabId));
  const on = isRecording(tabId);
  for (const id of [tabId, ...popups.popupsOf(tabId)]) browser.tabs.sendMessage(id, { t: 'recording', on } satisfies BackgroundToRelay).catch(() => {});
  const t = tabs.get(tabId);
  if (t) for (const p of t.panels) send(p, { t: 'state', state: stateOf(t) });
}

function send(port: Runtime.Port, msg: BackgroundToPanel) {
  try {
    port.postMessage(msg);
  } catch {
    /* the panel closed */
  }
}

/** Checks, applies, logs and acknowledges the relays' batches (src/background/intake.ts). */
const intake: Intake<Runtime.Port> = new Intake<Runtime.Port>(
  {
    store: () => persist,
    tab,
    openTab: (id) => tabs.get(id),
    checkpointDue: (id) => void checkpoint(tab(id)),
    warn: (what, e) => console.error(`Channel Inspector: ${what}`, e),
  },
  CHECKPOINT_EVERY,
);
// ───────────── restore: the worker may have been stopped with sessions in flight ─────────────

const ready: Promise<void> = (async () => {
  try {
    persist = await Persist.open();
    // Sessions of tabs closed while the worker was stopped (or before the browser restarted).
    const open = await browser.tabs.query({}).then((ts) => new Set(ts.map((x) => x.id)), () => null);
    for (const [tabId, saved] of await persist.loadAll()) {
      if (open && !open.has(tabId)) {
        void persist.forgetTab(tabId);
        continue;
      }
      Object.assign(tab(tabId), restoreTab(saved, intake, tabId));
      tab(tabId).session.setWorkerSwitch(workers.switchOf(tabId));
      const t = tab(tabId);
      t.auditDirty = true; // the checkpoint's findings may predate the log
    }
  } catch (e) {
    console.error('Channel Inspector: could not restore sessions', e);
  }
  if (__TEST_HOOKS__) {
    const stored = await browser.storage.session.get('recordAll').catch(() => ({}) as Record<string, unknown>);
    recordAll = stored.recordAll === true;
  }
  const routes = await browser.storage.session.get('popups').catch(() => ({}) as Record<string, unknown>);
  popups = PopupRoutes.fromState(routes.popups);
})();

// ───────────── batches from the relays ─────────────

let persistTimer: ReturnType<typeof setTimeout> | null = null;

function receive(browserTab: number, browserSource: BatchSource, wire: RelayToBackground, port: Runtime.Port) {
  // A popup's batches join its opener's session, its frames numbered there.
  const tabId = popups.sessionTab(browserTab) ?? browserTab;
  let source = popups.source(browserTab, browserSource);
  // A worker's stream, through its creator's relay; one without this background's token is refused (and counted).
  if (wire.owner !== undefined) source = { ...source, owner: workers.trusted(wire.token) ? wire.owner : { doc: '', ctx: 0 } };
  const t = tab(tabId);
  const from = { tab: browserTab, frameId: browserSource.frameId, documentId: browserSource.documentId };
  const failures = intake.storeFailures;
  const { result, doc } = intake.receive(tabId, source, from, wire, port);
  // Refused (another frame's document) or malformed: counted and shown, nothing to keep.
  if (result.startsWith('refused-')) sendState(t);
  if (result === 'rejected' || result.startsWith('refused-')) return scheduleDelta(t);
  if (doc !== null) relayOf.set(doc, port);
  requestSyncs(t);
  persistTimer ??= setTimeout(flushPending, PERSIST_INTERVAL_MS);
  if (intake.storeFailures !== failures) sendState(t);
  scheduleDelta(t);
}

// An idle document reports nothing more; which port arrived where can wait on how far its
// stream has come (Session.awaitedStreams), so the document is asked (SyncRequest).
/** The relay port each document's batches come on (a relay serves one document). */
const relayOf = new Map<string, Runtime.Port>();
/** The latest time each document was asked to pass. */
const asked = new Map<string, number>();

function requestSyncs(t: Tab) {
  for (const { doc, until } of t.session.awaitedStreams()) {
    const port = relayOf.get(doc);
    if (!port || (asked.get(doc) ?? -Infinity) >= until) continue;
    asked.set(doc, until);
    try {
      port.postMessage({ t: 'sync', until } satisfies BackgroundToRelay);
    } catch {
      relayOf.delete(doc); // the frame went away
    }
  }
}

/** Forgets a closed relay port; returns the documents it served. */
function forgetRelay(port: Runtime.Port): string[] {
  intake.bindings.release(port);
  const docs: string[] = [];
  for (const [doc, p] of relayOf) {
    if (p !== port) continue;
    relayOf.delete(doc);
    asked.delete(doc);
    docs.push(doc);
  }
  return docs;
}

// A relay closes its port when recording stops; otherwise a closed port means its document
// went away (a removed frame, a navigation, the back/forward cache), which no page event says.
function relayGone(browserTab: number, port: Runtime.Port) {
  const docs = forgetRelay(port);
  if (!docs.length || !isRecording(browserTab)) return;
  const t = tabs.get(popups.sessionTab(browserTab) ?? browserTab);
  if (!t) return;
  const at = Date.now();
  for (const doc of docs) t.session.documentGone(doc, at);
  scheduleDelta(t);
  scheduleCheckpoint(t); // not in any page's batches: kept by a checkpoint
}

/** One checkpoint for a run of documents going away (frames removed, popups closed at once). */
function scheduleCheckpoint(t: Tab) {
  if (t.checkpointTimer !== null) return;
  t.checkpointTimer = setTimeout(() => {
    t.checkpointTimer = null;
    void checkpoint(t);
  }, CHECKPOINT_DELAY_MS);
}

/** Makes received batches durable, then acknowledges them to their relays. */
async function flushPending() {
  persistTimer = null;
  const failures = intake.storeFailures;
  await intake.flush();
  // A failed write is said in the panel (its batches wait in their relays).
  if (intake.storeFailures !== failures) for (const t of tabs.values()) sendState(t);
}

async function checkpoint(t: Tab) {
  // A closed tab's session is gone: a checkpoint would bring it back at the next start.
  if (!persist || tabs.get(t.id) !== t) return;
  const store = persist;
  await t.writer
    .run(
      store,
      () => t.session,
      () => {
        // Taken when the checkpoint starts (one may be running): its state includes the log up to here.
        t.logged = 0;
        const bindings = intake.bindings.toState(new Set([t.id, ...popups.popupsOf(t.id)]));
        return { upTo: t.lastKey, preserveLog: t.preserveLog, paused: t.paused, bindings, notices: t.notices };
      },
    )
    .catch((e) => {
      console.error('Channel Inspector: checkpoint failed', e);
    });
}

/** Work that waits on data that has not come for RELEASE_AFTER_MS is forced through (and counted). */
const RELEASE_AFTER_MS = 2000;
const pendingSince = new Map<number, number>();
function releaseStale(t: Tab) {
  // Everything but sends still waiting for their delivery (a queued message may wait forever).
  const { waitingHalves: _inFlight, ...rest } = t.session.pendingWork() as unknown as Record<string, number>;
  const waiting = Object.values(rest).some((v) => v > 0);
  if (!waiting) return void pendingSince.delete(t.id);
  const since = pendingSince.get(t.id);
  if (since === undefined) {
    pendingSince.set(t.id, Date.now());
    setTimeout(() => scheduleDelta(t), RELEASE_AFTER_MS);
  } else if (Date.now() - since >= RELEASE_AFTER_MS) {
    pendingSince.delete(t.id);
    t.session.releaseHeld();
  }
}

/** Runs the audit (src/audit) over the tab's session; findings travel with the next delta. */
function audit(t: Tab) {
  t.auditDirty = false;
  const start = Date.now();
  t.session.setFindings(runAudit({ ...t.session.data(), rev: 0 }));
  t.auditedAt = Date.now();
  t.auditMs = t.auditedAt - start;
}

/**
 * Whether live findings are due: a panel shows them (snapshots audit on demand), and the last
 * audit is long enough ago for the audit to take at most a fifth of the worker. It runs over
 * the whole session (a 1M-message session takes some 350 ms), so a long recording is audited
 * less often rather than keeping a core busy beside the page.
 */
function auditDue(t: Tab): boolean {
  return t.panels.size > 0 && Date.now() - t.auditedAt >= Math.max(AUDIT_INTERVAL_MS, AUDIT_SHARE * t.auditMs);
}

const deltaTimers = new Map<number, ReturnType<typeof setTimeout>>();
function scheduleDelta(t: Tab) {
  t.auditDirty = true;
  if (deltaTimers.has(t.id)) return;
  deltaTimers.set(
    t.id,
    setTimeout(() => {
      deltaTimers.delete(t.id);
      releaseStale(t);
      if (auditDue(t)) audit(t);
      else if (t.auditDirty && t.panels.size > 0) scheduleDelta(t);
      const delta = t.session.takeDelta();
      // Packed once for all the tab's panels: columns cross the runtime port far cheaper than records.
      if (delta && t.panels.size) {
        const packed = packDelta(delta);
        for (const p of t.panels) send(p, { t: 'packedDelta', delta: packed });
      }
    }, DELTA_INTERVAL_MS),
  );
}

browser.runtime.onMessage.addListener((raw: unknown, sender: Runtime.MessageSender) => {
  const msg = raw as { t?: string };
  if (msg?.t === 'hello' && sender.tab?.id !== undefined) {
    const tabId = sender.tab.id;
    const sessionTab = popups.sessionTab(tabId) ?? tabId;
    return ready.then(async () => ({ recording: isRecording(tabId), breakpoints: await helloBreakpoints(sessionTab, tabs.get(sessionTab)?.session) }) satisfies HelloReply);
  }
  if (msg?.t === 'instrumentError' && sender.tab?.id !== undefined && sender.id === browser.runtime.id) {
    const err = raw as { stage?: unknown; message?: unknown };
    const browserTab = sender.tab.id;
    void ready.then(() => {
      const t = tab(popups.sessionTab(browserTab) ?? browserTab);
      if (t.instrumentErrors.length >= MAX_INSTRUMENT_ERRORS) return;
      t.instrumentErrors.push(instrumentErrorNotice(String(err.stage), String(err.message), sender.frameId ?? 0, sender.url));
      sendState(t);
    });
  }
  return undefined;
});

browser.runtime.onConnect.addListener((port) => {
  if (port.name === RELAY_PORT_NAME) onRelay(port);
  else if (port.name === PANEL_PORT_NAME) onPanel(port);
  else if (port.name === DEVTOOLS_PORT_NAME) {
    const count = (tabId: number, by: number) =>
      void ready.then(() => {
        const t = by > 0 ? tab(tabId) : tabs.get(tabId); // a closed tab's session stays gone
        if (t) (t.devtools = Math.max(0, t.devtools + by)), announce(tabId);
      });
    acceptDevtoolsPage(port, browser.runtime.id, (tabId) => count(tabId, 1), (tabId) => count(tabId, -1));
  }
});

/** Runtime messages from relays and the page batches they carried (the bench reads them). */
const relayTraffic = { messages: 0, batches: 0 };

function onRelay(port: Runtime.Port) {
  const sender = port.sender as (Runtime.MessageSender & { documentId?: string; origin?: string }) | undefined;
  const tabId = sender?.tab?.id;
  if (tabId === undefined || sender?.id !== browser.runtime.id) return port.disconnect();
  const frameId = sender.frameId ?? 0;
  // The frame's parent comes from webNavigation; batches wait for it, in order.
  const source: Promise<BatchSource> = ready
    .then(() => browser.webNavigation.getFrame({ tabId, frameId }))
    .then(
      (f) => ({ frameId, parentFrameId: f?.parentFrameId, url: sender.url, documentId: sender.documentId, origin: sender.origin }),
      () => ({ frameId, parentFrameId: frameId === 0 ? -1 : undefined, url: sender.url, documentId: sender.documentId, origin: sender.origin }),
    );
  port.onMessage.addListener((raw: unknown) => {
    // One batch, or the batches a busy page flushed since the relay's last message.
    const wires = wiresOfRelayMessage(raw);
    if (!wires) return;
    relayTraffic.messages++;
    relayTraffic.batches += wires.length;
    void source.then((src) => {
      for (const wire of wires) receive(tabId, src, wire, port);
    });
  });
  // After the batches still waiting on `source`: they came first.
  port.onDisconnect.addListener(() => void source.then(() => relayGone(tabId, port)));
}

function onPanel(port: Runtime.Port) {
  if (port.sender?.id !== browser.runtime.id) return port.disconnect();
  let t: Tab | null = null;
  port.onMessage.addListener(async (raw: unknown) => {
    if (!isPanelToBackground(raw)) return;
    await ready;
    const msg = raw;
    if (msg.t === 'subscribe') {
      t = tab(msg.tabId);
      t.panels.add(port);
      if (t.auditDirty) audit(t); // not audited while no panel looked
      send(port, { t: 'snapshot', state: stateOf(t), snapshot: t.session.packedSnapshot() });
      announce(t.id);
      const b = await breakpointsOf(t.id);
      send(port, { t: 'breakpoints', list: b.list, key: b.key, rev: b.rev });
      return;
    }
    if (!t) return;
    switch (msg.t) {
      case 'record':
        t.paused = !msg.on;
        announce(t.id);
        scheduleCheckpoint(t); // a pause outlives a restart of the worker
        break;
      case 'clear':
        clearTab(t);
        break;
      case 'preserveLog':
        t.preserveLog = msg.on;
        announce(t.id);
        break;
      case 'workers':
        await workers.setSite(t.id, msg.on);
        announce(t.id);
        break;
      case 'recordFromLoad':
        t.paused = false;
        t.notices = [];
        clearTab(t);
        announce(t.id);
        await browser.tabs.reload(t.id).catch(() => {});
        break;
      case 'breakpoints': {
        const b = await setBreakpoints(t.id, [t.id, ...popups.popupsOf(t.id)], msg.list, msg.rev, t.session);
        // b.list and b.rev as they are now: a later edit may have come in while the frames were told.
        for (const p of t.panels) send(p, { t: 'breakpoints', list: b.list, key: b.key, rev: b.rev });
        break;
      }
      case 'storeGlobal':
        send(port, { t: 'stored', req: msg.req, outcome: await storeGlobal(t.session, (f) => popups.browserFrame(t!.id, f), msg) });
        break;
      case 'replay': {
        const req = msg.req;
        const outcome = await replay(t, msg);
        send(port, { t: 'replayed', req, outcome });
        break;
      }
    }
  });
  port.onDisconnect.addListener(() => {
    if (!t) return;
    t.panels.delete(port);
    announce(t.id);
  });
}

/** How long a replay's own record may take to reach the session (its batch follows the answer). */
const REPLAY_RECORD_WAIT_MS = 3000;
/** Numbers replays on the relay hop: requests of several panels never share one. */
let replaySerial = 0;

/** Routes a replay to the one frame that can post it, and names the record it made. */
async function replay(t: Tab, req: ReplayRequest): Promise<ReplayOutcome> {
  const route = routeReplay(t.session, req);
  if ('error' in route) return { ok: false, error: route.error };
  let result: unknown;
  try {
    const cmd = { ...route.cmd, req: ++replaySerial };
    const at = popups.browserFrame(t.id, route.frameId);
    result = await browser.tabs.sendMessage(at.tabId, { t: 'replay', cmd } satisfies BackgroundToRelay, { frameId: at.frameId });
  } catch (e) {
    return { ok: false, error: `the frame could not be reached: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!isReplayResult(result)) return { ok: false, error: 'the frame did not answer (not instrumented?)' };
  if (!result.ok) return result;
  const deadline = Date.now() + REPLAY_RECORD_WAIT_MS;
  for (;;) {
    const id = recordOfLocal(t.session, route.cmd.doc, result.msg);
    if (id !== null || Date.now() > deadline || !isRecording(t.id)) return { ok: true, messageId: id };
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Forgets the recording, on disk too: the batches still being written go first, then a
 * checkpoint of the cleared session replaces the whole log (payload samples included).
 */
function clearTab(t: Tab) {
  t.session.clear();
  t.session.takeDelta();
  t.notices = [];
  t.instrumentErrors = [];
  intake.refused.delete(t.id);
  for (const p of t.panels) send(p, { t: 'snapshot', state: stateOf(t), snapshot: t.session.packedSnapshot() });
  void intake.flush().then(() => checkpoint(t));
}

// A new page in the top frame starts a new session unless the log is preserved.
browser.webNavigation.onBeforeNavigate.addListener((d) => {
  if (d.frameId === 0) void workers.navigated(d.tabId, d.url);
});
browser.webNavigation.onCommitted.addListener((d) => {
  if (d.frameId !== 0) return;
  void workers.navigated(d.tabId, d.url);
  void ready.then(() => {
    const t = tabs.get(d.tabId);
    if (t && !t.preserveLog && t.session.messageCount > 0) clearTab(t);
  });
});

// A tab opened by a page (window.open, a link with a target) is recorded with its opener.
browser.webNavigation.onCreatedNavigationTarget.addListener((d) => {
  void ready.then(() => {
    const r = popups.opened(d.sourceTabId, d.sourceFrameId, d.tabId);
    // A tab nobody records gets no session for it; the popup's batches name their opener anyway.
    if (isRecording(r.tabId)) tab(r.tabId).session.openedPopup(r.popupFrame, r.openerFrame);
    void savePopups();
    // Its frames may have asked before this was known.
    announce(d.tabId);
  });
});

browser.tabs.onRemoved.addListener((tabId) => {
  const closed = tabs.get(tabId);
  if (closed?.checkpointTimer) clearTimeout(closed.checkpointTimer);
  tabs.delete(tabId);
  workers.forget(tabId);
  forgetBreakpoints(tabId);
  intake.forgetTab(tabId);
  // After the batches still being written: they would bring the tab's log back.
  void intake
    .flush()
    .then(() => closed?.writer.stop())
    .then(() => persist?.forgetTab(tabId));
  // A closed popup's documents end in its opener's session.
  const session = popups.sessionTab(tabId);
  if (session !== undefined) {
    const t = tabs.get(session);
    if (t) {
      t.session.framesClosed(popups.framesOf(tabId), Date.now());
      scheduleDelta(t);
      scheduleCheckpoint(t); // not in any page's batches: kept by a checkpoint
    }
  }
  if (popups.closed(tabId)) void savePopups();
});

// For the CLI recorder and the e2e tests, which evaluate in this worker: the test build only
// (scripts/build.mjs; `npm run package` leaves them out).
if (__TEST_HOOKS__) Object.assign(globalThis, {
  channelInspector: {
    ready,
    async setRecordAll(on: boolean) {
      await ready;
      recordAll = on;
      // Session storage: it survives a restart of the worker, not of the browser.
      await browser.storage.session.set({ recordAll: on });
      for (const t of await browser.tabs.query({})) if (t.id !== undefined) announce(t.id);
      for (const t of tabs.values()) sendState(t);
    },
    /** The tab's state as its panel gets it (notices included). */
    async state(tabId: number) {
      await ready;
      const t = tabs.get(tabId);
      return t ? stateOf(t) : null;
    },
    /** Record inside the workers of every tab (the CLI's --workers). */
    async setRecordWorkers(on: boolean) {
      await workers.setAll(on);
    },
    /** The tab's session as plain records, with findings as of now. */
    async snapshot(tabId: number) {
      await ready;
      const t = tabs.get(tabId);
      if (!t) return null;
      if (t.auditDirty) audit(t);
      return t.session.snapshot();
    },
    /** The tab's session as it is, without running the audit first: the CLI's idle check polls it. */
    async peek(tabId: number) {
      await ready;
      return tabs.get(tabId)?.session.snapshot() ?? null;
    },
    /** Forces through what waits on data that may never come (the end of a recording). */
    async release(tabId: number) {
      await ready;
      tabs.get(tabId)?.session.releaseHeld();
    },
    /** The panel's replay for tests that check it below the panel (same path as the panel's port). */
    async replay(tabId: number, req: ReplayRequest) {
      await ready;
      return replay(tab(tabId), req);
    },
    /** The panel's Clear, for tests that check what stays on disk. */
    async clear(tabId: number) {
      await ready;
      const t = tabs.get(tabId);
      if (t) clearTab(t);
      await intake.flush();
    },
    /** Resolves once every received batch is durable. */
    async flush() {
      await ready;
      await flushPending();
    },
    /** Relay messages and page batches received so far (scripts/bench: how often the worker is woken). */
    relayTraffic: () => ({ ...relayTraffic }),
  },
});
