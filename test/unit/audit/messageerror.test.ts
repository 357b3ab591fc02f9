import { describe, expect, it } from 'vitest';
import { Snap, TOP, pageAndWorker } from './build';
import { findings } from './helpers';

const failed = { type: 'messageerror' as const, preview: null, outcome: { status: 'error' as const, reason: 'messageerror' } };

describe('messageerror', () => {
  it('reports deserialization failures per receiving port', () => {
    const s = new Snap();
    const top = s.ctx(TOP);
    const [a, b] = s.channel(top);
    s.listen(b);
    s.post(a, failed);
    s.post(a, failed);
    s.post(a);
    const [f, ...rest] = findings(s, 'messageerror');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'error', messageIds: [1, 2], portIds: [b.id], count: 2 });
    expect(f.message).toBe("2 messages to port #2 in page 127.0.0.1:8080/index.html could not be deserialized and were replaced by a 'messageerror' event without data.");
  });

  it('reports window messages per receiver, and nothing for good messages', () => {
    const { s, top, worker: w } = pageAndWorker();
    s.msg({ via: 'worker', fromContext: w, toContext: top, ...failed });
    s.msg({ via: 'worker', fromContext: w, toContext: top });
    expect(findings(s, 'messageerror').map((f) => f.messageIds)).toEqual([[1]]);
  });
});
