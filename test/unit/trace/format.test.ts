import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Session } from '../../../src/aggregate';
import { TraceImportError, exportTrace, importTrace, stringifyTrace, type TraceDocument } from '../../../src/trace';
import { relayThroughMiddle, sessionOf } from '../aggregate/scenarios';
import { Doc, channel, ctx, portIn, postPort, start } from '../aggregate/streams';
import { checkSchema } from './schema-check';

const schema = JSON.parse(readFileSync(new URL('../../../docs/trace.schema.json', import.meta.url), 'utf8'));

/** A recording with every kind of record: relayed port, drop, error, eviction, finding, mismatch. */
function richSession(): Session {
  const s = sessionOf(relayThroughMiddle().feeds, { maxMessages: 6, evictChunk: 1 });
  const D = new Doc('D', { frameId: 0, parentFrameId: -1, url: 'https://a.test/' });
  D.batch([
    ctx(2000, 'https://a.test/', true),
    channel(2001, 1, 2),
    postPort(2002, 1, 1, [portIn(2), { kind: 'ArrayBuffer', id: 9, bytes: 1024 }], { o: 'dropped', reason: 'doomed' }),
    postPort(2003, 2, 1, [], { o: 'error', name: 'DataCloneError', message: 'could not be cloned' }),
    { k: 'mismatch', at: 2004, msg: 2, expected: 'error', actual: 'sent' },
    { k: 'dropped', at: 2005, cause: 'page-queue-full', count: 3 },
    start(2006, 1),
    postPort(2007, 3, 1, [], { o: 'queued' }),
  ]);
  for (const f of D.out) s.ingest(f.batch, f.source);
  s.setFindings([{ rule: 'transfer-not-referenced', severity: 'error', message: 'ArrayBuffer 9 detached but unused', messageIds: [7], portIds: [4] }]);
  return s;
}

describe('trace export and import', () => {
  it('round-trips without loss', () => {
    const s = richSession();
    const doc = exportTrace(s.data(), { tool: 'test', exportedAt: '2026-01-01T00:00:00.000Z', title: 'https://a.test/' });
    const back = importTrace(stringifyTrace(doc));
    expect(back).toEqual(doc);
    expect(stringifyTrace(back)).toBe(stringifyTrace(doc));
    // The records are those of the Session, evictions and findings included.
    expect(back.messages).toEqual(JSON.parse(JSON.stringify(s.data().messages)));
    expect(back.ports).toEqual(JSON.parse(JSON.stringify(s.data().ports)));
    expect(back.dropped['message-budget']).toBe(s.evicted);
    expect(back.dropped['page-queue-full']).toBe(3);
    expect(back.meta.firstMessageId).toBe(s.data().firstMessageId);
    expect(back.mismatches).toHaveLength(1);
  });

  it('holds one relayed port with holders A, B, C and every message delivered', () => {
    const doc = importTrace(stringifyTrace(exportTrace(sessionOf(relayThroughMiddle().feeds).data())));
    const relayed = doc.ports.filter((p) => p.holders.length === 3);
    expect(relayed).toHaveLength(1);
    expect(relayed[0].holders.map((h) => doc.contexts[h.contextId - 1].origin)).toEqual(['https://a.test', 'https://b.test', 'https://c.test']);
    expect(doc.messages.every((m) => m.outcome.status === 'delivered')).toBe(true);
  });

  it('matches the JSON Schema beside the format description', () => {
    const doc = JSON.parse(stringifyTrace(exportTrace(richSession().data())));
    expect(doc.messages.length).toBeGreaterThan(0);
    expect(doc.findings.length).toBe(1);
    expect(checkSchema(schema, doc)).toEqual([]);
    // The checker does catch a wrong document.
    const broken = structuredClone(doc);
    delete broken.messages[0].outcome;
    broken.ports[0].holders[0].contextId = 'A';
    expect(checkSchema(schema, broken).sort()).toEqual([`$.messages[0].outcome: required`, `$.ports[0].holders[0].contextId: expected integer`]);
  });
});

describe('docs/trace-format.md', () => {
  it('has an example that imports and matches the schema', () => {
    const md = readFileSync(new URL('../../../docs/trace-format.md', import.meta.url), 'utf8');
    const example = JSON.parse((/```json\n([\s\S]*?)```/.exec(md) as RegExpExecArray)[1]);
    expect(checkSchema(schema, example)).toEqual([]);
    expect(importTrace(JSON.stringify(example))).toEqual(example);
  });

  it('describes every field the exporter writes', () => {
    const md = readFileSync(new URL('../../../docs/trace-format.md', import.meta.url), 'utf8');
    const doc = exportTrace(richSession().data());
    const fields = new Set<string>();
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) if (!(v === doc.dropped)) (fields.add(k), walk(x));
    };
    walk(doc);
    for (const f of fields) expect(md, f).toContain(`\`${f}`);
  });
});

