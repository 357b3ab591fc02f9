// Page events: what an instrumented context reports. Below the rest of the protocol
// (messages.ts re-exports all of it) so that compact.ts and session.ts can name these
// types without importing messages.ts, which imports them: no import circle.

// ───────────────────────── page events ─────────────────────────
// Ids are local to the context that reports them (a document or a worker seen from
// its page); the background turns them into global ids. Times are epoch milliseconds
// with sub-millisecond precision (performance.timeOrigin + performance.now()).

import type { ContextKind, ListenerRemoval, TransferKind, Via, WrappedBy } from './enums';
export { LISTENER_REMOVALS, WRAPPED_BY, type ContextKind, type ListenerRemoval, type TransferKind, type Via, type WrappedBy } from './enums';

/** How one window is reached from another: `up` steps to the parent, then child indices down. */
export interface WindowPath {
  up: number;
  down: number[];
  /** A window outside the frame tree (popup, opener); `rel` says which. */
  rel?: 'opener' | 'popup' | 'unknown';
}


export interface TransferRef {
  kind: TransferKind;
  /** Local port id for a MessagePort; local object id for others. */
  id?: number;
  /** Byte length before the transfer, for buffers. */
  bytes?: number;
}

export type DropReason =
  | 'port-shipped'
  | 'port-closed'
  | 'partner-closed'
  | 'doomed'
  | 'target-origin-mismatch'
  | 'no-target'
  | 'channel-closed';

/** What the model predicts at send time. Delivery itself is confirmed by the receiver. */
export type Predicted =
  | { o: 'sent' }
  | { o: 'queued' }
  | { o: 'dropped'; reason: DropReason }
  | { o: 'error'; name: string; message: string; path?: string };

/**
 * Every event may carry `ctx`: the local context number it happened in when a page reports
 * on behalf of another context (a worker); absent means the document itself (0).
 */
interface InContext {
  ctx?: number;
}

export interface ContextEvent {
  k: 'context';
  at: number;
  kind: ContextKind;
  url: string;
  origin: string;
  top: boolean;
  /** Index of this window in its parent's frames, when it has a parent. */
  indexInParent?: number;
  /** Local id of the context that made this one (a worker's page). */
  parent?: number;
  /** Local context number for contexts a page reports on behalf of (workers); 0 is the document itself. */
  ctx?: number;
  /** For a worker: the local object id of its Worker / SharedWorker object in the parent. */
  object?: number;
  /**
   * For a worker: its own instrumentation said hello, so its events come in a stream of its
   * own (issue 21); what it sends and receives is reported, never to be inferred.
   */
  inside?: boolean;
  /** For a worker: its script's URL, as the page passed it, is blob: or data: (no response Firefox can filter). */
  script?: ScriptScheme;
}

/** A worker script URL's scheme where it matters to recording inside (issue 21). */
export type ScriptScheme = 'blob' | 'data';

export interface ChannelEvent extends InContext {
  k: 'channel';
  at: number;
  port1: number;
  port2: number;
  /** Local context holding port2 when it is not this one (a shared worker's end of its port). */
  holder2?: number;
  stack?: number;
}

/**
 * A send. Port, worker and broadcast sends are recorded by the sender. A window send is
 * recorded by the realm whose postMessage ran: calling another window's postMessage
 * runs that window's (same origin) or a native cross-origin function, so a send to a
 * cross-origin window is known from its delivery (DeliverEvent.source) alone.
 */
export interface PostEvent extends InContext {
  k: 'post';
  at: number;
  /** Local message id. */
  msg: number;
  via: Via;
  /** Sending port (via port). */
  port?: number;
  /** Target window (via window). */
  target?: WindowPath;
  targetOrigin?: string;
  /** Worker or BroadcastChannel local id (via worker/broadcast). */
  object?: number;
  /** BroadcastChannel name (via broadcast). */
  name?: string;
  transfer: TransferRef[];
  predicted: Predicted;
  /** Approximate size of the payload in bytes, when cheap to know. */
  bytes?: number;
  stack?: number;
  /** Posted by the extension at the panel's request (a replay), never by the page. */
  replay?: true;
  /** Global id of the message replayed (the background named it in the command). */
  replayOf?: number;
  /**
   * The sender's data as a Sample in JSON text, for a send whose delivery nothing reports (into
   * a worker): read after the send from the sender's own data properties (src/instrument/send-sample.ts).
   */
  sample?: string;
}

