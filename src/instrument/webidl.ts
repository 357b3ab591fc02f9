// The WebIDL argument conversions of postMessage, done once by the instrumentation so
// that it knows the transfer list, and then replayed to the native method from
// objects it controls. The page's getters, iterators and toString run exactly as
// often and in the same order as without the extension, and when the page's values
// are invalid, the native method still throws its own TypeError: the replay makes
// it fail at the same step with the same value.
//
// Steps followed: WebIDL overload resolution (distinguishing argument at index 1),
// "create a sequence from an iterable", dictionary conversion in member order
// (StructuredSerializeOptions.transfer, then WindowPostMessageOptions.targetOrigin).
import type { Natives } from './natives';

export interface Converted {
  /** Arguments to hand to the native method. */
  args: unknown[];
  /** The transfer list as the page gave it (objects, in order). */
  transfer: unknown[];
  /** targetOrigin as converted (window.postMessage only); undefined means "/". */
  targetOrigin?: string;
}

/** How a replayed iteration ends: normally, or with the page's invalid value at the same step. */
type End =
  | { t: 'done' }
  | { t: 'method'; value: unknown } // @@iterator is not callable
  | { t: 'iterator'; value: unknown } // @@iterator returned a non-object
  | { t: 'next'; value: unknown } // iterator.next is not callable
  | { t: 'result'; value: unknown } // next() returned a non-object
  | { t: 'element'; value: unknown }; // an element is not an object

const isObject = (v: unknown): v is object => (typeof v === 'object' && v !== null) || typeof v === 'function';

interface Sequence {
  values: unknown[];
  end: End;
}

/** "Create a sequence from an iterable" for sequence<object>; the page's code runs once. */
function iterate(n: Natives, iterable: object, method: unknown): Sequence {
  const values: unknown[] = [];
  if (typeof method !== 'function') return { values, end: { t: 'method', value: method } };
  const iterator = n.apply(method, iterable, []);
  if (!isObject(iterator)) return { values, end: { t: 'iterator', value: iterator } };
  const next = (iterator as { next?: unknown }).next;
  if (typeof next !== 'function') return { values, end: { t: 'next', value: next } };
  for (;;) {
    const result = n.apply(next, iterator, []);
    if (!isObject(result)) return { values, end: { t: 'result', value: result } };
    if ((result as { done?: unknown }).done) return { values, end: { t: 'done' } };
    const value = (result as { value?: unknown }).value;
    if (!isObject(value)) return { values, end: { t: 'element', value } };
    values[values.length] = value;
  }
}

/** A null-prototype iterable that replays `seq` to the native bindings: no page code runs. */
function replay(n: Natives, seq: Sequence): object {
  const { values, end } = seq;
  const iterable = n.create(null);
  if (end.t === 'method') {
    iterable[Symbol.iterator] = end.value;
    return iterable;
  }
  iterable[Symbol.iterator] = function () {
    if (end.t === 'iterator') return end.value;
    const iterator = n.create(null);
    let i = 0;
    iterator.next =
      end.t === 'next'
        ? end.value
        : function () {
            if (i < values.length) return step(n, false, values[i++]);
            if (end.t === 'result') return end.value;
            if (end.t === 'element' && i++ === values.length) return step(n, false, end.value);
            return step(n, true, undefined);
          };
    return iterator;
  };
  return iterable;
}

function step(n: Natives, done: boolean, value: unknown) {
  const r = n.create(null);
  r.done = done;
  r.value = value;
  return r;
}

function options(n: Natives, transfer: object | undefined, targetOrigin?: unknown): object {
  const o = n.create(null);
  if (transfer !== undefined) o.transfer = transfer;
  if (targetOrigin !== undefined) o.targetOrigin = targetOrigin;
  return o;
}

const NONE: unknown[] = [];

/**
 * MessagePort.postMessage(message, transfer) / (message, options). Also the shape of
 * Worker, DedicatedWorkerGlobalScope, ServiceWorker and Client postMessage.
 * Returns null when the arguments need no conversion (pass them through as they are).
 */
export function convertPortPost(n: Natives, args: ArrayLike<unknown>): Converted | null {
  if (args.length < 2) return null;
  const arg = args[1];
  if (arg === undefined || arg === null || !isObject(arg)) return null;
  // Overload resolution: an object with an @@iterator is the sequence overload.
  const method = (arg as { [Symbol.iterator]?: unknown })[Symbol.iterator];
  if (method !== undefined && method !== null) {
    const seq = iterate(n, arg, method);
    return { args: [args[0], replay(n, seq)], transfer: seq.values };
  }
  // Dictionary overload: StructuredSerializeOptions { transfer }.
  const transfer = (arg as { transfer?: unknown }).transfer;
  if (transfer === undefined) return { args: [args[0], options(n, undefined)], transfer: NONE };
  const seq = sequenceMember(n, transfer);
  return { args: [args[0], options(n, seq ? replay(n, seq) : (transfer as object))], transfer: seq ? seq.values : NONE };
}

/** A dictionary member of type sequence<object>: a non-object is passed on for native to reject. */
function sequenceMember(n: Natives, value: unknown): Sequence | null {
  if (!isObject(value)) return null;
  return iterate(n, value, (value as { [Symbol.iterator]?: unknown })[Symbol.iterator]);
}

/**
 * window.postMessage(message, targetOrigin, transfer) / (message, options).
 * Returns null when nothing needs converting; targetOrigin is then "/" (one argument
 * or undefined/null options) and there is no transfer.
 */
export function convertWindowPost(n: Natives, args: ArrayLike<unknown>): Converted | null {
  if (args.length < 2) return null;
  const arg = args[1];
  if (arg === undefined || arg === null) return null;
  if (isObject(arg)) {
    // WindowPostMessageOptions: inherited `transfer` first, then `targetOrigin`.
    const transfer = (arg as { transfer?: unknown }).transfer;
    const seq = transfer === undefined ? null : sequenceMember(n, transfer);
    if (transfer !== undefined && (!seq || seq.end.t !== 'done')) {
      // Native stops at the invalid transfer member: targetOrigin is never read.
      return { args: [args[0], options(n, seq ? replay(n, seq) : (transfer as object))], transfer: NONE };
    }
    const rawOrigin = (arg as { targetOrigin?: unknown }).targetOrigin;
    const targetOrigin = rawOrigin === undefined || typeof rawOrigin === 'symbol' ? rawOrigin : n.String(rawOrigin);
    const transferArg = transfer === undefined ? undefined : seq ? replay(n, seq) : (transfer as object);
    return {
      args: [args[0], options(n, transferArg, targetOrigin)],
      transfer: seq ? seq.values : NONE,
      targetOrigin: typeof targetOrigin === 'string' ? targetOrigin : undefined,
    };
  }
  // (message, targetOrigin, optional transfer): a primitive's ToString runs no page code.
  const targetOrigin = typeof arg === 'symbol' ? undefined : n.String(arg);
  if (args.length < 3 || args[2] === undefined) {
    return { args: [args[0], arg], transfer: NONE, targetOrigin };
  }
  const seq = sequenceMember(n, args[2]);
  return { args: [args[0], arg, seq ? replay(n, seq) : args[2]], transfer: seq ? seq.values : NONE, targetOrigin };
}
