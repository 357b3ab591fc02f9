import { describe, expect, it } from 'vitest';
import { exportTrace, toChromeTrace, type ChromeTraceEvent } from '../../../src/trace';
import { relayThroughMiddle, sessionOf } from '../aggregate/scenarios';
import { Doc, channel, ctx, postPort } from '../aggregate/streams';

describe('Chrome trace event export', () => {
  const doc = exportTrace(sessionOf(relayThroughMiddle().feeds).data(), { title: 'relay' });
  const trace = JSON.parse(JSON.stringify(toChromeTrace(doc)));
  const events: ChromeTraceEvent[] = trace.traceEvents;

  it('names one track per context', () => {
    const names = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.tid > 0);
    expect(names.map((e) => e.tid)).toEqual(doc.contexts.map((c) => c.id));
    expect(names.map((e) => e.args?.name)).toEqual(doc.contexts.map((c) => `${c.id} window ${c.url}`));
  });

  it('draws a flow arrow from each send slice to its delivery slice', () => {
    for (const m of doc.messages) {
      const start = events.find((e) => e.ph === 's' && e.id === m.id) as ChromeTraceEvent;
      const end = events.find((e) => e.ph === 'f' && e.id === m.id) as ChromeTraceEvent;
      expect(start.tid).toBe(m.fromContext);
      expect(end.tid).toBe(m.toContext);
      expect(end.bp).toBe('e');
      // Each end lies inside a complete slice on its own track (that is what the arrow binds to).
      const inside = (p: ChromeTraceEvent) =>
        events.some((e) => e.ph === 'X' && e.tid === p.tid && (e.ts as number) <= (p.ts as number) && (p.ts as number) <= (e.ts as number) + (e.dur as number));
      expect(inside(start) && inside(end)).toBe(true);
      expect(end.ts as number).toBeGreaterThanOrEqual(start.ts as number);
    }
    expect(events.every((e) => e.ph === 'M' || (Number.isInteger(e.ts) && (e.ts as number) >= 0))).toBe(true);
  });

  it('marks lost messages on the sender track', () => {
    const A = new Doc('A', { frameId: 0, parentFrameId: -1, url: 'https://a.test/' });
    A.batch([ctx(1, 'https://a.test/', true), channel(2, 1, 2), postPort(3, 1, 1, [], { o: 'dropped', reason: 'port-closed' })]);
    const t = toChromeTrace(exportTrace(sessionOf(A.out).data()));
    expect(t.traceEvents.filter((e) => e.ph === 'i' && e.cat === 'lost').map((e) => [e.name, e.tid])).toEqual([['dropped: port-closed', 1]]);
    expect(t.traceEvents.some((e) => e.ph === 's')).toBe(false);
  });
});
