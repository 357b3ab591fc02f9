// The compact form of the two events that scale with traffic, post and deliver, in a batch's
// JSON text (page → relay → background). An object event costs the page its keys and a
// 17-digit epoch time per event in JSON.stringify, and every hop carries those bytes; a
// compact one is a flat array: a kind code, a mask of the fields present, the time as whole
// microseconds after the previous compact event's, then the present fields in a fixed order.
// A field at its usual value (via 'port', type 'message', no transfer, predicted 'sent', no
// ports) is left out and comes back as that value. Everything else stays an object.
//
// compactEvents runs in the page on its own events (from the recorder's literals, read as
// data properties); expandEvents runs in the background on untrusted input: what it cannot
// read becomes an object that isPageEvent rejects, so it is counted, never trusted.
import type { DeliverEvent, PageEvent, PostEvent } from './messages';

export const POST = 1;
export const DELIVER = 2;

/** Mask bits of a compact post, in the order its fields follow the time. */
const POST_FIELDS = ['msg', 'via', 'port', 'target', 'targetOrigin', 'object', 'name', 'transfer', 'predicted', 'bytes', 'stack', 'replay', 'replayOf', 'ctx'] as const;
/** Mask bits of a compact deliver; handlerMs travels as whole microseconds like the time. */
const DELIVER_FIELDS = ['type', 'via', 'port', 'object', 'name', 'source', 'origin', 'ports', 'listeners', 'handlerMs', 'preview', 'sample', 'originRead', 'bufferBytes', 'ctx'] as const;

const us = (ms: number) => Math.round(ms * 1000);

/**
 * Replaces each post and deliver event of `events` in place by its compact form. `list` makes
 * the arrays (the page's own prototype-free arrays, so no setter the page defines runs).
 */
export function compactEvents(events: unknown[], list: () => unknown[]): void {
  let prevUs = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as PageEvent;
    if (e.k !== 'post' && e.k !== 'deliver') continue;
    const t = us(e.at);
    if (!Number.isFinite(t)) continue;
    const a = list();
    a[0] = e.k === 'post' ? POST : DELIVER;
    a[2] = t - prevUs;
    prevUs = t;
    a[1] = e.k === 'post' ? postFields(e, a) : deliverFields(e, a);
    events[i] = a;
  }
}

// One explicit read per field, no helper call: these run for every message.
function postFields(e: PostEvent, a: unknown[]): number {
  let m = 1;
  a[3] = e.msg;
  if (e.via !== 'port') (m |= 1 << 1), (a[a.length] = e.via);
  if (e.port !== undefined) (m |= 1 << 2), (a[a.length] = e.port);
  if (e.target !== undefined) (m |= 1 << 3), (a[a.length] = e.target);
  if (e.targetOrigin !== undefined) (m |= 1 << 4), (a[a.length] = e.targetOrigin);
  if (e.object !== undefined) (m |= 1 << 5), (a[a.length] = e.object);
  if (e.name !== undefined) (m |= 1 << 6), (a[a.length] = e.name);
  if (e.transfer.length > 0) (m |= 1 << 7), (a[a.length] = e.transfer);
  if (e.predicted.o !== 'sent') (m |= 1 << 8), (a[a.length] = e.predicted);
  if (e.bytes !== undefined) (m |= 1 << 9), (a[a.length] = e.bytes);
  if (e.stack !== undefined) (m |= 1 << 10), (a[a.length] = e.stack);
  if (e.replay !== undefined) (m |= 1 << 11), (a[a.length] = e.replay);
  if (e.replayOf !== undefined) (m |= 1 << 12), (a[a.length] = e.replayOf);
  if (e.ctx !== undefined) (m |= 1 << 13), (a[a.length] = e.ctx);
  return m;
}

function deliverFields(e: DeliverEvent, a: unknown[]): number {
  let m = 0;
  if (e.type !== 'message') (m |= 1 << 0), (a[a.length] = e.type);
  if (e.via !== 'port') (m |= 1 << 1), (a[a.length] = e.via);
  if (e.port !== undefined) (m |= 1 << 2), (a[a.length] = e.port);
  if (e.object !== undefined) (m |= 1 << 3), (a[a.length] = e.object);
  if (e.name !== undefined) (m |= 1 << 4), (a[a.length] = e.name);
  if (e.source !== undefined) (m |= 1 << 5), (a[a.length] = e.source);
  if (e.origin !== undefined) (m |= 1 << 6), (a[a.length] = e.origin);
  if (e.ports.length > 0) (m |= 1 << 7), (a[a.length] = e.ports);
  m |= 1 << 8;
  a[a.length] = e.listeners;
  if (e.handlerMs !== undefined) (m |= 1 << 9), (a[a.length] = us(e.handlerMs));
  if (e.preview !== undefined) (m |= 1 << 10), (a[a.length] = e.preview);
  if (e.sample !== undefined) (m |= 1 << 11), (a[a.length] = e.sample);
  if (e.originRead !== undefined) (m |= 1 << 12), (a[a.length] = e.originRead);
  if (e.bufferBytes !== undefined) (m |= 1 << 13), (a[a.length] = e.bufferBytes);
  if (e.ctx !== undefined) (m |= 1 << 14), (a[a.length] = e.ctx);
  return m;
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
    const [code, mask, dt] = a as unknown[];
    const fields = code === POST ? POST_FIELDS : code === DELIVER ? DELIVER_FIELDS : null;
    // Not ours: an object without a kind, which the session rejects and counts.
    if (!fields || typeof mask !== 'number' || typeof dt !== 'number' || !Number.isSafeInteger(prevUs + dt)) {
      out[i] = { compact: a };
      continue;
    }
    prevUs += dt;
    const e: Record<string, unknown> =
      code === POST ? { k: 'post', at: prevUs / 1000, via: 'port', transfer: [], predicted: { o: 'sent' } } : { k: 'deliver', at: prevUs / 1000, type: 'message', via: 'port', ports: [] };
    let j = 3;
    for (let bit = 0; bit < fields.length; bit++) if (mask & (1 << bit)) e[fields[bit]] = a[j++];
    if (code === DELIVER && typeof e.handlerMs === 'number') e.handlerMs /= 1000;
    out[i] = e;
  }
  return out;
}
