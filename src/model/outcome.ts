// What every post returns through the realm's side API (realm.lastOutcome / realm.onOutcome).
// `predicted` is exactly the wire protocol's Predicted; the rest is richer detail.
import type { DropReason, Predicted, Via } from '../protocol/messages.js';
import { errorMessage, errorName, type ErrorCode, type ErrorContext, type Profile } from './profiles.js';

export type { DropReason, Predicted, Via };

export interface OutcomeTarget {
  kind: 'port' | 'window' | 'worker' | 'broadcast';
  /** Model id of the receiving port / realm / BroadcastChannel. */
  id: number;
  /** Message listeners (incl. the handler) on the event target when posted. */
  listeners: number;
  /** Whether the target's queue is enabled (ports only). */
  started?: boolean;
}

export interface OutcomeError {
  name: string;
  message: string;
  /** Where in the message (or transfer list) the offending value sits: "message.a.b[3]". */
  path?: string;
  code: ErrorCode;
}

export interface PostOutcome {
  via: Via;
  predicted: Predicted;
  /** Where the message went (delivered-to-queue or queued); broadcast may list several. */
  targets: OutcomeTarget[];
  error?: OutcomeError;
  /** What left the sender: port ids and buffer byte lengths before detaching. */
  transferred: { kind: 'MessagePort' | 'ArrayBuffer'; id?: number; bytes?: number }[];
}

const ERROR_INFO = new WeakMap<object, OutcomeError>();

const DOM_NAMES = new Set(['DataCloneError', 'SyntaxError', 'InvalidStateError']);

/** Builds the JS error a browser would throw and remembers its outcome details. */
export function makeError(profile: Profile, code: ErrorCode, ctx: ErrorContext): Error {
  const name = errorName(code);
  const message = errorMessage(profile, code, ctx);
  const err: Error = DOM_NAMES.has(name) ? (new DOMException(message, name) as unknown as Error) : new TypeError(message);
  ERROR_INFO.set(err, { name, message, path: ctx.path, code });
  return err;
}

export function errorInfo(err: unknown): OutcomeError {
  if (typeof err === 'object' && err !== null) {
    const info = ERROR_INFO.get(err);
    if (info) return info;
    const e = err as { name?: unknown; message?: unknown };
    return { name: String(e.name), message: String(e.message), code: 'uncloneable' };
  }
  return { name: 'Error', message: String(err), code: 'uncloneable' };
}

export function dropped(via: Via, reason: DropReason, transferred: PostOutcome['transferred'] = []): PostOutcome {
  return { via, predicted: { o: 'dropped', reason }, targets: [], transferred };
}

export function thrown(via: Via, err: unknown): PostOutcome {
  const error = errorInfo(err);
  const predicted: Predicted = { o: 'error', name: error.name, message: error.message };
  if (error.path) predicted.path = error.path;
  return { via, predicted, targets: [], error, transferred: [] };
}
