// The pure view models behind the panel's views: filtering rows, the virtualized window,
// timeline math, the topology at an instant, details and findings.
import { describe, expect, it } from 'vitest';
import { datasetOf } from '../../../panels/model/dataset';
import { filterChoices, filterMessages, NO_FILTER } from '../../../panels/model/filter';
import { atEnd, revealRow, rowWindow, stepRow } from '../../../panels/model/virtual';
import { arrowOf, clampView, messageExtent, hitArrow, inView, LABEL_WIDTH, laneIndex, lanesOf, laneY, panBy, ticks, timeIndex, tOf, xOf, zoomAt, density } from '../../../panels/model/timeline';
import { flatten, partnerGoneWith, topologyModel } from '../../../panels/model/topology';
import { canOpen, delayParts, findingView, groupFindings, parseStack } from '../../../panels/model/details';
import { highlightOf, isMessageHighlighted, selectFinding, selectMessage, selectPort } from '../../../panels/model/selection';
import { contextLabel, ms, relTime, sizeOf, timeExtent } from '../../../panels/model/format';
import { describeImportError, readTraceFile } from '../../../panels/files';
import { exportTrace, stringifyTrace } from '../../../src/trace/format';
import { fixtureSnapshot, HOSTILE, T0 } from './fixture';

const data = () => datasetOf(fixtureSnapshot());
const ids = (d: ReturnType<typeof data>, rows: number[]) => rows.map((i) => d.messages[i].id);

