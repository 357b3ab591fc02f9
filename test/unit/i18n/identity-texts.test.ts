// A port's identity reason (PortIdentity.text) rendered in English is exactly the `why` the
// background writes (src/aggregate/port-identity.ts, session.ts), which trace files keep.
import { describe, expect, it } from 'vitest';
import { english } from '../../../src/audit/text';

describe('port identity reasons', () => {
  it('render in English as the background words them', () => {
    expect(english({ key: 'idWhy_send_unseen', args: [] })).toBe('arrived in a message whose send is not seen, and nothing decided between the ports its sender held');
    expect(english({ key: 'idWhy_evicted_as', args: [{ port: 7 }] })).toBe('it is port #7, whose record was evicted by the port budget');
    expect(english({ key: 'idWhy_worker_inside', args: [] })).toBe('came from a worker whose inside is not seen: made there, or one of the ports it held');
    expect(english({ key: 'idWhy_evicted', args: [] })).toBe('its earlier record was evicted by the port budget');
  });
});

describe("a worker's outside-only note", () => {
  it('renders in English as the background words it, in every case', async () => {
    const { insideOf } = await import('../../../src/aggregate/worker-inside');
    const worker = (kind: string, createdAt: number | null = 10) => ({ kind, createdAt }) as never;
    const on = { on: true, since: 5, engine: 'firefox' as const, problem: null };
    const cases = [
      insideOf(worker('sharedworker'), false, on, undefined),
      insideOf(worker('serviceworker'), false, on, undefined),
      insideOf(worker('worker'), false, { on: false, since: null, engine: null, problem: null }, undefined),
      insideOf(worker('worker'), false, { ...on, problem: 'the debugger could not attach: x' }, undefined),
      insideOf(worker('worker'), false, on, 'blob'),
      insideOf(worker('worker', 1), false, { ...on, engine: 'chromium' }, undefined),
      insideOf(worker('worker'), false, { ...on, engine: 'chromium' }, undefined),
      insideOf(worker('worker'), false, { ...on, engine: 'chromium' }, 'data'),
    ];
    const seen = new Set<string>();
    for (const c of cases) {
      if (!c || c.recorded) throw new Error('expected a worker seen from outside');
      expect(c.text).toBeDefined();
      expect(english(c.text!)).toBe(c.note);
      seen.add(c.text!.key);
    }
    expect(seen.size).toBe(cases.length);
  });
});
