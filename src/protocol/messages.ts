// The one wire protocol shared by every hop: page (MAIN world) → relay (isolated world)
// → background → panel, and the commands that flow back. Every hop imports its types
// from here; nothing else defines a message shape.

import { expandEvents } from './compact';
import type { PageEvent, Via, WindowPath } from './events';
import type { AggregateDelta, FindingText, PackedDelta, PackedSnapshot } from './session';

export const PROTOCOL_VERSION = 1;

/** Names of the runtime ports (runtime.connect) so both ends agree. */
export const RELAY_PORT_NAME = 'ci-relay';
export const PANEL_PORT_NAME = 'ci-panel';
/** The DevTools page's port: open while DevTools is open on the tab, so the tab is recorded from then on. */
export const DEVTOOLS_PORT_NAME = 'ci-devtools';

// The page events are defined in events.ts (below compact.ts and session.ts, which name
// them) and are part of this module's surface.
export * from './events';

/** One flush of a context's events (one per task at most). */
export interface PageBatch {
  v: number;
  /** Random id of the reporting document, stable for its lifetime. */
  doc: string;
  /** Per-document sequence number, from 1, so resends are idempotent. */
  seq: number;
  /** Strings first used in this batch (stacks, urls): [id, text]. */
  strings?: [number, string][];
  events: PageEvent[];
  /**
   * The page's clock at the flush, on a flush's last batch: every event of the document before
   * it is in this batch or an earlier one. A `sync` is answered by a batch with only this.
   */
  upTo?: number;
}

// ───────────────────────── page ↔ relay (private MessageChannel) ─────────────────────────

/**
 * A batch crosses page → relay → background as its JSON text (`text`): a structured clone of
 * thousands of small event objects costs the page several times more than JSON.stringify, and
 * Chromium's runtime port would serialize the objects once more. `batch` (the objects) is the
 * fallback when the page's prototypes make JSON.stringify unsafe (src/instrument/bridge.ts).
 * In the text, posts and deliveries are flat arrays (src/protocol/compact.ts); batchOfWire
 * turns them back into PageEvent objects, so nothing after it sees the difference.
 */
export type WireBatch = ({ t: 'batch'; batch: PageBatch } | { t: 'text'; seq: number; text: string; doc?: string }) & {
  /**
   * A worker's own stream, passed up by the context that made the worker
   * (src/instrument/worker-link.ts): that context's document and its local number for the worker.
   */
  owner?: StreamOwner;
  /** The secret the background put in the worker's instrumentation: a worker the page made up has none. */
  token?: string;
};

/** A worker's stream belongs to the context its creator numbered `ctx` in document `doc`. */
export interface StreamOwner {
  doc: string;
  ctx: number;
}

export function isStreamOwner(x: unknown): x is StreamOwner {
  return isObj(x) && typeof x.doc === 'string' && x.doc.length > 0 && x.doc.length <= 64 && typeof x.ctx === 'number' && Number.isSafeInteger(x.ctx) && x.ctx > 0;
}
export type PageToRelay = WireBatch | { t: 'replayed'; req: number; result: ReplayResult } | { t: 'stored'; req: number; result: StoreResult } | InstallFailure;

/**
 * The instrumentation could not install in this document (extension/page.ts): sent over the
 * bridge, which is opened whatever happens, so the failure is seen and the relay's first hello
 * is always the extension's. Nothing is thrown into the page.
 */
export interface InstallFailure {
  t: 'failed';
  /** Which step failed: 'natives', 'bridge', 'install'. */
  stage: string;
  message: string;
}
export type RelayToPage = { t: 'recording'; on: boolean } | { t: 'replay'; cmd: ReplayCommand } | SyncRequest | BreakpointsCommand | { t: 'store'; cmd: StoreCommand };

/**
 * The background waits for a document's stream to pass a time (which port arrived where is
 * inferred from what each document held then, src/aggregate/identify.ts); an idle page says
 * nothing more, so it is asked: once its clock passes `until`, it flushes a batch with `upTo`.
 */
export interface SyncRequest {
  t: 'sync';
  until: number;
  /** The document asked (a worker's stream travels through its creator's relay); absent: the frame's own. */
  doc?: string;
}

// ───────────────────────── relay ↔ background (runtime port) ─────────────────────────

