// A delivery's sample on its way through the background: checked, kept on the record with
// the preview derived from it, and carried by deltas, packed columns, saved state and traces.
import { describe, expect, it } from 'vitest';
import { Session } from '../../../src/aggregate';
import { packMessages, unpackMessages } from '../../../src/aggregate/columns';
import { buildSample } from '../../../src/instrument/sample';
import type { PageEvent } from '../../../src/protocol/messages';
import { TraceImportError, exportTrace, importTrace, stringifyTrace } from '../../../src/trace';
import { plainAccess } from '../instrument/plain-access';
import { Doc, channel, ctx, postPort, start } from './streams';

const sampleText = (v: unknown) => buildSample(plainAccess, v).text!;
const deliver = (at: number, port: number, extra: Partial<Extract<PageEvent, { k: 'deliver' }>>): PageEvent => ({ k: 'deliver', at, type: 'message', via: 'port', port, ports: [], listeners: 1, ...extra });

/** One page posting three messages on a channel: a sampled one, one with a forged sample, one with only a preview. */
function session(): Session {
  const s = new Session();
  const A = new Doc('A', { frameId: 0, parentFrameId: -1, url: 'https://a.test/' });
  A.batch([
    ctx(1, 'https://a.test/', true),
    channel(2, 1, 2),
    start(3, 2),
    postPort(4, 1, 1),
    postPort(5, 2, 1),
    postPort(6, 3, 1),
    deliver(7, 2, { sample: sampleText({ ask: 1, when: new Date(5), tags: new Map([['a', new Uint8Array([1, 2])]]) }) }),
    deliver(8, 2, { sample: '{"$":"array","items":[1,2,3],"length":1}', preview: 'from the page' }),
    deliver(9, 2, { preview: 'older page' }),
  ]);
  for (const f of A.out) s.ingest(f.batch, f.source);
  return s;
}

describe('samples in the background', () => {
  it('keeps a checked sample on the record and derives the preview from it', () => {
    const [m1, m2, m3] = session().data().messages;
    expect(m1.sample).toBe(sampleText({ ask: 1, when: new Date(5), tags: new Map([['a', new Uint8Array([1, 2])]]) }));
    expect(m1.preview).toBe('{ask: 1, when: Date(5), tags: Map(1) {"a" => Uint8Array(2 bytes)}}');
    expect(m1.outcome.status).toBe('delivered');
    // A malformed sample is dropped whole, never trusted or cut.
    expect([m2.sample, m2.preview]).toEqual([null, 'from the page']);
    expect([m3.sample, m3.preview]).toEqual([null, 'older page']);
  });

  it('goes through deltas, packed columns and a restart unchanged', () => {
    const s = session();
    const delta = s.takeDelta()!;
    expect(delta.messages.map((m) => m.sample)).toEqual(s.data().messages.map((m) => m.sample));
    const records = s.data().messages;
    expect(unpackMessages(packMessages(records))).toEqual(JSON.parse(JSON.stringify(records)));
    for (const state of [structuredClone(s.toState()), JSON.parse(JSON.stringify(s.toJSON()))]) {
      expect(Session.restore(state).data().messages.map((m) => m.sample)).toEqual(records.map((m) => m.sample));
    }
    // Columns packed before samples existed decode with sample null.
    const old = packMessages(records) as Partial<ReturnType<typeof packMessages>>;
    delete old.sample;
    expect(unpackMessages(old as ReturnType<typeof packMessages>).map((m) => m.sample)).toEqual([null, null, null]);
  });
});

describe('samples in trace files', () => {
  const exported = () => JSON.parse(stringifyTrace(exportTrace(session().data())));

  it('round-trip, and an older trace without the field imports with null', () => {
    const doc = exported();
    expect(importTrace(JSON.stringify(doc)).messages.map((m) => m.sample)).toEqual(session().data().messages.map((m) => m.sample));
    for (const m of doc.messages) delete m.sample;
    expect(importTrace(JSON.stringify(doc)).messages.map((m) => m.sample)).toEqual([null, null, null]);
  });

  it('rejects a malformed sample and says which message and where', () => {
    const cases: [unknown, RegExp][] = [
      ['{"$":"map"', /^messages\[0\]\.sample: not a valid sample: not JSON/],
      [JSON.stringify({ $: 'object', entries: [['a', { $: 'date', v: 'x' }]], count: 1 }), /^messages\[0\]\.sample: not a valid sample: at \.entries\[0\]\[1\]\.v: expected epoch ms or null$/],
      [12, /^messages\[0\]\.sample: expected a string$/],
    ];
    for (const [bad, message] of cases) {
      const doc = exported();
      doc.messages[0].sample = bad;
      let error: unknown;
      try {
        importTrace(JSON.stringify(doc));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TraceImportError);
      expect((error as TraceImportError).code).toBe('invalid');
      expect((error as TraceImportError).message).toMatch(message);
    }
  });
});
