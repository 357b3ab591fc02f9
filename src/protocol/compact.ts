// The compact form of the two events that scale with traffic, post and deliver, in a batch's
// JSON text (page → relay → background). An object event costs the page its keys and a
// 17-digit epoch time per event in JSON.stringify, and every hop carries those bytes; a
// compact one is a flat array: a kind code, the time as whole microseconds after the previous
// compact event's, then (field number, value) pairs. A field at its usual value (via 'port',
// type 'message', no transfer, predicted 'sent', no ports) is left out and comes back as that
// value. Everything else stays an object.
//
// The page builds its busiest events, port posts and every delivery, in this form where they
// happen (Built, below), with times still in milliseconds. compactEvents runs at each flush on
// the page's own events: it finishes those and turns the other posts and deliveries into the
// same form, reading only their own keys (Object.keys, then own data properties), never a
// property they lack, which would reach a getter the page put on Object.prototype.
// expandEvents runs in the background on untrusted input: what it cannot read becomes an
// object that isPageEvent rejects, so it is counted, never trusted.
import type { PageEvent } from './events';

const POST = 1;
const DELIVER = 2;

/** Field numbers of a compact post (its kind and time are not fields). */
const POST_FIELDS = ['msg', 'via', 'port', 'target', 'targetOrigin', 'object', 'name', 'transfer', 'predicted', 'bytes', 'stack', 'replay', 'replayOf', 'ctx'] as const;
/** Field numbers of a compact deliver; handlerMs travels as whole microseconds like the time. */
const DELIVER_FIELDS = ['type', 'via', 'port', 'object', 'name', 'source', 'origin', 'ports', 'listeners', 'handlerMs', 'preview', 'sample', 'originRead', 'bufferBytes', 'ctx'] as const;

const numbering = (fields: readonly string[]) => {
  const m: Record<string, number> = Object.create(null);
  fields.forEach((f, i) => (m[f] = i));
  return m;
};
const POST_NUMBER = numbering(POST_FIELDS);
const DELIVER_NUMBER = numbering(DELIVER_FIELDS);

/**
 * A post or delivery the page built in compact form: [kind, at (ms), field, value, ...], a
 * delivery's first pair its handler time (ms, added to while its listeners run) and, for a
 * window delivery, its second pair whether the origin was read. compactEvents finishes it.
 *
 * It is an array literal with room for every field it can get (SPARE pairs): writing within
 * a literal writes its own elements, which never reaches a setter the page put on
 * Array.prototype (growing an array past its length would), so it needs no prototype-free
 * array — which cost ten times as much to make here and twice as much to stringify.
 */
export type Built = unknown[];
export const P = POST_NUMBER as Readonly<Record<(typeof POST_FIELDS)[number], number>>;
export const D = DELIVER_NUMBER as Readonly<Record<(typeof DELIVER_FIELDS)[number], number>>;
/** Where a built delivery keeps its handler time, and a window delivery its originRead. */
export const HANDLER_SLOT = 3;
export const ORIGIN_READ_SLOT = 5;
/** The field number of a pair not used yet; compactEvents cuts the unused pairs off. */
const SPARE = -1;

/** A built post of message `msg` at `at` (ms), with room for the fields a post adds. */
export function builtPost(at: number, msg: number): Built {
  return [POST, at, POST_NUMBER.msg, msg, SPARE, 0, SPARE, 0, SPARE, 0, SPARE, 0, SPARE, 0, SPARE, 0];
}

/** A built delivery at `at` (ms), handler time 0; `window`: with originRead false. */
export function builtDeliver(at: number, window: boolean): Built {
  // prettier-ignore
  return [DELIVER, at, DELIVER_NUMBER.handlerMs, 0, window ? DELIVER_NUMBER.originRead : SPARE, window ? false : 0,
    SPARE, 0, SPARE, 0, SPARE, 0, SPARE, 0, SPARE, 0, SPARE, 0, SPARE, 0, SPARE, 0, SPARE, 0];
}

/**
 * Adds a field to a built event in its first spare pair; an undefined value is left out, as
 * JSON would leave it. False when there is no room (a caller's bug, which tests catch).
 */
export function put(a: Built, field: number, value: unknown): boolean {
  if (value === undefined) return true;
  for (let i = 4; i < a.length; i += 2) {
    if (a[i] !== SPARE) continue;
    a[i] = field;
    a[i + 1] = value;
    return true;
  }
  return false;
}

/**
 * The fields every built delivery ends with: the ports that came with it, the listeners it
 * reached, and its data's sample (the background derives the preview from it; a messageerror
 * has neither, so an empty preview) with the bytes of the buffers in it.
 */
export function putReceived(a: Built, ports: readonly number[], listeners: number, sample: { text: string | null; bufferBytes: number } | null): void {
  if (ports.length > 0) put(a, DELIVER_NUMBER.ports, ports);
  put(a, DELIVER_NUMBER.listeners, listeners);
  if (sample) put(a, DELIVER_NUMBER.sample, sample.text ?? undefined);
  else put(a, DELIVER_NUMBER.preview, '');
  put(a, DELIVER_NUMBER.bufferBytes, sample ? sample.bufferBytes : 0);
}

