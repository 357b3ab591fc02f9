// The port table (src/instrument/port-table.ts): ports by local id, held weakly. Collection is
// played by a WeakRef stand-in whose targets the test lets go of.
import { describe, expect, it } from 'vitest';
import { captureNatives } from '../../../src/instrument/natives';
import { createPortTable } from '../../../src/instrument/port-table';

const n = captureNatives(globalThis);
const gone = new Set<object>();
class FakeWeakRef<T extends object> {
  constructor(private readonly target: T) {}
  deref(): T | undefined {
    return gone.has(this.target) ? undefined : this.target;
  }
}
const g = { WeakRef: FakeWeakRef } as unknown as typeof globalThis;
const port = () => ({}) as MessagePort;
const live = (t: ReturnType<typeof createPortTable>) => {
  const ids: number[] = [];
  t.eachLive((id) => ids.push(id));
  return ids;
};

describe('port table', () => {
  it('gives a port back by its id while it is held, and lists the held ones in numbering order', () => {
    const t = createPortTable({ g, n });
    const [a, b, c] = [port(), port(), port()];
    t.remember(a, 3);
    t.remember(b, 1);
    t.remember(c, 2);
    expect(t.get(1)).toBe(b);
    expect(live(t)).toEqual([3, 1, 2]);
    gone.add(b);
    expect(t.get(1)).toBeUndefined();
    expect(live(t)).toEqual([3, 2]);
    expect(t.get(99)).toBeUndefined();
  });

  it('forgets collected ports when it has doubled, and keeps every live one', () => {
    const t = createPortTable({ g, n });
    const kept = port();
    t.remember(kept, 1);
    for (let id = 2; id <= 5000; id++) {
      const p = port();
      t.remember(p, id);
      gone.add(p);
    }
    expect(t.get(1)).toBe(kept);
    expect(live(t)).toEqual([1]);
  });

  it('holds nothing where there is no WeakRef', () => {
    const t = createPortTable({ g: {} as typeof globalThis, n });
    t.remember(port(), 1);
    expect(t.get(1)).toBeUndefined();
    expect(live(t)).toEqual([]);
  });
});
