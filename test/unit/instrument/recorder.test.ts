// The page's recorder in Node (its natives captured from Node's own globals): one batch per
// flush, strings sent once, and every event a budget refuses counted in the next batch.
import { describe, expect, it } from 'vitest';
import { captureNatives } from '../../../src/instrument/natives';
import { Recorder } from '../../../src/instrument/recorder';
import type { PageBatch, PageEvent } from '../../../src/protocol/messages';

const n = captureNatives(globalThis);
const ev = (i: number): PageEvent => ({ k: 'start', at: i, port: i });

function recorder(opts: ConstructorParameters<typeof Recorder>[2] = {}) {
  const batches: PageBatch[] = [];
  const rec = new Recorder(n, { send: (b) => void batches.push(b) }, { flushDelay: 0, ...opts });
  return { rec, batches, events: () => batches.flatMap((b) => b.events) };
}

describe('page recorder', () => {
  it('while recording, a burst past its budget is cut and the cut is counted, not lost silently', () => {
    const { rec, events } = recorder({ burstBudget: 100, maxBatch: 30 });
    rec.setRecording(true);
    for (let i = 0; i < 130; i++) rec.emit(ev(i));
    rec.flush();
    const got = events();
    expect(got.filter((e) => e.k === 'start')).toHaveLength(100);
    expect(got.filter((e) => e.k === 'dropped')).toEqual([expect.objectContaining({ cause: 'burst-budget', count: 30 })]);
    // The next task starts with a fresh budget.
    for (let i = 0; i < 50; i++) rec.emit(ev(i));
    rec.flush();
    expect(events().filter((e) => e.k === 'start')).toHaveLength(150);
  });

  it('before the recording state is known, events wait up to the pending budget; the rest is counted', () => {
    const { rec, events, batches } = recorder({ pendingBudget: 10 });
    for (let i = 0; i < 25; i++) rec.emit(ev(i));
    expect(batches).toHaveLength(0);
    rec.setRecording(true);
    rec.flush();
    expect(events().filter((e) => e.k === 'start').map((e) => e.at)).toEqual([...Array(10).keys()]);
    expect(events().find((e) => e.k === 'dropped')).toMatchObject({ cause: 'pending-budget', count: 15 });
  });

  it('recording off keeps nothing and sends nothing; batches are numbered and split at maxBatch; strings go once', () => {
    const { rec, batches } = recorder({ maxBatch: 4 });
    rec.setRecording(false);
    rec.emit(ev(1));
    rec.flush();
    expect(batches).toHaveLength(0);
    rec.setRecording(true);
    const id = rec.intern('at f (a.js:1:1)');
    expect(rec.intern('at f (a.js:1:1)')).toBe(id);
    for (let i = 0; i < 9; i++) rec.emit(ev(i));
    rec.flush();
    expect(batches.map((b) => b.events.length)).toEqual([4, 4, 1]);
    expect(batches.map((b) => b.seq)).toEqual([1, 2, 3]);
    expect(batches[0].strings).toEqual([[id, 'at f (a.js:1:1)']]);
    expect(batches[1].strings).toBeUndefined();
  });
});