// A relay asks once (runtime.sendMessage) whether its tab is recorded, and opens a
// runtime port only while it is: frames of tabs nobody inspects cost nothing.
export type RelayRequest = { t: 'hello' } | InstrumentError;
/** A document's instrumentation failed to install: told whether or not the tab is recorded. */
export interface InstrumentError {
  t: 'instrumentError';
  stage: string;
  message: string;
}
export interface HelloReply {
  recording: boolean;
  /** The tab's message breakpoints, so that a new document (a reload) pauses as the last one did. */
  breakpoints?: BreakpointsCommand;
}
/** One page batch as the background keeps it (intake, log, acks). */
export type RelayToBackground = WireBatch;
/**
 * What crosses the relay's runtime port: one batch, or the batches a busy page flushed since
 * the last message, in order (src/protocol/relay-pace.ts). Waking the extension's process costs
 * the page far more than the bytes, so under load it is woken a few times a second.
 */
export type RelayMessage = WireBatch | { t: 'batches'; wires: WireBatch[] };
/** `ack` over the port; `recording` to every frame of a tab (tabs.sendMessage). */
export type BackgroundToRelay =
  | { t: 'ack'; doc: string; seq: number }
  | { t: 'recording'; on: boolean }
  /** Over the port of the document the background waits on. */
  | SyncRequest
  /** To one frame (tabs.sendMessage with frameId); the relay answers with a ReplayResult. */
  | { t: 'replay'; cmd: ReplayCommand }
  /** To every frame of the tab; the relay hands it to its page as it came. */
  | BreakpointsCommand
  /** To one frame (tabs.sendMessage with frameId); the relay answers with a StoreResult. */
  | { t: 'store'; cmd: StoreCommand };

// ───────────────────────── background ↔ panel (runtime port) ─────────────────────────
// A panel subscribes to its inspected tab and gets a snapshot (messages as columns),
// then deltas. Everything the panel shows comes from these; it derives nothing itself.

export interface TabState {
  tabId: number;
  /** Someone records this tab (a panel is open, or recording was asked for). */
  recording: boolean;
  /** Keep the session across navigations of the top frame. */
  preserveLog: boolean;
  /** Every tab is recorded by a switch outside the panel (the test and CLI build's): said, never silent. */
  recordAll?: boolean;
  /** "Record inside workers" is on for this tab's site (absent: off). */
  workers?: boolean;
  /** Why recording inside workers is not working now (Chrome: the debugger could not attach). */
  workersError?: string;
  /** Things the user must know about this session: a partial restore, instrumentation errors, refused batches. */
  notices?: TabNotice[];
}

export interface TabNotice {
  kind: 'partial-restore' | 'instrument-error' | 'refused-batches' | 'store-failed';
  /** The sentence in English, as traces and the CLI keep it (rendered from `text`). */
  message: string;
  /** The same sentence as a catalogue key and its parameters, for the panel's language (absent in older checkpoints). */
  text?: FindingText;
  /** The frame it concerns (instrument-error), as the browser numbers it. */
  frameId?: number;
  url?: string;
  /** How many times (refused batches, failed writes). */
  count?: number;
}

export type PanelToBackground =
  | { t: 'subscribe'; tabId: number }
  | { t: 'record'; on: boolean }
  | { t: 'clear' }
  | { t: 'preserveLog'; on: boolean }
  /** Record inside workers (remembered per site): the debugger in Chrome, the script filter in Firefox. */
  | { t: 'workers'; on: boolean }
  /** Reload the inspected tab with recording on from its first event. */
  | { t: 'recordFromLoad' }
  /** Post a recorded message again (as it was or edited); answered by `replayed`. */
  | ReplayRequest
  /** The panel's message breakpoints, all of them, each time the list changes; `rev` numbers the edit. */
  | { t: 'breakpoints'; list: BreakpointSpec[]; rev: number }
  /** Store as global variable; answered by `stored`. */
  | StoreRequest;

export type BackgroundToPanel =
  | { t: 'snapshot'; state: TabState; snapshot: PackedSnapshot }
  | { t: 'delta'; delta: AggregateDelta }
  /** A delta with its messages as columns (src/aggregate/columns.ts packDelta): what the background sends. */
  | { t: 'packedDelta'; delta: PackedDelta }
  | { t: 'state'; state: TabState }
  | { t: 'replayed'; req: number; outcome: ReplayOutcome }
  /**
   * The tab's breakpoints as the background keeps them (they outlive the panel), the tab's key
   * (BreakpointsCommand) and the number of the last edit they include: an answer to an older
   * edit must not undo a newer one the panel already shows.
   */
  | { t: 'breakpoints'; list: BreakpointSpec[]; key: string; rev: number }
  | { t: 'stored'; req: number; outcome: StoreOutcome };

