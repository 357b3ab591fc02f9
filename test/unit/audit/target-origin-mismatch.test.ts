import { describe, expect, it } from 'vitest';
import { Snap, TOP } from './build';
import { findings } from './helpers';

const SAME = 'http://127.0.0.1:8080/same.html';

describe('target-origin-mismatch', () => {
  it('reports window messages dropped for a targetOrigin that is not the target document origin', () => {
    const s = new Snap();
    const top = s.ctx(TOP);
    const child = s.ctx(SAME, { parent: top });
    const lost = { targetOrigin: 'http://localhost:8080', deliveredAt: null, listeners: null, origin: null, outcome: { status: 'dropped' as const, reason: 'target-origin-mismatch' } };
    const m1 = s.window(top, child, { ...lost, stack: 'at hello (app.js:1:1)' });
    const m2 = s.window(top, child, { ...lost, stack: 'at hello (app.js:1:1)' });
    const m3 = s.window(top, child, { ...lost, stack: 'at other (app.js:9:1)' });
    const fs = findings(s, 'target-origin-mismatch');
    expect(fs.map((f) => f.messageIds)).toEqual([[m1.id, m2.id], [m3.id]]);
    expect(fs[0]).toMatchObject({ severity: 'error', count: 2, contextIds: [top, child], stacks: ['at hello (app.js:1:1)'] });
    expect(fs[0].message).toBe(
      '2 messages posted from page 127.0.0.1:8080/index.html to frame 127.0.0.1:8080/same.html with targetOrigin "http://localhost:8080" were dropped because that window\'s origin is http://127.0.0.1:8080.',
    );
    expect(fs[0].spec).toMatch(/#window-post-message-steps$/);
  });

  it('is silent for delivered window messages and other drops', () => {
    const s = new Snap();
    const top = s.ctx(TOP);
    const child = s.ctx(SAME, { parent: top });
    s.window(top, child);
    s.window(top, child, { targetOrigin: '*' });
    s.window(top, child, { deliveredAt: null, outcome: { status: 'dropped', reason: 'no-listener' } });
    expect(findings(s, 'target-origin-mismatch')).toEqual([]);
  });
});
