// The ground-truth program generator: the same seed gives the same program, the programs
// cover every operation and topology the e2e test promises, and they keep the rules that
// make them run to the end (tags unique, waits only on earlier carrier messages, no port
// carried after it was closed).
import { describe, expect, it } from 'vitest';
import { generateGtProgram, OP_KINDS, type GtOp, type GtProgram } from '../../support/ground-truth-program';

const SEEDS = Array.from({ length: 300 }, (_, i) => i + 1);
const programs = SEEDS.map(generateGtProgram);
const sends = (p: GtProgram) => p.ops.filter((o): o is Extract<GtOp, { tag: string }> => 'tag' in o);

describe('ground-truth program generator', () => {
  it('is deterministic per seed, and seeds differ', () => {
    for (const seed of [1, 2, 77, 300]) expect(generateGtProgram(seed)).toEqual(generateGtProgram(seed));
    expect(new Set(programs.map((p) => JSON.stringify(p.ops))).size).toBe(programs.length);
  });

  it('covers every operation kind, in many programs', () => {
    for (const kind of OP_KINDS) {
      const having = programs.filter((p) => p.ops.some((o) => o.k === kind)).length;
      expect(having, kind).toBeGreaterThan(30);
    }
  });

  it('covers the topologies: nested and cross-origin frames on each host, workers, ports made in workers', () => {
    const frames = programs.flatMap((p) => p.contexts.filter((c) => c.kind === 'window' && c.parent));
    expect(new Set(frames.map((f) => f.host))).toEqual(new Set(['127.0.0.1', 'localhost', '127.0.0.2']));
    expect(frames.filter((f) => f.path.length >= 2).length).toBeGreaterThan(50);
    expect(frames.filter((f) => f.path.length >= 3).length).toBeGreaterThan(2);
    const worker = (p: GtProgram, name: string) => p.contexts.find((c) => c.name === name)?.kind === 'worker';
    expect(programs.filter((p) => p.ops.some((o) => o.k === 'channel' && worker(p, o.at))).length).toBeGreaterThan(30);
    expect(programs.filter((p) => p.broadcast.some((b) => b.members.length >= 2)).length).toBeGreaterThan(100);
  });

  it('moves ports every way: over ports, windows and workers, back to a previous holder, with buffers copied and transferred', () => {
    const carried = (k: GtOp['k']) => programs.filter((p) => sends(p).some((o) => o.k === k && o.carry.length > 0)).length;
    for (const k of ['post', 'window', 'toWorker', 'toParent'] as const) expect(carried(k), k).toBeGreaterThan(20);
    // A port that comes back to a context it was in before.
    const back = programs.filter((p) =>
      p.ports.some((port) => {
        const stays = [p.ops.find((o) => o.k === 'channel' && (o.a === port.label || o.b === port.label))!.at];
        for (const o of sends(p)) if (o.carry.includes(port.label)) stays.push(o.k === 'window' ? o.to : o.k === 'toWorker' ? o.worker : o.k === 'toParent' ? p.contexts.find((c) => c.name === o.at)!.parent! : '?');
        return stays.some((c, i) => stays.indexOf(c) < i - 1);
      }),
    ).length;
    expect(back).toBeGreaterThan(20);
    const bufs = programs.flatMap((p) => sends(p).map((o) => o.buf)).filter((b) => b !== null);
    expect(bufs.filter((b) => b.transfer).length).toBeGreaterThan(100);
    expect(bufs.filter((b) => !b.transfer).length).toBeGreaterThan(100);
    expect(programs.filter((p) => sends(p).some((o) => o.k === 'window' && o.targetOrigin === 'mismatch')).length).toBeGreaterThan(20);
  });

  it('keeps its rules: unique tags, waits on earlier carriers only, no closed port carried, no port carried over a closable pair', () => {
    for (const p of programs) {
      const tags = sends(p).map((o) => o.tag);
      expect(tags).toEqual(tags.map((_, i) => `t${p.seed}-${i + 1}`));
      const closed = new Set<string>();
      const partner = new Map(p.ports.map((x) => [x.label, x.partner]));
      const carriers = new Set<string>();
      const seen = new Set<string>();
      for (const o of p.ops) {
        for (const w of o.wait) expect(carriers.has(w), `seed ${p.seed}: ${o.k} waits on ${w}`).toBe(true);
        if ('tag' in o) {
          for (const c of o.carry) expect(closed.has(c), `seed ${p.seed}: ${c} carried after close`).toBe(false);
          if (o.carry.length) carriers.add(o.tag);
          if (o.k === 'post' && o.carry.length) {
            expect(p.ports.find((x) => x.label === partner.get(o.port))!.autostart).toBe(true);
            seen.add(o.port);
            seen.add(partner.get(o.port)!);
          }
          if (o.k === 'window' && o.carry.length) expect(o.targetOrigin).not.toBe('mismatch');
          if (o.k === 'bc') expect(o.buf?.transfer ?? false).toBe(false);
        }
        if (o.k === 'close') {
          expect(seen.has(o.port), `seed ${p.seed}: closes ${o.port}, whose pair carried ports`).toBe(false);
          closed.add(o.port);
          closed.add(partner.get(o.port)!);
        }
      }
    }
  });
});
