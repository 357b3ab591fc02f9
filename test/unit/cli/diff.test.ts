// `diff`: two recordings of one flow compare equal whatever their ids and times; lost
// messages, findings, call counts, latencies and payload shapes that changed are reported.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diffSnapshots, DEFAULT_DIFF_OPTIONS, type DiffOptions } from '../../../src/cli/diff';
import { parseTolerance } from '../../../src/cli/diff-tolerance';
import type { AggregateSnapshot, CallRecord } from '../../../src/protocol/session';
import { shippedPair } from '../audit/build';
import { Dir, clean, neverStarted, run } from './fixtures';

/** The same snapshot as another run would number and time it. */
function rerun(s: AggregateSnapshot, shift = { ctx: 5, port: 10, msg: 100, t: 5000 }): AggregateSnapshot {
  const c = (id: number | null) => (id === null ? null : id + shift.ctx);
  const p = (id: number | null) => (id === null ? null : id + shift.port);
  const m = (id: number | null) => (id === null ? null : id + shift.msg);
  const t = (x: number | null) => (x === null ? null : x + shift.t);
  return {
    ...s,
    firstMessageId: s.firstMessageId + shift.msg,
    contexts: s.contexts.map((x) => ({ ...x, id: x.id + shift.ctx, parentId: c(x.parentId), createdAt: t(x.createdAt), doc: `${x.doc}-again` })),
    ports: s.ports.map((x) => ({
      ...x,
      id: x.id + shift.port,
      entangledWith: p(x.entangledWith),
      createdIn: c(x.createdIn),
      createdAt: t(x.createdAt),
      lostIn: m(x.lostIn),
      holders: x.holders.map((h) => ({ ...h, contextId: h.contextId + shift.ctx, messageId: m(h.messageId), since: h.since + shift.t })),
    })),
    messages: s.messages.map((x) => ({
      ...x,
      id: x.id + shift.msg,
      fromContext: c(x.fromContext),
      toContext: c(x.toContext),
      fromPort: p(x.fromPort),
      toPort: p(x.toPort),
      sentAt: t(x.sentAt),
      deliveredAt: t(x.deliveredAt),
      transfer: x.transfer.map((tr) => (tr.kind === 'MessagePort' ? { ...tr, id: p(tr.id) } : tr)),
      call: x.call ? { ...x.call, pairedWith: m(x.call.pairedWith) } : x.call,
    })),
  };
}

const opts = (o: Partial<DiffOptions> = {}): DiffOptions => ({ ...DEFAULT_DIFF_OPTIONS, ...o });
const sample = (v: unknown) => JSON.stringify(v);

