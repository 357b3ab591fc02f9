import { describe, expect, it } from 'vitest';
import { builtDeliver, builtPost, compactEvents, D, expandEvents, HANDLER_SLOT, ORIGIN_READ_SLOT, P, put } from '../../../src/protocol/compact';
import { batchOfWire, isPageEvent, type DeliverEvent, type PageEvent, type PostEvent } from '../../../src/protocol/messages';

const T0 = 1_764_654_321_234.5671;
const nullProto = () => Object.setPrototypeOf([], null) as unknown[];

/** What the page sends, through JSON, and what the background reads back. */
function roundTrip(events: PageEvent[]): unknown[] {
  const copy = events.map((e) => ({ ...e })) as unknown[];
  compactEvents(copy, nullProto, Object.keys, Array.isArray);
  return expandEvents(JSON.parse(JSON.stringify(copy)) as unknown[]);
}

/** The event as the background should see it: times to the microsecond, undefined fields gone. */
function expected(e: PageEvent): unknown {
  const out = JSON.parse(JSON.stringify(e)) as Record<string, unknown>;
  out.at = Math.round(e.at * 1000) / 1000;
  if (typeof out.handlerMs === 'number') out.handlerMs = Math.round(out.handlerMs * 1000) / 1000;
  return out;
}

const plainPost: PostEvent = { k: 'post', at: T0, msg: 7, via: 'port', port: 3, transfer: [], predicted: { o: 'sent' } };
const fullPost: PostEvent = {
  k: 'post',
  at: T0 + 0.25,
  msg: 8,
  via: 'window',
  port: 4,
  target: { up: 1, down: [0, 2], rel: 'opener' },
  targetOrigin: 'https://a.test',
  object: 5,
  name: 'bc',
  transfer: [{ kind: 'ArrayBuffer', id: 1, bytes: 64 }, { kind: 'MessagePort', id: 9 }],
  predicted: { o: 'error', name: 'DataCloneError', message: 'no', path: 'a.b' },
  bytes: 12,
  stack: 3,
  replay: true,
  replayOf: 44,
  ctx: 2,
};
const plainDeliver: DeliverEvent = { k: 'deliver', at: T0 + 0.1, type: 'message', via: 'port', port: 4, ports: [], listeners: 1, handlerMs: 0.0029999995, sample: '{"t":"n","v":1}', bufferBytes: 0 };
const fullDeliver: DeliverEvent = {
  k: 'deliver',
  at: T0 + 1.5,
  type: 'messageerror',
  via: 'window',
  port: 1,
  object: 2,
  name: 'chan',
  source: null,
  origin: 'https://b.test',
  ports: [5, 6],
  listeners: 0,
  handlerMs: 12.345678,
  preview: '',
  sample: '"x"',
  originRead: true,
  bufferBytes: 1024,
  ctx: 3,
};

