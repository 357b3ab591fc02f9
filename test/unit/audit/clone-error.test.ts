import { describe, expect, it } from 'vitest';
import { Snap, TOP } from './build';
import { findings } from './helpers';

const threw = (reason: string, stack = 'at save (app.js:2:3)') => ({ stack, deliveredAt: null, listeners: null, handlerMs: null, waitMs: null, outcome: { status: 'error' as const, reason } });
const FN = "DataCloneError: Failed to execute 'postMessage' on 'MessagePort': () => 1 could not be cloned.";

describe('clone-error', () => {
  it('reports DataCloneError per call site and error, with the engine message', () => {
    const s = new Snap();
    const top = s.ctx(TOP);
    const [a] = s.channel(top);
    s.post(a, threw(FN));
    s.post(a, threw(FN));
    s.post(a, threw('DataCloneError: MessagePort object could not be cloned.'));
    s.post(a, threw(FN, 'at other (app.js:7:1)'));
    const fs = findings(s, 'clone-error');
    expect(fs.map((f) => f.messageIds)).toEqual([[1, 2], [3], [4]]);
    expect(fs[0]).toMatchObject({ severity: 'error', portIds: [a.id], stacks: ['at save (app.js:2:3)'] });
    expect(fs[0].message).toBe(`2 postMessage calls in page 127.0.0.1:8080/index.html threw DataCloneError: Failed to execute 'postMessage' on 'MessagePort': () => 1 could not be cloned.`);
  });

  it('names the path of the offending value when the record carries it', () => {
    const s = new Snap();
    const top = s.ctx(TOP);
    s.msg({ via: 'window', fromContext: top, toContext: top, ...threw('DataCloneError: Function object could not be cloned.'), errorPath: 'message.user.onSave' } as never);
    expect(findings(s, 'clone-error')[0].message).toBe('1 postMessage call in page 127.0.0.1:8080/index.html threw DataCloneError at message.user.onSave: Function object could not be cloned.');
  });

  it('leaves non-clone exceptions and messageerror to others', () => {
    const s = new Snap();
    const top = s.ctx(TOP);
    s.msg({ via: 'window', fromContext: top, toContext: top, ...threw("SyntaxError: Invalid target origin 'x'.") });
    s.msg({ via: 'broadcast', fromContext: top, toContext: top, ...threw('InvalidStateError: Channel is closed') });
    s.msg({ via: 'window', fromContext: top, toContext: top, type: 'messageerror', outcome: { status: 'error', reason: 'messageerror' } });
    expect(findings(s, 'clone-error')).toEqual([]);
  });
});