// ───────────────────────── message breakpoints (panel → background → relay → page) ─────────────────────────
// The panel keeps a list of breakpoints in the filter bar's terms (global ids); the background
// turns each into what one document can test by itself (its local port ids) and sends them
// down the private path. The page tests each delivery (before the page's listener runs) and
// each port send (inside the page's postMessage call) and pauses there: see
// src/instrument/breakpoints.ts and docs/engine-differences.md.

export type BreakOn = 'deliver' | 'send';
/** Outcomes known when a message is sent (the model's prediction). */
export type SendOutcome = 'queued' | 'dropped' | 'error';
export const SEND_OUTCOMES: readonly SendOutcome[] = ['queued', 'dropped', 'error'];
export const VIAS: readonly Via[] = ['port', 'window', 'worker', 'broadcast', 'clone'];
export const MAX_BREAKPOINTS = 64;

/** A breakpoint as the panel names it; every criterion given must hold. */
export interface BreakpointSpec {
  /** The panel's number for it. */
  id: number;
  on: BreakOn;
  enabled: boolean;
  via?: Via;
  /** Global port id: messages sent from or delivered to it. */
  port?: number;
  /** Global channel id: messages on either of its ports. */
  channel?: number;
  /** Global context id: messages sent or received there. */
  context?: number;
  /** The document's own origin, or the other end's (event.origin) on a window delivery. */
  origin?: string;
  /** A decoder's name (src/decode) and, optionally, text its call label contains (`APPLY add`). */
  protocol?: string;
  call?: string;
  /** Text in the received payload (deliveries only: a send's payload is the page's object). */
  text?: string;
  /** Sends only: the outcome the model predicts. */
  outcome?: SendOutcome;
}

/** One breakpoint as one document tests it (local ids; no context: it was sent only where it applies). */
export interface PageBreakpoint {
  id: number;
  on: BreakOn;
  via?: Via;
  /** Local port ids; present (maybe empty) when the breakpoint names a port or a channel. */
  ports?: number[];
  origin?: string;
  protocol?: string;
  /** Lower case. */
  call?: string;
  /** Lower case. */
  text?: string;
  outcome?: SendOutcome;
}

/**
 * To every document of the tab: its breakpoints are `byDoc[its doc id]` when present, else
 * `common` (the ones that name no port, channel or context, which hold in a new document too).
 * `key` is the tab's secret with which the DevTools page hands DevTools' debug() to the page.
 */
export interface BreakpointsCommand {
  t: 'breakpoints';
  key: string;
  common: PageBreakpoint[];
  byDoc: Record<string, PageBreakpoint[]>;
}

const MAX_TEXT = 512;
const isShortText = (x: unknown) => x === undefined || (typeof x === 'string' && x.length <= MAX_TEXT);

export function isBreakpointSpec(x: unknown): x is BreakpointSpec {
  if (!isObj(x) || !isId(x.id) || (x.on !== 'deliver' && x.on !== 'send') || typeof x.enabled !== 'boolean') return false;
  if (x.via !== undefined && !VIAS.includes(x.via as Via)) return false;
  for (const k of ['port', 'channel', 'context'] as const) if (x[k] !== undefined && !isId(x[k])) return false;
  if (x.outcome !== undefined && !SEND_OUTCOMES.includes(x.outcome as SendOutcome)) return false;
  return isShortText(x.origin) && isShortText(x.protocol) && isShortText(x.call) && isShortText(x.text);
}

// ───────────────────────── Store as global variable (panel → background → relay → page) ─────────────────────────
// As DevTools' own "Store as global variable": the page gets the first free `tempN`. A port is
// the page's own MessagePort when its document still holds it (the instrumentation keeps a weak
// reference); a payload is a copy the panel rebuilt from the recording (src/replay/literal.ts).

export type StoreWhat = { kind: 'port'; port: number } | { kind: 'payload'; message: number; value: unknown };

export interface StoreRequest {
  t: 'storeGlobal';
  /** The panel's number for this request, echoed in `stored`. */
  req: number;
  what: StoreWhat;
}

/** To the one document that holds the port (or received the payload), in its local ids. */
export type StoreCommand = { req: number; doc: string } & ({ kind: 'port'; port: number } | { kind: 'value'; value: unknown });

/** `real`: the page's own object; otherwise a copy. */
export type StoreResult = { ok: true; name: string; real: boolean } | { ok: false; error: string };

