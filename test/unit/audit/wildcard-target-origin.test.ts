import { describe, expect, it } from 'vitest';
import { CHILD, Snap, TOP } from './build';
import { findings } from './helpers';

describe('wildcard-target-origin', () => {
  it('reports "*" sends to a cross-origin window, per call site and target', () => {
    const s = new Snap();
    const top = s.ctx(TOP);
    const child = s.ctx(CHILD, { parent: top });
    const m = s.repeat(2, () => s.window(top, child, { targetOrigin: '*', stack: 'at init (app.js:5:9)' }));
    const [f, ...rest] = findings(s, 'wildcard-target-origin');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'warning', messageIds: m.map((x) => x.id), count: 2, contextIds: [top, child] });
    expect(f.message).toBe('2 messages were posted from page 127.0.0.1:8080/index.html to the cross-origin frame localhost:8080/child.html with targetOrigin "*"; any page loaded in that window could read them — use "http://localhost:8080" instead.');
  });

  it('is silent for "*" to the same origin, explicit origins, unseen sends and sends that threw', () => {
    const s = new Snap();
    const top = s.ctx(TOP);
    const same = s.ctx('http://127.0.0.1:8080/same.html', { parent: top });
    const child = s.ctx(CHILD, { parent: top });
    s.window(top, same, { targetOrigin: '*' });
    s.window(top, top, { targetOrigin: '*' });
    s.window(top, child);
    s.window(top, child, { targetOrigin: null, sentAt: null });
    s.window(top, child, { targetOrigin: '*', deliveredAt: null, outcome: { status: 'error', reason: 'DataCloneError: x could not be cloned.' } });
    expect(findings(s, 'wildcard-target-origin')).toEqual([]);
  });
});
