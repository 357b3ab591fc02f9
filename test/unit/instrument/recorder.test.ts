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

describe('how far the stream has come (upTo, sync)', () => {
  /** A recorder on a clock and timers the test moves by hand. */
  function clocked(flushDelay = 0) {
    let clock = 1000;
    const timers: { due: number; fn: () => void }[] = [];
    const natives = { ...n, now: () => clock, setTimeout: (fn: () => void, ms: number) => timers.push({ due: clock + ms, fn }) } as typeof n;
    const batches: PageBatch[] = [];
    const rec = new Recorder(natives, { send: (b) => void batches.push(b) }, { flushDelay, maxBatch: 2 });
    const advance = (to: number) => {
      clock = to;
      for (let t = timers.findIndex((x) => x.due <= clock); t >= 0; t = timers.findIndex((x) => x.due <= clock)) timers.splice(t, 1)[0].fn();
    };
    return { rec, batches, timers, advance, at: (ms: number) => (clock = ms) };
  }

  it("a flush's last batch says the page's clock at the flush; the ones before it do not", () => {
    const { rec, batches, at } = clocked();
    rec.setRecording(true);
    for (let i = 0; i < 3; i++) rec.emit(ev(i));
    at(1015);
    rec.flush();
    expect(batches.map((b) => b.upTo)).toEqual([undefined, 1015]);
  });

  it('a sync is answered once the clock has passed its time, by an empty batch if nothing happened', () => {
    const { rec, batches, advance } = clocked();
    rec.setRecording(true);
    rec.sync(1100);
    advance(1050);
    expect(batches).toHaveLength(0);
    // A timer that fires early by this clock waits again.
    advance(1100);
    expect(batches).toHaveLength(0);
    advance(1102);
    expect(batches).toEqual([expect.objectContaining({ seq: 1, events: [], upTo: 1102 })]);
  });

  it('syncs asked while one waits are answered together, at the latest time; none while not recording', () => {
    const { rec, batches, timers, advance } = clocked();
    rec.setRecording(true);
    rec.sync(1100);
    rec.sync(1200);
    rec.sync(1150);
    expect(timers).toHaveLength(1);
    advance(1150);
    advance(1300);
    expect(batches.map((b) => b.upTo)).toEqual([1300]);
    rec.setRecording(false);
    rec.sync(2000);
    advance(3000);
    expect(batches).toHaveLength(1);
  });

  it('the first event after a quiet spell goes out right after its task; a busy stream waits for the next flush, one per flushDelay', () => {
    // A frame removed just after it handled a message must have reported it: its buffer dies with it.
    const { rec, batches, timers, advance } = clocked(15);
    rec.setRecording(true);
    rec.emit(ev(1));
    expect(timers.map((t) => t.due)).toEqual([1000]);
    advance(1000);
    expect(batches.map((b) => b.events.length)).toEqual([1]);
    // Busy: these wait until 15 ms after that flush, together.
    advance(1004);
    rec.emit(ev(2));
    rec.emit(ev(3));
    expect(timers.map((t) => t.due)).toEqual([1015]);
    advance(1014);
    expect(batches).toHaveLength(1);
    advance(1015);
    expect(batches.map((b) => b.events.length)).toEqual([1, 2]);
    // Quiet again for longer than flushDelay: prompt once more.
    advance(1100);
    rec.emit(ev(4));
    expect(timers.map((t) => t.due)).toEqual([1100]);
  });
});