/** What the panel is told: the page's answer and the document it went to, in words. */
export type StoreOutcome = (StoreResult & { ok: true; where: string }) | { ok: false; error: string };

export function isStoreResult(x: unknown): x is StoreResult {
  return isObj(x) && (x.ok === true ? typeof x.name === 'string' && typeof x.real === 'boolean' : x.ok === false && typeof x.error === 'string');
}

// ───────────────────────── DevTools page ↔ background (runtime port) ─────────────────────────
// The DevTools page exists as long as DevTools is open on a tab, panel shown or not: its
// port keeps the tab recorded from the moment DevTools opens, as the Network panel does.

export type DevtoolsToBackground = { t: 'inspect'; tabId: number };

export function isDevtoolsToBackground(x: unknown): x is DevtoolsToBackground {
  return isObj(x) && x.t === 'inspect' && typeof x.tabId === 'number' && Number.isSafeInteger(x.tabId) && x.tabId >= 0;
}

// ───────────────────────── guards ─────────────────────────
// Everything that crosses a trust boundary is checked before use.

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

const EVENT_KINDS = new Set(['context', 'channel', 'post', 'deliver', 'start', 'close', 'ports', 'listen', 'listenerStats', 'mismatch', 'dropped']);

export function isPageEvent(x: unknown): x is PageEvent {
  return isObj(x) && typeof x.k === 'string' && EVENT_KINDS.has(x.k) && typeof x.at === 'number';
}

export function isPageBatch(x: unknown): x is PageBatch {
  return (
    isObj(x) &&
    x.v === PROTOCOL_VERSION &&
    typeof x.doc === 'string' &&
    x.doc.length > 0 &&
    x.doc.length <= 64 &&
    typeof x.seq === 'number' &&
    Number.isInteger(x.seq) &&
    x.seq > 0 &&
    Array.isArray(x.events) &&
    (x.strings === undefined || Array.isArray(x.strings)) &&
    (x.upTo === undefined || (typeof x.upTo === 'number' && Number.isFinite(x.upTo)))
  );
}

export function isRelayToBackground(x: unknown): x is RelayToBackground {
  if (!isObj(x)) return false;
  if (x.t === 'text') return typeof x.text === 'string' && typeof x.seq === 'number';
  return x.t === 'batch' && isObj(x.batch);
}

/** The batches one relay message carries, in order; null when it is malformed. */
export function wiresOfRelayMessage(x: unknown): RelayToBackground[] | null {
  if (isObj(x) && x.t === 'batches') return Array.isArray(x.wires) && x.wires.every(isRelayToBackground) ? (x.wires as RelayToBackground[]) : null;
  return isRelayToBackground(x) ? [x] : null;
}

/**
 * The batch a relay message carries: parsed from its text, or as it came. Not checked here
 * (Session.ingest checks and counts what it rejects); null only when the text is not JSON.
 */
export function batchOfWire(w: WireBatch): unknown {
  let batch: unknown;
  if (w.t === 'batch') batch = w.batch;
  else {
    try {
      batch = JSON.parse(w.text) as unknown;
    } catch {
      return null;
    }
  }
  // Posts and deliveries may come in their compact form (src/protocol/compact.ts).
  if (isObj(batch) && Array.isArray(batch.events)) batch.events = expandEvents(batch.events as unknown[]);
  return batch;
}

export function isPanelToBackground(x: unknown): x is PanelToBackground {
  if (!isObj(x)) return false;
  switch (x.t) {
    case 'subscribe':
      return typeof x.tabId === 'number';
    case 'record':
    case 'workers':
    case 'preserveLog':
      return typeof x.on === 'boolean';
    case 'clear':
    case 'recordFromLoad':
      return true;
    case 'replay':
      return isReplayRequest(x);
    case 'breakpoints':
      return isId(x.rev) && Array.isArray(x.list) && x.list.length <= MAX_BREAKPOINTS && x.list.every(isBreakpointSpec);
    case 'storeGlobal':
      return isId(x.req) && isObj(x.what) && (x.what.kind === 'port' ? isId(x.what.port) : x.what.kind === 'payload' && isId(x.what.message) && 'value' in x.what);
    default:
      return false;
  }
}

// ───────────────────────── bridge handshake ─────────────────────────
// At document_start the MAIN world hands one end of a private MessageChannel to the
// isolated relay in a window message carrying this key. The relay takes only the
// first such message and stops its propagation, so page scripts never see it; from
// then on the page talks over a port nobody else holds.
export const BRIDGE_KEY = '__channelInspectorBridge';

