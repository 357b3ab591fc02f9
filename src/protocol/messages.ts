// The one wire protocol shared by every hop: page (MAIN world) → relay (isolated world)
// → background → panel, and the commands that flow back. Every hop imports its types
// from here; nothing else defines a message shape.

import { expandEvents } from './compact';
import type { PageEvent, WindowPath } from './events';
import type { AggregateDelta, PackedDelta, PackedSnapshot } from './session';

export const PROTOCOL_VERSION = 1;

/** Names of the runtime ports (runtime.connect) so both ends agree. */
export const RELAY_PORT_NAME = 'ci-relay';
export const PANEL_PORT_NAME = 'ci-panel';

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
export type WireBatch = { t: 'batch'; batch: PageBatch } | { t: 'text'; seq: number; text: string };
export type PageToRelay = WireBatch | { t: 'replayed'; req: number; result: ReplayResult } | InstallFailure;

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
export type RelayToPage = { t: 'recording'; on: boolean } | { t: 'replay'; cmd: ReplayCommand } | SyncRequest;

/**
 * The background waits for a document's stream to pass a time (which port arrived where is
 * inferred from what each document held then, src/aggregate/identify.ts); an idle page says
 * nothing more, so it is asked: once its clock passes `until`, it flushes a batch with `upTo`.
 */
export interface SyncRequest {
  t: 'sync';
  until: number;
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
  | { t: 'replay'; cmd: ReplayCommand };

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
  /** Things the user must know about this session: a partial restore, instrumentation errors, refused batches. */
  notices?: TabNotice[];
}

export interface TabNotice {
  kind: 'partial-restore' | 'instrument-error' | 'refused-batches' | 'store-failed';
  message: string;
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
  /** Reload the inspected tab with recording on from its first event. */
  | { t: 'recordFromLoad' }
  /** Post a recorded message again (as it was or edited); answered by `replayed`. */
  | ReplayRequest;

export type BackgroundToPanel =
  | { t: 'snapshot'; state: TabState; snapshot: PackedSnapshot }
  | { t: 'delta'; delta: AggregateDelta }
  /** A delta with its messages as columns (src/aggregate/columns.ts packDelta): what the background sends. */
  | { t: 'packedDelta'; delta: PackedDelta }
  | { t: 'state'; state: TabState }
  | { t: 'replayed'; req: number; outcome: ReplayOutcome };

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
    case 'preserveLog':
      return typeof x.on === 'boolean';
    case 'clear':
    case 'recordFromLoad':
      return true;
    case 'replay':
      return isReplayRequest(x);
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