describe('importing bad input', () => {
  const good = (): TraceDocument => JSON.parse(stringifyTrace(exportTrace(richSession().data())));
  const code = (input: unknown, limits?: Parameters<typeof importTrace>[1]): string => {
    try {
      importTrace(input, limits);
      return 'accepted';
    } catch (e) {
      expect(e).toBeInstanceOf(TraceImportError);
      return (e as TraceImportError).code;
    }
  };

  it('says what is wrong and where', () => {
    const doc = good();
    (doc.messages[2] as any).sentAt = 'yesterday';
    expect(() => importTrace(doc)).toThrow(/^messages\[2\]\.sentAt: expected a finite number$/);
  });

  it('tells apart not JSON, truncated, not a trace and a newer version', () => {
    const text = stringifyTrace(exportTrace(richSession().data()));
    expect(code('{nope')).toBe('not-json');
    expect(code(text.slice(0, text.length / 2))).toBe('not-json');
    expect(code('')).toBe('not-json');
    expect(code('[]')).toBe('not-a-trace');
    expect(code('null')).toBe('not-a-trace');
    expect(code(42)).toBe('not-a-trace');
    expect(code({ format: 'other', version: 1 })).toBe('not-a-trace');
    expect(code({ ...good(), version: 2 })).toBe('unsupported-version');
    expect(code({ ...good(), version: 0 })).toBe('unsupported-version');
    expect(code({ ...good(), version: '1' })).toBe('invalid');
  });

  it('rejects prototype keys without touching any prototype', () => {
    const text = stringifyTrace(exportTrace(richSession().data()));
    const hostile = [
      text.replace('"id":1,', '"__proto__":{"polluted":true},"id":1,'),
      text.replace('"dropped":{', '"dropped":{"__proto__":5,'),
      text.replace('"dropped":{', '"dropped":{"\\u005f_proto__":5,'),
      text.replace('"meta":{', '"meta":{"constructor":{"prototype":{"polluted":true}},'),
    ];
    for (const h of hostile) expect(code(h)).toBe('hostile');
    expect(({} as any).polluted).toBeUndefined();
  });

  it('refuses absurd sizes', () => {
    const text = stringifyTrace(exportTrace(richSession().data()));
    expect(code(text, { maxChars: 100 })).toBe('too-large');
    expect(code(text, { maxMessages: 2 })).toBe('too-large');
    expect(code(text, { maxString: 5 })).toBe('too-large');
    const doc = good();
    (doc.messages[0] as any).transfer = new Array(200_000).fill({ kind: 'other', id: null, bytes: null });
    expect(code(doc)).toBe('too-large');
  });

  it('rejects wrong types, unknown enums, dangling references and unordered ids', () => {
    const cases: ((d: any) => void)[] = [
      (d) => (d.contexts[0].kind = 'iframe'),
      (d) => (d.contexts[0].id = 0),
      (d) => (d.contexts[1].parentId = 99),
      (d) => (d.ports[0].holders = {}),
      (d) => (d.ports[0].entangledWith = 1.5),
      (d) => (d.messages[0].outcome.status = 'lost'),
      (d) => (d.messages[0].outcome = null),
      (d) => (d.messages[0].toPort = 999),
      (d) => (d.messages[0].transfer = [{ kind: 'MessagePort', id: 999, bytes: null }]),
      (d) => (d.messages[1].id = d.messages[0].id),
      (d) => (d.messages[0].type = 'click'),
      (d) => (d.messages[0].deliveredAt = Infinity),
      (d) => delete d.messages[0].preview,
      (d) => (d.findings[0].severity = 'fatal'),
      (d) => (d.findings[0].messageIds = ['7']),
      (d) => (d.dropped['message-budget'] = -1),
      (d) => (d.meta = []),
      (d) => delete d.ports,
    ];
    for (const mutate of cases) {
      const d = good();
      mutate(d);
      expect(code(d), mutate.toString()).toBe('invalid');
    }
  });

  it('survives deep nesting and random corruption with only TraceImportError', () => {
    expect(code('['.repeat(200_000) + ']'.repeat(200_000))).not.toBe('accepted');
    const text = stringifyTrace(exportTrace(richSession().data()));
    let seed = 12345;
    const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) % n;
    const junk = ['', '"', '{', '}', '[', ']', ',', ':', 'null', '-1', '1e999', '"x"', 'true', '{"a":1}', '[0]'];
    let accepted = 0;
    for (let i = 0; i < 500; i++) {
      const at = rnd(text.length);
      const mutated = text.slice(0, at) + junk[rnd(junk.length)] + text.slice(at + rnd(8));
      if (code(mutated) === 'accepted') accepted++;
    }
    expect(accepted).toBeLessThan(500);
  });
});