describe('message filters', () => {
  it('shows every row without filters', () => {
    const d = data();
    expect(ids(d, filterMessages(d, NO_FILTER, null))).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('searches in payload previews, case-insensitively', () => {
    const d = data();
    expect(ids(d, filterMessages(d, { ...NO_FILTER, text: 'PONG' }, null))).toEqual([3]);
    expect(ids(d, filterMessages(d, { ...NO_FILTER, text: 'onerror' }, null))).toEqual([7]);
  });

  it('filters by outcome, context, origin, channel and finding rule', () => {
    const d = data();
    expect(ids(d, filterMessages(d, { ...NO_FILTER, outcome: 'dropped' }, null))).toEqual([6]);
    expect(ids(d, filterMessages(d, { ...NO_FILTER, context: 3 }, null))).toEqual([4, 5]);
    expect(ids(d, filterMessages(d, { ...NO_FILTER, origin: 'http://localhost:8000' }, null))).toEqual([1, 2, 3, 7]);
    expect(ids(d, filterMessages(d, { ...NO_FILTER, channel: 2 }, null))).toEqual([5]);
    expect(ids(d, filterMessages(d, { ...NO_FILTER, rule: 'post-on-shipped-port' }, null))).toEqual([6]);
  });

  it('combines filters and the timeline brush', () => {
    const d = data();
    // Messages are sent at T0 + id*10 and take 2 ms.
    expect(ids(d, filterMessages(d, NO_FILTER, { from: T0 + 19, to: T0 + 41 }))).toEqual([2, 3, 4]);
    expect(ids(d, filterMessages(d, { ...NO_FILTER, outcome: 'delivered' }, { from: T0 + 19, to: T0 + 51 }))).toEqual([2, 3, 4]);
  });

  it('offers the origins, channels and rules the recording holds', () => {
    expect(filterChoices(data())).toEqual({
      origins: ['http://127.0.0.1:8000', 'http://localhost:8000'],
      channels: [1, 2],
      rules: ['port-never-started', 'post-on-shipped-port'],
    });
  });
});

describe('the Size cell', () => {
  it('shows the payload size when the recording has one, else the buffers the receiver got, else nothing', () => {
    const m = data().messages[0];
    expect(sizeOf({ ...m, bytes: 2048, bufferBytes: 10 }).text).toBe('2.0 kB');
    expect(sizeOf({ ...m, bytes: null, bufferBytes: 1024 })).toMatchObject({ text: '1.0 kB', title: expect.stringContaining('ArrayBuffers') });
    expect(sizeOf({ ...m, bytes: null, bufferBytes: 0 }).text).toBe('');
    expect(sizeOf({ ...m, bytes: null, bufferBytes: null }).text).toBe('');
  });
});

describe('virtualized rows', () => {
  it('renders only the rows in view plus a little overscan', () => {
    const w = rowWindow(2000, 400, 20, 1_000_000, 5);
    expect(w).toEqual({ start: 95, end: 126, offset: 1900 });
    expect(w.end - w.start).toBeLessThan(40);
  });

  it('clamps at both ends and handles an empty list', () => {
    expect(rowWindow(0, 400, 20, 3)).toEqual({ start: 0, end: 3, offset: 0 });
    expect(rowWindow(-50, 400, 20, 100, 0).start).toBe(0);
    expect(rowWindow(0, 400, 20, 0)).toEqual({ start: 0, end: 0, offset: 0 });
  });

  it('scrolls just enough to reveal a row', () => {
    expect(revealRow(10, 0, 400, 20)).toBe(0);
    expect(revealRow(30, 0, 400, 20)).toBe(220);
    expect(revealRow(2, 200, 400, 20)).toBe(40);
  });

  it('knows when the list sits at its end (to follow live traffic)', () => {
    expect(atEnd(600, 400, 1000)).toBe(true);
    expect(atEnd(500, 400, 1000)).toBe(false);
  });

  it('moves the selection with the keyboard within bounds', () => {
    expect(stepRow('ArrowDown', -1, 5, 10)).toBe(0);
    expect(stepRow('ArrowDown', 4, 5, 10)).toBe(4);
    expect(stepRow('ArrowUp', 0, 5, 10)).toBe(0);
    expect(stepRow('End', 1, 5, 10)).toBe(4);
    expect(stepRow('PageDown', 0, 50, 10)).toBe(10);
    expect(stepRow('a', 1, 5, 10)).toBeNull();
    expect(stepRow('ArrowDown', 0, 0, 10)).toBeNull();
  });
});

describe('timeline layout', () => {
  it('has one lane per context in frame-tree order', () => {
    const lanes = lanesOf(data());
    // The worker belongs to the top frame and comes before its child frames.
    expect(lanes.map((l) => l.contextId)).toEqual([1, 3, 2]);
    expect(lanes.map((l) => l.depth)).toEqual([0, 1, 1]);
  });

  it('adds a lane for unseen senders and leaves out replaced documents that said nothing', () => {
    const snap = fixtureSnapshot();
    snap.contexts.push({ ...snap.contexts[0], id: 4, top: true, endedAt: T0 + 1 });
    snap.messages[2].fromContext = null;
    expect(lanesOf(datasetOf(snap)).map((l) => l.contextId)).toEqual([1, 3, 2, null]);
  });

  it('maps time to pixels and back', () => {
    const v = { from: 1000, to: 2000 };
    expect(xOf(v, LABEL_WIDTH + 500, 1500)).toBe(LABEL_WIDTH + 250);
    expect(tOf(v, LABEL_WIDTH + 500, LABEL_WIDTH + 250)).toBe(1500);
  });

  it('zooms around the pointer and stays inside the recording', () => {
    const extent = { from: 0, to: 1000 };
    const z = zoomAt({ from: 0, to: 1000 }, 250, 0.5, extent);
    expect(z).toEqual({ from: 125, to: 625 });
    expect(zoomAt(z, 250, 100, extent)).toEqual(extent);
    expect(panBy(z, 1000, extent)).toEqual({ from: 500, to: 1000 });
    expect(panBy(z, -1000, extent)).toEqual({ from: 0, to: 500 });
    expect(clampView({ from: -5, to: 5 }, extent)).toEqual({ from: 0, to: 10 });
  });

  it('picks 1-2-5 ruler steps', () => {
    expect(ticks({ from: 0, to: 1000 }, 10)).toEqual({ step: 100, at: [0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000] });
    expect(ticks({ from: 3, to: 17 }, 5).step).toBe(5);
    // Round relative to the start of the recording, not to the epoch.
    expect(ticks({ from: 1003, to: 1250 }, 3, 1003).at).toEqual([1003, 1103, 1203]);
  });

  it('finds the messages overlapping a view by binary search', () => {
    const d = data();
    const ix = timeIndex(d);
    const r = inView(ix, { from: T0 + 21, to: T0 + 45 });
    // Message 2 ends at T0+22, so it overlaps; 5 starts at T0+50.
    expect(ix.byStart.slice(r.start, r.end).filter((m) => (m.deliveredAt ?? m.sentAt!) >= T0 + 21).map((m) => m.id)).toEqual([2, 3, 4]);
  });

  it('first shows the span the messages cover', () => {
    expect(messageExtent(timeIndex(data()))).toEqual({ from: T0 + 10, to: T0 + 72 });
    expect(messageExtent(timeIndex(datasetOf({ ...fixtureSnapshot(), messages: [] })))).toBeNull();
  });

  it('sorts by start time when ids are not in time order', () => {
    const snap = fixtureSnapshot();
    snap.messages[0].sentAt = T0 + 100;
    snap.messages[0].deliveredAt = T0 + 101;
    const ix = timeIndex(datasetOf(snap));
    expect(ix.byStart.map((m) => m.id)).toEqual([2, 3, 4, 5, 6, 7, 1]);
  });

  it('draws a message from its send on the sender’s lane to its delivery on the receiver’s', () => {
    const d = data();
    const lanes = laneIndex(lanesOf(d));
    const v = { from: T0, to: T0 + 100 };
    const a = arrowOf(d.messages[2], lanes, v, LABEL_WIDTH + 1000)!;
    expect(a).toMatchObject({ id: 3, x1: LABEL_WIDTH + 300, x2: LABEL_WIDTH + 320, y1: laneY(2), y2: laneY(0), lost: false });
    const lost = arrowOf(d.messages[5], lanes, v, LABEL_WIDTH + 1000)!;
    expect(lost).toMatchObject({ lost: true, y1: laneY(0), y2: laneY(0), x1: lost.x2 });
    // Queued on the worker's unstarted port: it points at the worker's lane.
    expect(arrowOf(d.messages[4], lanes, v, LABEL_WIDTH + 1000)).toMatchObject({ pending: true, y1: laneY(0), y2: laneY(1) });
    expect(hitArrow([a, lost], LABEL_WIDTH + 310, (laneY(2) + laneY(0)) / 2)?.id).toBe(3);
    expect(hitArrow([a, lost], 5, 5)).toBeNull();
  });

  it('bins dense views per lane and pixel', () => {
    const d = data();
    const ix = timeIndex(d);
    const lanes = lanesOf(d);
    const v = { from: T0, to: T0 + 100 };
    const bins = density(ix, laneIndex(lanes), lanes.length, v, LABEL_WIDTH + 100);
    expect(bins.map((b) => b.reduce((a, x) => a + x, 0))).toEqual([6, 0, 1]);
  });
});

describe('topology', () => {
  it('nests frames and workers and puts each port where it is', () => {
    const t = topologyModel(data(), Infinity);
    expect(t.contextCount).toBe(3);
    expect(t.portCount).toBe(4);
    const [top] = t.roots;
    expect(top.context.id).toBe(1);
    expect(top.frames.map((n) => n.context.id)).toEqual([2]);
    expect(top.workers.map((n) => n.context.id)).toEqual([3]);
    expect(top.ports.map((p) => [p.id, p.state])).toEqual([
      [1, 'started'],
      [3, 'started'],
    ]);
    expect(top.frames[0].ports.map((p) => [p.id, p.state, p.moved])).toEqual([[2, 'started', true]]);
    expect(top.workers[0].ports.map((p) => [p.id, p.state])).toEqual([[4, 'not-started']]);
    // The top frame keeps neutered handles of the two ports it shipped.
    expect(top.ghosts).toEqual([
      { id: 2, leftIn: 1 },
      { id: 4, leftIn: 4 },
    ]);
    expect(t.links).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(flatten(t.roots).map((n) => n.context.id)).toEqual([1, 3, 2]);
  });

  it('shows the topology of an earlier instant', () => {
    // At T0+11 the handshake (sent at T0+10) carries port 2; the worker does not exist yet... it does (T0+6), the child too.
    const t = topologyModel(data(), T0 + 11);
    const top = t.roots[0];
    expect(t.inFlight.map((p) => [p.id, p.state, p.messageId])).toEqual([[2, 'in-flight', 1]]);
    expect(top.ports.map((p) => p.id)).toEqual([1, 3, 4]);
    const before = topologyModel(data(), T0 + 5.5);
    expect(before.contextCount).toBe(2);
  });
  it('draws no port of a document that is gone by then (it went with its document)', () => {
    const snap = fixtureSnapshot();
    const end = Math.max(...snap.messages.map((m) => m.deliveredAt ?? m.sentAt ?? 0)) + 1;
    snap.contexts = snap.contexts.map((c) => (c.id === 3 ? { ...c, endedAt: end } : c));
    const after = topologyModel(datasetOf(snap), Infinity);
    expect(after.contextCount).toBe(2);
    expect(after.portCount).toBe(3);
    expect([...after.inFlight, ...after.lost].map((p) => p.id)).toEqual([]);
    const before = topologyModel(datasetOf(snap), end - 0.5);
    expect(before.roots[0].workers[0].ports.map((p) => p.id)).toEqual([4]);
    // Its partner in the top says so, from the instant the worker's document went.
    const chip = (t: typeof after) => t.roots[0].ports.find((p) => p.id === 3)!;
    expect(chip(after).partnerGoneWith).toBe(3);
    expect(chip(before).partnerGoneWith).toBe(null);
    expect(partnerGoneWith(datasetOf(snap), datasetOf(snap).ports.get(3)!)?.id).toBe(3);
    expect(partnerGoneWith(datasetOf(fixtureSnapshot()), datasetOf(fixtureSnapshot()).ports.get(3)!)).toBe(null);
    // Ports whose partner lives on are not marked.
    expect(after.roots[0].ports.filter((p) => p.id !== 3).map((p) => p.partnerGoneWith)).toEqual([null]);
  });
});

describe('details', () => {
  it('parses V8 and SpiderMonkey stacks into frames that open in Sources', () => {
    const v8 = parseStack('at send (http://a.test/x.js:12:7)\nat http://a.test/y.js:3:1\nat async run (chrome-extension://id/page.js:1:1)');
    expect(v8.map((f) => [f.fn, f.url, f.line, f.column])).toEqual([
      ['send', 'http://a.test/x.js', 12, 7],
      ['(anonymous)', 'http://a.test/y.js', 3, 1],
      ['async run', 'chrome-extension://id/page.js', 1, 1],
    ]);
    expect(v8.map(canOpen)).toEqual([true, true, false]);
    const sm = parseStack('send@http://a.test/x.js:12:7\n@http://a.test/y.js:3:1');
    expect(sm.map((f) => [f.fn, f.url, f.line])).toEqual([
      ['send', 'http://a.test/x.js', 12],
      ['(anonymous)', 'http://a.test/y.js', 3],
    ]);
    expect(parseStack(null)).toEqual([]);
  });

  it('breaks the delay into waiting and handler time', () => {
    const d = data();
    expect(delayParts(d.messages[1])).toEqual({
      parts: [
        { label: 'waiting (in flight and queued)', ms: 2 },
        { label: 'in the page’s handlers', ms: 0.5 },
      ],
      total: 2.5,
    });
    expect(delayParts(d.messages[5]).total).toBeNull();
  });

  it('reads the audit’s explanation, spec and stacks when a finding has them, else the rule’s own', () => {
    const [plain, audit] = fixtureSnapshot().findings.map(findingView);
    // A plain record (as in a trace file) gets the title, explanation and section of its rule.
    expect(plain.title).not.toBe('port-never-started');
    expect(plain.explanation).toMatch(/\w+/);
    expect(plain.spec).toMatch(/^https:/);
    expect(plain.stacks).toEqual([]);
    expect(findingView({ ...fixtureSnapshot().findings[0], rule: 'from-the-future' })).toMatchObject({ title: 'from-the-future', explanation: null, spec: null });
    expect(audit.explanation).toMatch(/neutered/);
    expect(audit.spec).toMatch(/^https:\/\/html\.spec\.whatwg\.org/);
    expect(audit.stacks).toHaveLength(1);
  });

  it('groups findings by rule, worst first', () => {
    const f = fixtureSnapshot().findings;
    const groups = groupFindings([...f, { ...f[0], messageIds: [5, 6], portIds: [4] }]);
    expect(groups.map((g) => [g.rule, g.severity, g.items, g.messageCount, g.portCount])).toEqual([
      ['post-on-shipped-port', 'error', [1], 1, 1],
      ['port-never-started', 'warning', [0, 2], 2, 1],
    ]);
  });
});

describe('selection', () => {
  it('a message selects its ports; a port its partner and the messages that moved it; a finding its ids', () => {
    const d = data();
    expect(selectMessage(d.messages[3])).toEqual({ focus: { kind: 'message', id: 4 }, messageIds: [4], portIds: [4] });
    expect(selectPort(d.ports.get(2)!)).toEqual({ focus: { kind: 'port', id: 2 }, messageIds: [1], portIds: [2, 1] });
    const f = d.findings[1];
    expect(selectFinding(f, 1)).toEqual({ focus: { kind: 'finding', index: 1, rule: 'post-on-shipped-port' }, messageIds: [6], portIds: [2] });
  });

  it('highlights the traffic of a selected port and its partner, lost messages included', () => {
    const d = data();
    const h = highlightOf(selectPort(d.ports.get(1)!));
    expect(d.messages.filter((m) => isMessageHighlighted(h, m)).map((m) => m.id)).toEqual([2, 3, 6, 7]);
  });

  it('a selected message highlights itself, not all the traffic of its ports', () => {
    const d = data();
    const h = highlightOf(selectMessage(d.messages[1]));
    expect(d.messages.filter((m) => isMessageHighlighted(h, m)).map((m) => m.id)).toEqual([2]);
  });
});

describe('labels', () => {
  it('formats contexts, relative times and durations', () => {
    const d = data();
    expect(contextLabel(d.contexts.get(1), 1)).toBe('127.0.0.1:8000/demo/index.html');
    expect(contextLabel(d.contexts.get(3), 3)).toBe('worker 127.0.0.1:8000/demo/worker.js');
    expect(contextLabel(undefined, 9)).toBe('context 9');
    // Intl rounds the decimal 1.2345 half up (toFixed saw the binary 1.23449…).
    expect(relTime(T0 + 1234.5, T0)).toBe('1.235 s');
    expect(relTime(T0 + 1234567, T0)).toBe('1,234.567 s');
    expect(ms(0.25)).toBe('250 µs');
    expect(ms(2)).toBe('2.00 ms');
    expect(timeExtent(d)).toEqual({ from: T0, to: T0 + 72 });
  });
});

describe('trace files', () => {
  it('opens a valid trace', async () => {
    const text = stringifyTrace(exportTrace(fixtureSnapshot()));
    const doc = await readTraceFile(new Blob([text]));
    expect(doc.messages).toHaveLength(7);
    expect(doc.messages[6].preview).toBe(HOSTILE);
  });

  it('explains what is wrong with a bad file', async () => {
    const good = stringifyTrace(exportTrace(fixtureSnapshot()));
    const cases: [string, RegExp][] = [
      [good.slice(0, good.length / 2), /not valid JSON \(truncated\?\)/],
      ['{"hello": 1}', /not a Channel Inspector trace/],
      [good.replace('"version":1', '"version":99'), /different version/],
      [good.replace('"meta":{', '"meta":{"__proto__":{"polluted":true},'), /refused as unsafe/],
      [good.replace('"via":"port"', '"via":"pigeon"'), /damaged/],
    ];
    for (const [text, expected] of cases) await expect(readTraceFile(new Blob([text]))).rejects.toThrow(expected);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(describeImportError(new Error('x'))).toBe('x');
  });
});

describe('compact context labels', () => {
  it('names a context by host and file for the table', async () => {
    const { contextShort } = await import('../../../panels/model/format');
    const d = data();
    expect(contextShort(d.contexts.get(2), 2)).toBe('localhost:8000 child.html');
    expect(contextShort(d.contexts.get(3), 3)).toBe('worker 127.0.0.1:8000 worker.js');
    expect(contextShort(undefined, null)).toBe('?');
  });
});