export interface DeliverEvent extends InContext {
  k: 'deliver';
  /** When dispatch began in the receiving context. */
  at: number;
  type: 'message' | 'messageerror';
  via: Via;
  port?: number;
  object?: number;
  /** BroadcastChannel name (via broadcast). */
  name?: string;
  /** Sender window (via window), relative to the receiver. */
  source?: WindowPath | null;
  origin?: string;
  /** Local ids given to the ports that arrived with the message, in order. */
  ports: number[];
  /** Listeners present when the event was dispatched (0: it reached no one). */
  listeners: number;
  /** Time spent in the page's own handlers, ms. */
  handlerMs?: number;
  /** A short rendering of the data; the background derives it from `sample` when there is one. */
  preview?: string;
  /** The data the receiver got as a Sample (src/protocol/sample.ts), in JSON text; message events only. */
  sample?: string;
  /** A page handler read event.origin during this dispatch (window messages). */
  originRead?: boolean;
  /** Bytes of ArrayBuffers reachable from the received data (copied or transferred). */
  bufferBytes?: number;
}

/**
 * What a context knew of its live ports when recording began (they were set up before):
 * [local id, flags (PORT_KNOWN_*), partner (local id; 0 none; -1 in another context)] each.
 */
export interface PortsKnownEvent extends InContext {
  k: 'ports';
  at: number;
  ports: number[];
}

export const PORT_KNOWN_STARTED = 1;
export const PORT_KNOWN_CLOSED = 2;
export const PORT_KNOWN_SHIPPED = 4;

export interface PortStateEvent extends InContext {
  k: 'start' | 'close';
  at: number;
  port: number;
  /** start() called implicitly by setting onmessage. */
  implicit?: boolean;
}

export interface ListenEvent extends InContext {
  k: 'listen';
  at: number;
  op: 'add' | 'remove';
  type: 'message' | 'messageerror';
  port?: number;
  via: Via;
  object?: number;
  stack?: number;
  /** Local listener id: the same on a registration's add and its remove. */
  id?: number;
  /** The author's function's name (after unwrapping), on add. */
  name?: string;
  /** String-table id of the author's function's source text, capped at LISTENER_SOURCE_MAX. */
  source?: number;
  /** The source text was cut at LISTENER_SOURCE_MAX characters. */
  truncated?: boolean;
  /** The library whose wrapper or dispatcher stood between the browser and the author's function. */
  wrappedBy?: WrappedBy;
  /** An on* event handler (not addEventListener). */
  handler?: boolean;
  capture?: boolean;
  once?: boolean;
  /** BroadcastChannel name (via broadcast). */
  channel?: string;
  /** Why a listener went away, on remove. */
  cause?: ListenerRemoval;
}

/** Longest listener source text sent, in characters. */
export const LISTENER_SOURCE_MAX = 4096;

/**
 * Per-listener counts that changed since the previous flush: flat triples
 * [listener id, messages handled so far, 1 if it ever read event.origin else 0].
 */
export interface ListenerStatsEvent extends InContext {
  k: 'listenerStats';
  at: number;
  stats: number[];
}

export interface MismatchEvent extends InContext {
  k: 'mismatch';
  at: number;
  msg?: number;
  expected: string;
  actual: string;
}

export interface DroppedEvent extends InContext {
  k: 'dropped';
  at: number;
  cause: string;
  count: number;
}

/**
 * A context the page reports on behalf of went away while its page lives on: a Worker the
 * page terminate()d. (A document's own end is seen by the background: its relay disconnects.)
 */
export interface EndEvent {
  k: 'end';
  at: number;
  /** Its local context number (never 0). */
  ctx: number;
}

export type PageEvent =
  | ContextEvent
  | EndEvent
  | ChannelEvent
  | PostEvent
  | DeliverEvent
  | PortStateEvent
  | PortsKnownEvent
  | ListenEvent
  | ListenerStatsEvent
  | MismatchEvent
  | DroppedEvent;
