// Every worker's context says whether it is recorded from inside, or why not (issue 21): never
// silently missing. Reasons are facts only when certain; otherwise candidates.
import { describe, expect, it } from 'vitest';
import { Session } from '../../../src/aggregate';
import type { PageEvent } from '../../../src/protocol/messages';
import { schemeOf } from '../../../src/instrument/worker-link';
import { A_URL, feedAll } from './scenarios';
import { Doc, ctx } from './streams';

const top = () => new Doc('top', { frameId: 0, parentFrameId: -1, url: A_URL, origin: 'https://a.test' });
const workerCtx = (at: number, n: number, extra: Partial<PageEvent> = {}): PageEvent => ({ k: 'context', at, kind: 'worker', url: '', origin: 'https://a.test', top: false, ctx: n, object: n, parent: 0, ...extra }) as PageEvent;
const on = (since: number, engine: 'chromium' | 'firefox' = 'chromium', problem: string | null = null) => ({ on: true, since, engine, problem });

function sessionWith(events: PageEvent[]) {
  const page = top();
  page.batch([ctx(1, A_URL, true), ...events]);
  const s = new Session();
  feedAll(s, page.out);
  return s;
}
const insideOfWorkers = (s: Session) => s.data().contexts.filter((c) => c.kind !== 'window').map((c) => (c.inside?.recorded ? 'recorded' : c.inside?.why));

describe('a worker says whether it is recorded inside', () => {
  it('switch off: every worker says so, windows say nothing', () => {
    const s = sessionWith([workerCtx(2, 1)]);
    expect(insideOfWorkers(s)).toEqual(['switch-off']);
    expect(s.data().contexts[0].inside).toBeUndefined();
    expect(s.data().contexts[1].inside).toMatchObject({ recorded: false, note: expect.stringContaining('"Record inside workers" is off') });
  });

  it('switched on after the worker was first seen: made before the switch', () => {
    const s = sessionWith([workerCtx(2, 1)]);
    s.setWorkerSwitch(on(10));
    expect(insideOfWorkers(s)).toEqual(['created-before-switch']);
  });

  it('seen after the switch, no hello: unknown, with its candidates', () => {
    const s = new Session();
    s.setWorkerSwitch(on(1));
    const page = top();
    page.batch([ctx(1, A_URL, true), workerCtx(2, 1)]);
    feedAll(s, page.out);
    expect(s.data().contexts[1].inside).toMatchObject({ recorded: false, why: 'unknown', note: expect.stringContaining('hello has not come yet') });
  });

  it("a blob: worker in Firefox cannot be filtered; in Chromium it is not a reason", () => {
    const ff = new Session();
    ff.setWorkerSwitch(on(0, 'firefox'));
    const cr = new Session();
    cr.setWorkerSwitch(on(0, 'chromium'));
    for (const s of [ff, cr]) {
      const page = top();
      page.batch([ctx(1, A_URL, true), workerCtx(2, 1, { script: 'blob' } as Partial<PageEvent>)]);
      feedAll(s, page.out);
    }
    expect(insideOfWorkers(ff)).toEqual(['no-response-to-filter']);
    expect(insideOfWorkers(cr)).toEqual(['unknown']);
  });

  it('a blob: worker keeps its reason after a checkpoint, when the switch is told again', () => {
    const s = new Session();
    s.setWorkerSwitch(on(0, 'firefox'));
    const page = top();
    page.batch([ctx(1, A_URL, true), workerCtx(2, 1, { script: 'blob' } as Partial<PageEvent>)]);
    feedAll(s, page.out);
    const restored = Session.restore(structuredClone(s.toState()));
    // A restarted background tells every session the tab's switch again.
    restored.setWorkerSwitch(on(0, 'firefox'));
    expect(insideOfWorkers(restored)).toEqual(['no-response-to-filter']);
  });

  it('the engine could not start: its problem is the reason', () => {
    const s = sessionWith([workerCtx(2, 1)]);
    s.setWorkerSwitch(on(0, 'chromium', 'the debugger could not attach: x'));
    expect(s.data().contexts[1].inside).toMatchObject({ why: 'switch-failed', note: 'not recorded inside: the debugger could not attach: x' });
  });

  it("the worker's hello: recorded, and it stays so when the switch goes off", () => {
    const s = new Session();
    s.setWorkerSwitch(on(0));
    const page = top();
    page.batch([ctx(1, A_URL, true), workerCtx(2, 1), workerCtx(3, 1, { inside: true } as Partial<PageEvent>)]);
    feedAll(s, page.out);
    expect(insideOfWorkers(s)).toEqual(['recorded']);
    s.setWorkerSwitch({ on: false, since: null, engine: null, problem: null });
    expect(insideOfWorkers(s)).toEqual(['recorded']);
  });

  it('shared and service workers are not instrumented inside: said so', () => {
    const s = sessionWith([workerCtx(2, 1, { kind: 'sharedworker' } as Partial<PageEvent>), workerCtx(3, 2, { kind: 'serviceworker' } as Partial<PageEvent>)]);
    s.setWorkerSwitch(on(0));
    expect(insideOfWorkers(s)).toEqual(['not-dedicated', 'not-dedicated']);
  });
});

describe("the Worker constructor's script scheme", () => {
  it('is read from a string only, case and leading blanks as the URL parser takes them', () => {
    expect(schemeOf('blob:https://a.test/1')).toBe('blob');
    expect(schemeOf(' \u0001DATA:text/javascript,1')).toBe('data');
    expect(schemeOf('worker.js')).toBeUndefined();
    expect(schemeOf('blobs:x')).toBeUndefined();
    expect(schemeOf('https://a.test/blob:x')).toBeUndefined();
    let read = 0;
    expect(schemeOf({ toString: () => (read++, 'blob:x') })).toBeUndefined();
    expect(read).toBe(0);
  });
});