describe('whatever a page sends', () => {
  it('the Session still exports a trace that imports', () => {
    let seed = 99;
    const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) % n;
    const values: unknown[] = [0, 1, 2, 3, -1, 1.5, NaN, Infinity, null, undefined, '', 'x', '__proto__', 'constructor', 'x'.repeat(70_000), {}, [], [1], { up: 1, down: [0] }, { up: 0, down: [0] }, true];
    const pick = () => values[rnd(values.length)];
    const kinds = ['context', 'channel', 'post', 'deliver', 'start', 'close', 'listen', 'mismatch', 'dropped'];
    const vias = ['port', 'window', 'worker', 'broadcast', 'clone', 'smoke'];
    const s = new Session({ maxMessages: 50 });
    for (let b = 1; b <= 300; b++) {
      const events = [];
      for (let i = 0; i < 10; i++) {
        events.push({
          k: kinds[rnd(kinds.length)],
          at: rnd(10) === 0 ? pick() : b * 10 + i,
          via: vias[rnd(vias.length)],
          kind: rnd(2) ? 'window' : pick(),
          port: rnd(4),
          port1: rnd(4),
          port2: rnd(4) + 4,
          msg: rnd(5),
          ctx: rnd(4) === 0 ? pick() : undefined,
          target: pick(),
          source: pick(),
          url: pick(),
          origin: pick(),
          targetOrigin: pick(),
          transfer: rnd(2) ? [{ kind: rnd(2) ? 'MessagePort' : pick(), id: rnd(6), bytes: pick() }] : pick(),
          ports: rnd(2) ? [rnd(8)] : pick(),
          predicted: rnd(3) ? { o: ['sent', 'queued', 'dropped', 'error'][rnd(4)], reason: pick(), name: pick(), message: pick() } : pick(),
          listeners: pick(),
          handlerMs: pick(),
          preview: pick(),
          indexInParent: pick(),
          parent: pick(),
          cause: pick(),
          count: pick(),
          expected: pick(),
          actual: pick(),
          type: rnd(2) ? 'message' : pick(),
          op: 'add',
          bytes: pick(),
        });
      }
      s.ingest({ v: 1, doc: `d${b % 4}`, seq: Math.ceil(b / 4), events: events as never, strings: [[1, 'stack']] }, { frameId: b % 4, parentFrameId: b % 4 === 0 ? -1 : 0 });
    }
    s.releaseHeld();
    const text = stringifyTrace(exportTrace(s.data()));
    expect(() => importTrace(text)).not.toThrow();
    expect(s.data().dropped["invalid-event"]).toBeGreaterThan(0);
    expect(s.data().messages.length).toBeGreaterThan(10);
    expect(s.data().ports.length).toBeGreaterThan(10);
  });
});

describe("a worker's inside status (issue 21)", () => {
  it('is written, read back and checked by the schema; a bad reason is refused', () => {
    const A = new Doc('a', { frameId: 0, parentFrameId: -1, url: 'https://a.test/' });
    A.batch([ctx(1, 'https://a.test/', true), { k: 'context', at: 2, kind: 'worker', url: '', origin: 'https://a.test', top: false, ctx: 1, object: 1, parent: 0 }]);
    const s = sessionOf(A.out);
    const doc = exportTrace(s.data());
    expect(doc.contexts[0].inside).toBeUndefined();
    expect(doc.contexts[1].inside).toMatchObject({ recorded: false, why: 'switch-off' });
    const text = stringifyTrace(doc);
    expect(checkSchema(schema, JSON.parse(text))).toEqual([]);
    const back = importTrace(text);
    expect(back.contexts[1].inside).toEqual(doc.contexts[1].inside);
    const bad = JSON.parse(text);
    bad.contexts[1].inside.why = 'made-up';
    expect(() => importTrace(JSON.stringify(bad))).toThrow(TraceImportError);
  });
});