/** Cuts a built event's unused pairs off (shrinking an array never reaches a setter either). */
function trim(a: Built): void {
  for (let i = 4; i < a.length; i += 2) {
    if (a[i] !== SPARE) continue;
    a.length = i;
    return;
  }
}

/**
 * Whole microseconds of a non-negative time, rounded. Plain arithmetic: this runs in the page,
 * which may have replaced Math.round or Number.isFinite since.
 */
const us = (ms: number) => {
  const x = ms * 1000 + 0.5;
  return x - (x % 1);
};

/**
 * A time (ms) on the whole-microsecond grid compact events travel on, rounded as they are:
 * the background puts every other time there too, so that one clock tick gives one time.
 */
export const onMicroGrid = (ms: number): number => us(ms) / 1000;

/**
 * Makes every post and deliver event of `events` compact, in place: finishes the ones the page
 * built (`isArray` tells them apart) and replaces the object ones by their compact form.
 * `list` makes the arrays (the page's own prototype-free arrays, so no setter the page defines
 * runs) and `keys` is Object.keys as the page found it.
 */
export function compactEvents(events: unknown[], list: () => unknown[], keys: (o: object) => string[], isArray: (v: unknown) => boolean): void {
  let prevUs = 0;
  for (let i = 0; i < events.length; i++) {
    const ev = events[i];
    if (isArray(ev)) {
      const a = ev as Built;
      const t = us(a[1] as number);
      if (t - t !== 0) continue; // not a time: the background rejects it and counts it
      a[1] = t - prevUs;
      if (a[0] === DELIVER) a[HANDLER_SLOT] = us(a[HANDLER_SLOT] as number);
      trim(a);
      prevUs = t;
      continue;
    }
    const e = ev as PageEvent & Record<string, unknown>;
    const post = e.k === 'post';
    if (!post && e.k !== 'deliver') continue;
    const t = us(e.at);
    if (t - t !== 0) continue; // NaN or infinite: left to the session to count
    const numbers = post ? POST_NUMBER : DELIVER_NUMBER;
    const a = list();
    a[0] = post ? POST : DELIVER;
    a[1] = t - prevUs;
    const own = keys(e);
    let whole = true;
    for (let j = 0; j < own.length; j++) {
      const key = own[j];
      if (key === 'k' || key === 'at') continue;
      let v = e[key];
      if (v === undefined || isUsual(key, v)) continue;
      const f = numbers[key];
      if (f === undefined) {
        whole = false; // a field this form has no number for: the event stays an object
        break;
      }
      if (key === 'handlerMs') v = us(v as number);
      a[a.length] = f;
      a[a.length] = v;
    }
    if (!whole) continue;
    prevUs = t;
    events[i] = a;
  }
}

/** The values a compact event leaves out (expandEvents puts them back). */
function isUsual(key: string, v: unknown): boolean {
  switch (key) {
    case 'via':
      return v === 'port';
    case 'type':
      return v === 'message';
    case 'transfer':
    case 'ports':
      return (v as unknown[]).length === 0;
    case 'predicted':
      return (v as { o: string }).o === 'sent';
    default:
      return false;
  }
}

/** The events of a parsed batch with every compact form turned back into its object. */
export function expandEvents(events: unknown[]): unknown[] {
  let prevUs = 0;
  const out = new Array<unknown>(events.length);
  for (let i = 0; i < events.length; i++) {
    const a = events[i];
    if (!Array.isArray(a)) {
      out[i] = a;
      continue;
    }
    const e = expand(a as unknown[], prevUs);
    // Not ours: an object without a kind, which the session rejects and counts.
    out[i] = e ?? { compact: a };
    if (e) prevUs += a[1] as number;
  }
  return out;
}

function expand(a: unknown[], prevUs: number): Record<string, unknown> | null {
  const fields = a[0] === POST ? POST_FIELDS : a[0] === DELIVER ? DELIVER_FIELDS : null;
  const dt = a[1];
  if (!fields || typeof dt !== 'number' || !Number.isSafeInteger(prevUs + dt) || a.length % 2 !== 0) return null;
  const at = (prevUs + dt) / 1000;
  const e: Record<string, unknown> =
    a[0] === POST ? { k: 'post', at, via: 'port', transfer: [], predicted: { o: 'sent' } } : { k: 'deliver', at, type: 'message', via: 'port', ports: [] };
  for (let j = 2; j < a.length; j += 2) {
    const f = a[j];
    if (typeof f !== 'number' || !Number.isInteger(f) || f < 0 || f >= fields.length) return null;
    e[fields[f]] = a[j + 1];
  }
  if (typeof e.handlerMs === 'number') e.handlerMs /= 1000;
  return e;
}
