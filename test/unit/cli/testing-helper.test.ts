// The test helper's pure parts (src/testing): filters, the handle over a fake tab, the matcher.
import { describe, expect, it } from 'vitest';
import { ChannelsHandle, type TabSource } from '../../../src/testing/handle';
import { describeFilter, filterMessages } from '../../../src/testing/filter';
import { matchers, toHaveNoFindings } from '../../../src/testing/matchers';
import { exportTrace } from '../../../src/trace';
import type { AggregateSnapshot } from '../../../src/protocol/session';
import { clean, neverStarted, wildcard } from './fixtures';

/** A tab whose recording is `steps[i]` on the i-th read (the last one from then on), with a fake clock. */
function fakeTab(steps: AggregateSnapshot[]) {
  let reads = 0;
  let now = 0;
  const next = () => steps[Math.min(reads++, steps.length - 1)];
  const source: TabSource = {
    snapshot: async () => next(),
    activity: async () => {
      const s = steps[Math.min(reads, steps.length - 1)];
      return { contexts: s.contexts.length, ports: s.ports.length, messages: s.messages.length, settled: 0 };
    },
    finish: async () => steps[steps.length - 1],
    title: async () => 'fake',
  };
  const handle = new ChannelsHandle(source, 'test', { now: () => now, sleep: async (ms) => void (now += ms) });
  return { handle, reads: () => reads };
}

describe('filterMessages', () => {
  const s = clean().build();
  it('matches via, route by URL or origin, status and preview; every field given must match', () => {
    expect(filterMessages(s, { via: 'port' }).length).toBe(2);
    expect(filterMessages(s, { via: 'port', from: 'localhost' }).map((m) => m.preview)).toEqual(['{type: "pong"}']);
    expect(filterMessages(s, { to: /child\.html$/, data: 'ping' }).length).toBe(1);
    expect(filterMessages(s, { to: /child\.html$/, data: 'pong' })).toEqual([]);
    expect(filterMessages(s, { status: ['dropped', 'queued'] })).toEqual([]);
    expect(filterMessages(s, { via: ['window'], from: 'http://127.0.0.1:8080' }).length).toBe(1);
  });
  it('a data function gets the received value; a throwing one does not match', () => {
    const t = clean();
    t.messages[1].sample = JSON.stringify({ $: 'object', entries: [['type', 'ping']], count: 1 });
    expect(filterMessages(t.build(), { data: (d) => (d as { type: string }).type === 'ping' }).map((m) => m.id)).toEqual([2]);
    expect(filterMessages(t.build(), { data: () => { throw new Error('x'); } })).toEqual([]);
  });
  it('describes itself for error messages', () => {
    expect(describeFilter({ via: 'port', data: /pong/g, to: 'child' })).toBe('via "port", data /pong/g, to "child"');
    expect(describeFilter({})).toBe('any message');
  });
});

describe('ChannelsHandle', () => {
  it('waitForMessage resolves once the message is recorded, polling the tab', async () => {
    const { handle, reads } = fakeTab([{ ...clean().build(), messages: [] }, { ...clean().build(), messages: [] }, clean().build()]);
    const m = await handle.waitForMessage({ via: 'port', from: 'localhost' });
    expect(m.preview).toBe('{type: "pong"}');
    expect(reads()).toBe(3);
  });

  it('waitForMessage rejects after the timeout naming the filter, the counts and the findings so far', async () => {
    const { handle } = fakeTab([neverStarted().build()]);
    await expect(handle.waitForMessage({ data: /pong/ }, { timeoutMs: 300 })).rejects.toThrow(
      /^No message matching data \/pong\/ within 300 ms \(0 matched, \d+ recorded\)\.\nFindings so far:\n {2}ERROR port-never-started: 3 messages were never delivered/,
    );
  });

  it('findings settle, then filter by severity and ignored rules; trace carries them', async () => {
    const { handle } = fakeTab([wildcard().build()]);
    expect((await handle.findings()).map((f) => f.rule)).toContain('wildcard-target-origin');
    expect(await handle.findings({ atLeast: 'error' })).toEqual([]);
    expect(await handle.findings({ ignore: ['wildcard-target-origin', 'origin-not-checked'] })).toEqual([]);
    const doc = await handle.trace();
    expect(doc.meta).toMatchObject({ tool: 'test', title: 'fake' });
    expect(doc.findings.map((f) => f.rule)).toContain('wildcard-target-origin');
  });
});

describe('toHaveNoFindings', () => {
  it('passes on a clean flow and fails on a broken one with every finding named', async () => {
    expect((await toHaveNoFindings(fakeTab([clean().build()]).handle, { atLeast: 'warning' })).pass).toBe(true);
    const r = await toHaveNoFindings(fakeTab([neverStarted().build()]).handle, { atLeast: 'warning' });
    expect(r.pass).toBe(false);
    expect(r.message()).toMatch(/^Expected no channel-inspector findings at or above warning, found 1:\n {2}ERROR port-never-started: 3 messages .*\n {6}sent from: sendTicks \(http:\/\/127\.0\.0\.1:8080\/app\.js:10:5\)$/);
  });

  it('reads trace documents, snapshots and finding lists too; says what it wants otherwise', async () => {
    const doc = exportTrace(neverStarted().build());
    expect((await toHaveNoFindings(doc)).pass).toBe(false);
    expect((await toHaveNoFindings(neverStarted().build(), { ignore: ['port-never-started'] })).pass).toBe(true);
    expect((await toHaveNoFindings([])).pass).toBe(true);
    await expect(toHaveNoFindings('trace.json')).rejects.toThrow(/expects the channels handle/);
  });

  it('works through vitest expect.extend, .not included', async () => {
    expect.extend(matchers);
    const e = expect as unknown as (v: unknown) => { toHaveNoFindings(o?: object): Promise<void>; not: { toHaveNoFindings(o?: object): Promise<void> } };
    await e(fakeTab([clean().build()]).handle).toHaveNoFindings({ atLeast: 'error' });
    await e(fakeTab([neverStarted().build()]).handle).not.toHaveNoFindings({ atLeast: 'error' });
    await expect(e(fakeTab([neverStarted().build()]).handle).toHaveNoFindings({ atLeast: 'error' })).rejects.toThrow(/ERROR port-never-started/);
  });
});
