// The relay's pacing with a fake clock: a lone batch leaves at once, a sustained stream is sent
// in fewer and fewer messages up to a few a second, what waits leaves when the page goes quiet
// or the document goes away, and nothing is reordered or lost on the way.
import { describe, expect, it } from 'vitest';
import { PACE_MAX_MS, PACE_MIN_MS, QUIET_MS, RelayPacer } from '../../../src/protocol/relay-pace';
import type { WireBatch } from '../../../src/protocol/messages';

function setup() {
  let now = 1000;
  const timers: { at: number; fn: () => void }[] = [];
  const sent: number[][] = [];
  const pacer = new RelayPacer({
    now: () => now,
    later: (fn, ms) => void timers.push({ at: now + ms, fn }),
    send: (wires) => sent.push(wires.map((w) => (w.t === 'text' ? w.seq : w.batch.seq))),
  });
  /** Moves the clock to `t`, running the timers due on the way, in order. */
  const advance = (t: number) => {
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      const next = timers[0];
      if (!next || next.at > t) break;
      timers.shift();
      now = Math.max(now, next.at);
      next.fn();
    }
    now = t;
  };
  let seq = 0;
  const push = () => pacer.push({ t: 'text', seq: ++seq, text: '{}' } satisfies WireBatch);
  return { pacer, sent, timers, advance, push, at: () => now };
}

describe('RelayPacer', () => {
  it('sends a lone batch at once (a frame removed right after it is reported)', () => {
    const { sent, push, timers } = setup();
    push();
    expect(sent).toEqual([[1]]);
    expect(timers).toHaveLength(0);
  });

  it('under a sustained stream, sends few messages, each within PACE_MAX_MS of the last, and every batch in order', () => {
    const { sent, push, advance, at } = setup();
    const start = at();
    // The page flushes every 15 ms for 3 s.
    for (let t = 0; t < 3000; t += 15) {
      advance(start + t);
      push();
    }
    advance(start + 3000 + QUIET_MS + 1);
    const all = sent.flat();
    expect(all).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
    expect(all).toHaveLength(200);
    // 200 page batches; the wait doubles from 15 ms to the maximum, so ~10 messages in all
    // (3 s / 400 ms plus the ramp), where one per batch would have been 200.
    expect(sent.length).toBeLessThanOrEqual(16);
    expect(sent.length).toBeGreaterThanOrEqual(8);
  });

  it('sends what waits once the page is quiet for QUIET_MS, and starts small again after', () => {
    const { pacer, sent, push, advance, at } = setup();
    const start = at();
    for (let t = 0; t <= 600; t += 15) {
      advance(start + t);
      push();
    }
    expect(pacer.currentWait).toBe(PACE_MAX_MS);
    const before = sent.length;
    expect(pacer.waitingCount).toBeGreaterThan(0);
    advance(start + 600 + QUIET_MS);
    expect(sent.length).toBe(before + 1);
    expect(pacer.waitingCount).toBe(0);
    expect(pacer.currentWait).toBe(PACE_MIN_MS);
    // The next lone batch leaves at once.
    advance(at() + 1000);
    push();
    expect(sent.at(-1)).toHaveLength(1);
    expect(pacer.waitingCount).toBe(0);
  });

  it('ship() sends what waits at once (pagehide), and clear() forgets it (recording stopped)', () => {
    const { pacer, sent, push, advance, at } = setup();
    push();
    advance(at() + 5);
    push();
    push();
    expect(pacer.waitingCount).toBe(2);
    pacer.ship();
    expect(sent).toEqual([[1], [2, 3]]);
    advance(at() + 5);
    push();
    pacer.clear();
    advance(at() + 1000);
    expect(sent).toEqual([[1], [2, 3]]);
  });
});