describe('diffSnapshots', () => {
  it('finds no difference between two runs of one flow with other ids and times', () => {
    const a = clean().build();
    const d = diffSnapshots(a, rerun(a));
    expect(d.differences).toBe(0);
    expect(d.routes.length).toBeGreaterThan(0);
    expect(d.routes.every((r) => !r.differs && r.before === r.after)).toBe(true);
  });

  it('keys port routes by origin, path and port role, never by id', () => {
    const d = diffSnapshots(clean().build(), clean().build());
    const keys = d.routes.map((r) => r.key);
    expect(keys).toContain('port http://127.0.0.1:8080/index.html → http://localhost:8080/child.html (port1 of a channel made in http://127.0.0.1:8080/index.html)');
    expect(keys).toContain('port http://localhost:8080/child.html → http://127.0.0.1:8080/index.html (port2 of a channel made in http://127.0.0.1:8080/index.html)');
    expect(keys.join('\n')).not.toMatch(/#\d/);
  });

  it('reports the messages lost and the new finding when a port is never started', () => {
    const d = diffSnapshots(clean().build(), neverStarted().build());
    const loss = d.losses.find((r) => r.key.endsWith('queued, never delivered'));
    expect(loss).toMatchObject({ before: 0, after: 3, differs: true });
    expect(d.findings.added.map((f) => f.rule)).toContain('port-never-started');
    expect(d.findings.added.find((f) => f.rule === 'port-never-started')?.message).toMatch(/never started|start\(\)/i);
    expect(d.differences).toBeGreaterThan(0);
    // Reversed, the finding is gone and the loss no longer there: both still differences.
    const back = diffSnapshots(neverStarted().build(), clean().build());
    expect(back.findings.removed.map((f) => f.rule)).toContain('port-never-started');
    expect(back.losses.find((r) => r.key.endsWith('queued, never delivered'))).toMatchObject({ before: 3, after: 0, differs: true });
  });

  function pings(n: number): AggregateSnapshot {
    const { s, a } = shippedPair();
    s.repeat(n, () => s.post(a, { sample: sample({ $: 'object', entries: [['type', 'ping']], count: 1 }) }));
    return s.build();
  }

  it('keys a message never delivered by where its port is held (the receiver is reported on delivery only)', () => {
    const stuck = neverStarted().build();
    for (const m of stuck.messages) if (m.outcome.status === 'queued') m.toContext = null;
    const d = diffSnapshots(clean().build(), stuck);
    expect(d.losses.filter((r) => r.differs).map((r) => r.key)).toEqual([
      'port http://127.0.0.1:8080/index.html → http://localhost:8080/child.html (port1 of a channel made in http://127.0.0.1:8080/index.html): queued, never delivered',
    ]);
    expect(d.routes.find((r) => r.key.includes('(port1'))).toMatchObject({ before: 1, after: 3 });
  });

  it('counts a send whose delivery was never seen as a loss of its own kind', () => {
    const unseen = neverStarted().build();
    for (const m of unseen.messages) if (m.outcome.status === 'queued') m.outcome = { status: 'sent', reason: null };
    const d = diffSnapshots(clean().build(), unseen);
    expect(d.losses.filter((r) => r.differs).map((r) => `${r.key.split(': ')[1]} ${r.before}→${r.after}`)).toEqual(['sent, delivery not seen 0→3']);
  });

  it('compares counts per route within --tolerance', () => {
    const row = (d: ReturnType<typeof diffSnapshots>) => d.routes.find((r) => r.key.includes('(port1'))!;
    expect(row(diffSnapshots(pings(20), pings(22))).differs).toBe(true);
    expect(row(diffSnapshots(pings(20), pings(22), opts({ tolerance: parseTolerance('2') }))).differs).toBe(false);
    expect(row(diffSnapshots(pings(20), pings(23), opts({ tolerance: parseTolerance('2') }))).differs).toBe(true);
    expect(row(diffSnapshots(pings(20), pings(22), opts({ tolerance: parseTolerance('10%') }))).differs).toBe(false);
    expect(row(diffSnapshots(pings(20), pings(17), opts({ tolerance: parseTolerance('10%') }))).differs).toBe(true);
    expect(diffSnapshots(pings(20), pings(22), opts({ tolerance: parseTolerance('10%') })).differences).toBe(0);
  });

  it('keys origins without the port number with ignorePorts', () => {
    const a = clean().build();
    const b = structuredClone(a);
    for (const c of b.contexts) {
      c.url = c.url.replace(':8080', ':9191');
      c.origin = c.origin.replace(':8080', ':9191');
    }
    expect(diffSnapshots(a, b).differences).toBeGreaterThan(0);
    expect(diffSnapshots(a, b, opts({ ignorePorts: true })).differences).toBe(0);
  });

  function rpc(latencies: number[], method = 'add'): AggregateSnapshot {
    const { s, a, b } = shippedPair();
    for (const [i, ms] of latencies.entries()) {
      const call: CallRecord = { protocol: 'jsonrpc', role: 'request', label: `call ${method}(${i}, ${i + 1})`, id: String(i), pairedWith: null, latencyMs: ms };
      const req = s.post(a, { call });
      const res = s.post(b, { call: { protocol: 'jsonrpc', role: 'response', label: `reply ok ${2 * i + 1}`, id: String(i), pairedWith: req.id, latencyMs: ms } });
      (req.call as CallRecord).pairedWith = res.id;
    }
    return s.build();
  }

  it('counts calls by protocol and method, not by their arguments', () => {
    const d = diffSnapshots(rpc([1, 2, 3]), rpc([1, 2, 3]));
    expect(d.calls).toEqual([
      { key: 'jsonrpc call add', before: 3, after: 3, differs: false },
      { key: 'jsonrpc reply', before: 3, after: 3, differs: false },
    ]);
    const renamed = diffSnapshots(rpc([1, 2, 3]), rpc([1, 2, 3], 'sum'));
    expect(renamed.calls.filter((r) => r.differs).map((r) => `${r.key} ${r.before}→${r.after}`)).toEqual(['jsonrpc call add 3→0', 'jsonrpc call sum 0→3']);
  });

  it('reports call latency (median, p95) that moved beyond the factor and the floor', () => {
    const same = diffSnapshots(rpc([10, 12, 14, 40]), rpc([11, 13, 15, 45]));
    expect(same.latency[0]).toMatchObject({ key: 'jsonrpc call add', before: { n: 4, median: 13, p95: 40 }, differs: false });
    const slower = diffSnapshots(rpc([10, 12, 14, 40]), rpc([30, 32, 34, 60]));
    expect(slower.latency[0].differs).toBe(true);
    expect(slower.differences).toBe(1);
    // Same change, a factor of 3 allowed: within.
    expect(diffSnapshots(rpc([10, 12, 14, 40]), rpc([30, 32, 34, 60]), opts({ latency: { factor: 3, floorMs: 5 } })).differences).toBe(0);
    // Sub-floor jitter on tiny latencies is not a regression.
    expect(diffSnapshots(rpc([0.1, 0.2]), rpc([2, 3])).differences).toBe(0);
  });

  it('reports payload shapes that appeared or went on a route, not their values', () => {
    const shaped = (entries: [string, unknown][]) => {
      const s = clean();
      for (const m of s.messages) if (m.via === 'port' && m.fromPort === 1) m.sample = sample({ $: 'object', entries, count: entries.length });
      return s.build();
    };
    expect(diffSnapshots(shaped([['type', 'ping'], ['n', 1]]), shaped([['n', 2], ['type', 'other']])).differences).toBe(0);
    const d = diffSnapshots(shaped([['type', 'ping'], ['n', 1]]), shaped([['type', 'ping'], ['n', '1']]));
    expect(d.shapes).toEqual([{ route: expect.stringContaining('(port1'), added: ['{n: string, type: string}'], removed: ['{n: number, type: string}'] }]);
  });

  it('says what either recording did not keep', () => {
    const a = clean().build();
    const b = { ...clean().build(), firstMessageId: 4, dropped: { 'message-budget': 3 } };
    const d = diffSnapshots(a, b);
    expect(d.notes).toEqual(['after: messages #1–#3 were evicted before export and are not compared', 'after: not recorded: 3 message-budget']);
  });
});

describe('channel-inspector diff', () => {
  let dir: Dir;
  beforeEach(() => (dir = new Dir()));
  afterEach(() => dir.remove());

  it('exits 0 on two recordings of the same flow and 1 with the lost message and finding named', async () => {
    const a = dir.trace('a.json', clean());
    const b = dir.trace('b.json', clean());
    const same = await run(['diff', a, b]);
    expect(same).toMatchObject({ code: 0, err: '' });
    expect(same.out).toContain('No differences beyond tolerance.');

    const broken = dir.trace('broken.json', neverStarted());
    const r = await run(['diff', a, broken]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/Lost messages:\n.*queued, never delivered: 0 → 3 \(new loss\)/);
    expect(r.out).toMatch(/\+ new\s+ERROR port-never-started: /);
    expect(r.out).toMatch(/\d+ differences? beyond tolerance\./);
  });

  it('--json gives the whole comparison with its verdict', async () => {
    const r = await run(['diff', dir.trace('a.json', clean()), dir.trace('b.json', neverStarted()), '--json', '--tolerance', '10%']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j.same).toBe(false);
    expect(j.options.tolerance).toBe('10%');
    expect(j.findings.added.some((f: { rule: string }) => f.rule === 'port-never-started')).toBe(true);
    expect(j.losses.some((l: { key: string; after: number; differs: boolean }) => l.differs && l.after === 3)).toBe(true);
  });

  it('exits 2 on an unreadable file or a bad option, naming it', async () => {
    const a = dir.trace('a.json', clean());
    const missing = await run(['diff', a, dir.path + '/nope.json']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('nope.json: no such file');
    const notTrace = await run(['diff', dir.file('x.json', '{"hello":1}'), a]);
    expect(notTrace.code).toBe(2);
    expect(notTrace.err).toContain('x.json: cannot read this trace');
    expect((await run(['diff', a, a, '--tolerance', 'lots'])).code).toBe(2);
    expect((await run(['diff', a])).err).toContain('missing <after.json>');
  });
});
