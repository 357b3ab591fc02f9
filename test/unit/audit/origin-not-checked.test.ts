import { describe, expect, it } from 'vitest';
import { CHILD, Snap, TOP } from './build';
import { findings } from './helpers';

describe('origin-not-checked', () => {
  it('reports cross-origin window messages whose listeners never read event.origin, per receiver and sender origin', () => {
    const s = new Snap();
    const top = s.ctx(TOP);
    const child = s.ctx(CHILD, { parent: top });
    // The cross-origin send is seen only at its delivery.
    const m = s.repeat(3, () => s.window(null, top, { origin: 'http://localhost:8080', sentAt: null, stack: null, originRead: false }));
    s.window(null, top, { origin: 'http://localhost:8080', sentAt: null, stack: null, originRead: true });
    const [f, ...rest] = findings(s, 'origin-not-checked');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'warning', messageIds: m.map((x) => x.id), count: 3, contextIds: [top], stacks: [] });
    expect(f.message).toBe("3 messages from http://localhost:8080 reached the 'message' listener of page 127.0.0.1:8080/index.html, which never read event.origin to check where they came from.");
    void child;
  });

  it('is silent for same-origin messages, messages nobody listened to, and unknown reads', () => {
    const s = new Snap();
    const top = s.ctx(TOP);
    const same = s.ctx('http://127.0.0.1:8080/same.html', { parent: top });
    s.window(same, top, { originRead: false });
    s.window(null, top, { origin: 'http://localhost:8080', originRead: false, listeners: 0, outcome: { status: 'dropped', reason: 'no-listener' } });
    s.window(null, top, { origin: 'http://localhost:8080', originRead: null });
    s.window(null, top, { origin: 'http://localhost:8080', originRead: undefined });
    expect(findings(s, 'origin-not-checked')).toEqual([]);
  });
});
