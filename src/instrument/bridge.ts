// The page's end of the private bridge to the isolated relay (see BRIDGE_KEY).
import { BRIDGE_KEY, PROTOCOL_VERSION, type InstallFailure, type PageBatch, type PageToRelay, type WireBatch } from '../protocol/messages';
import type { Natives } from './natives';
import type { Recorder, Transport } from './recorder';
import type { Replayer } from './replay';
import type { WorkerLinks } from './worker-link';
import type { Breakpoints } from './breakpoints';
import { dispatchCommand, type CommandParts, type StoreGlobal } from './commands';

/** What answers the relay's commands besides the recorder (each given to the bridge only). */
export interface BridgeParts {
  replayer?: Replayer;
  /** The workers this document made that report from inside. */
  links?: WorkerLinks;
  /** The panel's message breakpoints. */
  breaks?: Breakpoints;
  /** Store as global variable. */
  store?: StoreGlobal;
}

export interface Bridge extends Transport {
  /** True for the handshake message itself, which the instrumentation must not report. */
  isBridgeMessage(e: MessageEvent): boolean;
  /** Where relay commands go once the recorder exists (and the workers this document made). */
  attach(rec: Recorder, parts?: BridgeParts): void;
  /** The instrumentation failed to install after the bridge opened (src/instrument/boot.ts). */
  report(failure: InstallFailure): void;
}

export function openBridge(n: Natives, g: typeof globalThis): Bridge {
  const channel = new n.MessageChannel();
  const port = channel.port1;
  const reply = (answer: PageToRelay) => void n.apply(n.portPostMessage, port, [answer]);
  const parts: CommandParts = { rec: null, links: null, breaks: null, store: null, replayer: null, reply };
  // Only the relay holds the other end of this port.
  n.apply(n.addEventListener, port, ['message', (e: MessageEvent) => dispatchCommand(n, n.eventData(e), parts)]);
  n.apply(n.portStart, port, []);
  // A literal: no page code has run yet, and creating properties runs no setter.
  const hello = { [BRIDGE_KEY]: PROTOCOL_VERSION, doc: n.timeOrigin };
  if (n.windowPostMessage) n.apply(n.windowPostMessage, g, [hello, '*', [channel.port2]]);

  return {
    send(batch: PageBatch) {
      n.apply(n.portPostMessage, port, [wireOf(n, batch)]);
    },
    forward(wire) {
      n.apply(n.portPostMessage, port, [wire]);
    },
    // Any hello, this document's or one a previous document of this frame posted: the relay
    // keeps them all from the page, so the recording leaves them out too.
    isBridgeMessage(e) {
      // The relay's test (one port, then isBridgeHello's), through own data properties (the
      // clone is the page realm's).
      if (!e.isTrusted || n.eventPorts(e).length !== 1) return false;
      const data = n.eventData(e);
      return typeof data === 'object' && data !== null && n.ownData(data, BRIDGE_KEY) === PROTOCOL_VERSION && typeof n.ownData(data, 'doc') === 'number';
    },
    report(failure) {
      n.apply(n.portPostMessage, port, [failure]);
    },
    attach(rec, more = {}) {
      parts.rec = rec;
      parts.replayer = more.replayer ?? null;
      parts.links = more.links ?? null;
      parts.breaks = more.breaks ?? null;
      parts.store = more.store ?? null;
    },
  };
}

/** A batch as it travels: its JSON text when that is safe to make, else the objects. */
export function wireOf(n: Natives, batch: PageBatch): WireBatch {
  const text = jsonSafe(n) ? jsonOf(n, batch) : null;
  return text !== null ? { t: 'text', seq: batch.seq, text, doc: batch.doc } : { t: 'batch', batch };
}

/**
 * JSON.stringify runs no page code on the recorder's events as long as nothing answers to
 * `toJSON` on the prototypes they have: Object.prototype (whose own prototype cannot change)
 * and Array.prototype (arrays that are not Natives.list); strings and numbers are never asked.
 * Checked per flush, through descriptors, so that a getter the page put there does not run.
 */
function jsonSafe(n: Natives): boolean {
  const { Object: O, Array: A } = n.protos;
  return n.getOwnPropertyDescriptor(O, 'toJSON') === undefined && n.getOwnPropertyDescriptor(A, 'toJSON') === undefined && n.getPrototypeOf(A) === O;
}

function jsonOf(n: Natives, batch: PageBatch): string | null {
  try {
    return n.stringify(batch);
  } catch {
    return null; // a value JSON cannot hold (none is expected): the structured clone takes it
  }
}