/**
 * The hello's `doc` is the posting document's performance.timeOrigin, which both worlds of a
 * document read alike: a hello a previous document of the frame posted can be delivered to the
 * next one (Firefox does), and must not be taken for this document's.
 */
export interface BridgeHello {
  [BRIDGE_KEY]: number;
  doc: number;
}

/**
 * A worker's instrumentation hands its creator a private port in its first message, before the
 * worker's own code runs; the creator's Worker wrapper takes it out of the event stream
 * (src/instrument/worker-link.ts). `token` is checked by the background, not the page.
 */
export const WORKER_HELLO_KEY = '__channelInspectorWorker';

export interface WorkerHello {
  [WORKER_HELLO_KEY]: number;
  token: string;
}

export function isBridgeHello(data: unknown): data is BridgeHello {
  return isObj(data) && data[BRIDGE_KEY] === PROTOCOL_VERSION && typeof data.doc === 'number';
}

// ───────────────────────── replay (panel → background → relay → page) ─────────────────────────
// The panel names the message and the target by global ids; the background turns them into
// the local ids of the one frame that can post it, and the relay hands the command to that
// frame's instrumentation over the private bridge. The page never holds any end of this path.

/** Where a replay goes, as the panel names it (global ids). */
export type ReplayTarget =
  /** Post on this port: the message arrives at its entangled partner. */
  | { kind: 'port'; port: number }
  /**
   * A window message to the document `context`: posted by the original's sender document
   * when `from` is 'sender' (event.source and origin are the sender's), else by the
   * receiving window to itself (event.source is the receiver itself, origin its own).
   */
  | { kind: 'window'; context: number; from: 'sender' | 'self'; targetOrigin: string };

export interface ReplayRequest {
  t: 'replay';
  /** The panel's number for this request, echoed in `replayed`. */
  req: number;
  /** Global id of the recorded message. */
  message: number;
  /** The value to post (structured clone carries Map, BigInt... over runtime messaging). */
  value: unknown;
  /** Null: where the original went (its sending port, or its receiving window). */
  target: ReplayTarget | null;
}

/** What the background answers; `messageId` is the replay's own record once it is ingested. */
export type ReplayOutcome = { ok: true; messageId: number | null } | { ok: false; error: string };

/** To the instrumentation of one document, in its local ids. */
export type ReplayCommand = {
  req: number;
  /** The document that must run it (a frame may have navigated since). */
  doc: string;
  replayOf: number;
  value: unknown;
} & ({ via: 'port'; port: number } | { via: 'window'; target: WindowPath; targetOrigin: string });

/** The instrumentation's answer: the local id of the message it posted, or why it could not. */
export type ReplayResult = { ok: true; msg: number } | { ok: false; error: string };

/** Longest targetOrigin accepted from the panel. */
const MAX_ORIGIN = 2048;

function isId(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x > 0;
}

export function isReplayTarget(x: unknown): x is ReplayTarget {
  if (!isObj(x)) return false;
  if (x.kind === 'port') return isId(x.port);
  return (
    x.kind === 'window' &&
    isId(x.context) &&
    (x.from === 'sender' || x.from === 'self') &&
    typeof x.targetOrigin === 'string' &&
    x.targetOrigin.length > 0 &&
    x.targetOrigin.length <= MAX_ORIGIN
  );
}

export function isReplayRequest(x: unknown): x is ReplayRequest {
  return isObj(x) && x.t === 'replay' && isId(x.req) && isId(x.message) && 'value' in x && (x.target === null || isReplayTarget(x.target));
}

function isWindowPath(x: unknown): x is WindowPath {
  return isObj(x) && typeof x.up === 'number' && Number.isSafeInteger(x.up) && x.up >= 0 && x.up < 64 && Array.isArray(x.down) && x.down.length < 64 && x.down.every((i) => Number.isSafeInteger(i) && i >= 0) && x.rel === undefined;
}

export function isReplayCommand(x: unknown): x is ReplayCommand {
  if (!isObj(x) || !isId(x.req) || typeof x.doc !== 'string' || !isId(x.replayOf) || !('value' in x)) return false;
  if (x.via === 'port') return isId(x.port);
  return x.via === 'window' && isWindowPath(x.target) && typeof x.targetOrigin === 'string' && x.targetOrigin.length > 0 && x.targetOrigin.length <= MAX_ORIGIN;
}

export function isReplayResult(x: unknown): x is ReplayResult {
  return isObj(x) && (x.ok === true ? isId(x.msg) : x.ok === false && typeof x.error === 'string');
}