describe('compact posts and deliveries', () => {
  it('come back as the events they were, every field present or absent', () => {
    const events: PageEvent[] = [plainPost, fullPost, plainDeliver, fullDeliver, { ...fullDeliver, source: { up: 0, down: [1] } }];
    expect(roundTrip(events)).toEqual(events.map(expected));
  });

  it('are flat arrays, a third of the object form in JSON', () => {
    const events: PageEvent[] = [];
    for (let i = 0; i < 100; i++) events.push({ ...plainPost, at: T0 + i, msg: i }, { ...plainDeliver, at: T0 + i + 0.05 });
    const objects = JSON.stringify(events).length;
    const copy = events.map((e) => ({ ...e })) as unknown[];
    compactEvents(copy, nullProto, Object.keys, Array.isArray);
    expect(copy.every(Array.isArray)).toBe(true);
    expect(JSON.stringify(copy).length).toBeLessThan(objects / 2.5);
  });

  it('keep times in order to the microsecond across a batch, other kinds untouched between them', () => {
    const start = { k: 'start', at: T0 + 0.5, port: 3 } as const;
    const events: PageEvent[] = [plainPost, start, { ...plainDeliver, at: T0 + 0.7 }, { ...plainPost, at: T0 + 1000.0004, msg: 8 }];
    const back = roundTrip(events) as PageEvent[];
    expect(back[1]).toEqual(start);
    expect(back.map((e) => e.at)).toEqual([T0, T0 + 0.5, T0 + 0.7, T0 + 1000.0004].map((t, i) => (i === 1 ? t : Math.round(t * 1000) / 1000)));
  });

  it('read only the fields an event has: a getter the page put on Object.prototype never runs', () => {
    const touched: string[] = [];
    const names = ['target', 'name', 'object', 'source', 'origin', 'ctx', 'stack', 'bytes', 'handlerMs', 'preview', 'sample'];
    const copy: unknown[] = [{ ...plainPost }, { k: 'deliver', at: T0, type: 'message', via: 'port', port: 1, ports: [], listeners: 1 }];
    try {
      for (const name of names) Object.defineProperty(Object.prototype, name, { configurable: true, get: () => (touched.push(name), 'page value') });
      compactEvents(copy, nullProto, Object.keys, Array.isArray);
    } finally {
      for (const name of names) delete (Object.prototype as Record<string, unknown>)[name];
    }
    expect(touched).toEqual([]);
    expect(copy.every(Array.isArray)).toBe(true);
  });

  it("need none of the page's globals: Math.round and Number.isFinite replaced after load", () => {
    const round = Math.round;
    const isFinite = Number.isFinite;
    const copy: unknown[] = [{ ...plainPost }, { ...plainDeliver }];
    try {
      Math.round = () => {
        throw new Error('page code ran');
      };
      Number.isFinite = Math.round as never;
      compactEvents(copy, nullProto, Object.keys, Array.isArray);
    } finally {
      Math.round = round;
      Number.isFinite = isFinite;
    }
    expect(expandEvents(JSON.parse(JSON.stringify(copy)) as unknown[])).toEqual([plainPost, plainDeliver].map(expected));
  });

  it('leave an event with a field they have no number for as it is', () => {
    const odd = { ...plainPost, extra: 1 } as unknown as PageEvent;
    const copy: unknown[] = [odd];
    compactEvents(copy, nullProto, Object.keys, Array.isArray);
    expect(copy[0]).toBe(odd);
  });

  it('leave an event whose time is not a number as it is', () => {
    const bad = { ...plainPost, at: Number.NaN };
    const copy: unknown[] = [bad];
    compactEvents(copy, nullProto, Object.keys, Array.isArray);
    expect(copy[0]).toBe(bad);
  });

  it('turn arrays that are not theirs into events the session rejects', () => {
    const hostile: unknown[] = [[], [9, 1], [1, 'x'], [2, Number.MAX_SAFE_INTEGER * 4], [1, 5, 0], [1, 5, 99, 1], [1, 5, -1, 1], [1, 5, 0.5, 1], 'text', null, [1, 5000]];
    const back = expandEvents(hostile);
    expect(back.slice(0, 8).map(isPageEvent)).toEqual(Array(8).fill(false));
    expect(back.slice(8, 10)).toEqual(['text', null]);
    // A well-formed post with nothing but its time (a rejected one moved no clock): the
    // session's own checks judge its fields.
    expect(back[10]).toMatchObject({ k: 'post', at: 5, via: 'port' });
  });

  it('are expanded by batchOfWire, from text and from a structured clone alike', () => {
    const events = [{ ...plainPost }, { ...plainDeliver }] as unknown[];
    compactEvents(events, nullProto, Object.keys, Array.isArray);
    const batch = { v: 1, doc: 'd', seq: 1, events };
    const fromText = batchOfWire({ t: 'text', seq: 1, text: JSON.stringify(batch) }) as { events: unknown[] };
    const fromClone = batchOfWire({ t: 'batch', batch: structuredClone(batch) as never }) as { events: unknown[] };
    expect(fromText.events).toEqual([plainPost, plainDeliver].map(expected));
    expect(fromClone.events).toEqual(fromText.events);
    expect(batchOfWire({ t: 'text', seq: 1, text: '{' })).toBeNull();
  });

  it('built where they happen (the page), come back as the object form would, times and handler time included', () => {
    const post = builtPost(T0 + 0.25, 8);
    put(post, P.port, 4);
    put(post, P.transfer, fullPost.transfer);
    put(post, P.predicted, fullPost.predicted);
    put(post, P.stack, undefined); // a stack that could not be taken is left out
    const deliver = builtDeliver(T0 + 1.5, true);
    put(deliver, D.via, 'window');
    put(deliver, D.origin, 'https://b.test');
    put(deliver, D.listeners, 2);
    put(deliver, D.sample, '"x"');
    put(deliver, D.bufferBytes, 0);
    // Two listeners ran; the second read the origin.
    deliver[HANDLER_SLOT] = (deliver[HANDLER_SLOT] as number) + 1.25;
    deliver[HANDLER_SLOT] = (deliver[HANDLER_SLOT] as number) + 0.5;
    deliver[ORIGIN_READ_SLOT] = true;
    // Between them, an object post that is compacted at the flush: one clock for the batch.
    const events: unknown[] = [post, { ...plainPost, at: T0 + 1 }, deliver];
    compactEvents(events, nullProto, Object.keys, Array.isArray);
    expect(expandEvents(JSON.parse(JSON.stringify(events)) as unknown[])).toEqual([
      { k: 'post', at: Math.round((T0 + 0.25) * 1000) / 1000, msg: 8, via: 'port', port: 4, transfer: fullPost.transfer, predicted: fullPost.predicted },
      expected({ ...plainPost, at: T0 + 1 }),
      { k: 'deliver', at: Math.round((T0 + 1.5) * 1000) / 1000, type: 'message', via: 'window', origin: 'https://b.test', ports: [], listeners: 2, handlerMs: 1.75, originRead: true, sample: '"x"', bufferBytes: 0 },
    ]);
  });

  it('built with a time that is not a number, are rejected by the background without moving its clock', () => {
    const bad = builtPost(Number.NaN, 1);
    const good = builtPost(T0, 2);
    const events: unknown[] = [bad, good];
    compactEvents(events, nullProto, Object.keys, Array.isArray);
    const back = expandEvents(JSON.parse(JSON.stringify(events)) as unknown[]);
    expect(isPageEvent(back[0])).toBe(false);
    expect(back[1]).toMatchObject({ k: 'post', msg: 2, at: Math.round(T0 * 1000) / 1000 });
  });

  it('built with every field a post or a window delivery can carry, have room for all, and leave no spare pair on the wire', () => {
    const post = builtPost(T0, 1);
    const postFields = [P.port, P.transfer, P.predicted, P.stack, P.bytes, P.ctx];
    for (const f of postFields) expect(put(post, f, 1)).toBe(true);
    const deliver = builtDeliver(T0 + 1, true);
    const deliverFields = [D.type, D.via, D.source, D.origin, D.ports, D.listeners, D.sample, D.bufferBytes, D.object];
    for (const f of deliverFields) expect(put(deliver, f, 1)).toBe(true);
    expect(put(deliver, D.ctx, 1)).toBe(false); // full: said, not written past the literal
    const small = builtDeliver(T0 + 2, false);
    put(small, D.port, 3);
    const events: unknown[] = [post, deliver, small];
    compactEvents(events, nullProto, Object.keys, Array.isArray);
    expect(small).toEqual([2, 1000, D.handlerMs, 0, D.port, 3]);
    expect(expandEvents(JSON.parse(JSON.stringify(events)) as unknown[]).every(isPageEvent)).toBe(true);
  });

  it('are built, filled and finished without running a setter the page put on Array.prototype', () => {
    const calls: string[] = [];
    const indices = Array.from({ length: 32 }, (_, i) => String(i));
    for (const i of indices) Object.defineProperty(Array.prototype, i, { configurable: true, set: () => calls.push(i), get: () => undefined });
    try {
      const post = builtPost(T0, 1);
      put(post, P.port, 2);
      put(post, P.stack, 3);
      const deliver = builtDeliver(T0 + 1, true);
      put(deliver, D.listeners, 1);
      deliver[HANDLER_SLOT] = (deliver[HANDLER_SLOT] as number) + 0.5;
      deliver[ORIGIN_READ_SLOT] = true;
      const events = nullProto();
      events[0] = post;
      events[1] = deliver;
      compactEvents(events, nullProto, Object.keys, Array.isArray);
    } finally {
      for (const i of indices) delete (Array.prototype as unknown as Record<string, unknown>)[i];
    }
    expect(calls).toEqual([]);
  });
});
