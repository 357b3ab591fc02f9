// The payload tree's view model: rows made only for open nodes, types and truncation said
// plainly, and the keyboard moves of a tree view.
import { describe, expect, it } from 'vitest';
import { ROOT, describeValue, toggle, treeKey, treeRows, type TreeState } from '../../../panels/model/payload-tree';
import { buildSample } from '../../../src/instrument/sample';
import type { Sample } from '../../../src/protocol/sample';
import { plainAccess } from '../instrument/plain-access';

const sampleOf = (v: unknown) => JSON.parse(buildSample(plainAccess, v).text!) as Sample;
const rich = () =>
  sampleOf({
    kind: 'rich',
    map: new Map<unknown, unknown>([['a', 1], [{ id: 2 }, 'object key']]),
    when: new Date(Date.UTC(2026, 0, 2)),
    bytes: new Uint8Array(40).fill(255),
    list: Array.from({ length: 1000 }, (_, i) => i),
    text: 'x'.repeat(5000),
    html: '<img src=x onerror=alert(1)>',
  });
const texts = (rows: ReturnType<typeof treeRows>) => rows.map((r) => `${'  '.repeat(r.level)}${r.label === null ? '' : r.label + r.sep}${r.text}${r.note ? ` (${r.note})` : ''}`);

describe('payload tree rows', () => {
  it('shows the closed root as one line, the preview', () => {
    const rows = treeRows(rich(), new Set(), '{kind: "rich", …}');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: ROOT, level: 0, text: '{kind: "rich", …}', expandable: true, expanded: false });
    // Without a preview, the closed root still reads as one line.
    expect(treeRows(rich(), new Set())[0].text.startsWith('{kind: "rich", map: Map(2)')).toBe(true);
  });

  it('opens one level at a time, with types and truncation said plainly', () => {
    const rows = treeRows(rich(), new Set([ROOT]));
    expect(texts(rows)).toEqual([
      'Object {7 keys}',
      '  kind: "rich"',
      '  map: Map(2) {"a" => 1, {id: 2} => "object key"}',
      '  when: 2026-01-02T00:00:00.000Z (Date)',
      '  bytes: Uint8Array(40 bytes) ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff ff … (first 16 bytes of 40)',
      `  list: [0, 1, 2, 3, 4, 5, 6, 7, …992] (950 more entries not kept)`,
      `  text: "${'x'.repeat(1000)}"… (1,000 of 5,000 characters)`,
      '  html: "<img src=x onerror=alert(1)>"',
    ]);
    // Closed children have no rows of their own children yet.
    expect(rows.filter((r) => r.level > 1)).toEqual([]);
    const list = rows.find((r) => r.label === 'list')!;
    const opened = treeRows(rich(), new Set([ROOT, list.id]));
    const listRows = opened.filter((r) => r.id.startsWith(list.id + '/'));
    expect(listRows).toHaveLength(51);
    expect(listRows[50]).toMatchObject({ text: '… 950 more entries', more: true, expandable: false });
    expect(opened.find((r) => r.id === list.id)!.text).toBe('Array(1,000)');
  });

  it('opens a Map by its keys, and a container key as a key/value pair', () => {
    const root = treeRows(rich(), new Set([ROOT]));
    const map = root.find((r) => r.label === 'map')!;
    const rows = treeRows(rich(), new Set([ROOT, map.id, `${map.id}/1`]));
    expect(texts(rows.filter((r) => r.id.startsWith(map.id + '/')))).toEqual(['    "a" → 1', '    1: {id: 2} → "object key"', '      key: {id: 2}', '      value: "object key"']);
  });

  it('says what each kind is', () => {
    const d = (v: Sample) => describeValue(v);
    expect(d({ $: 'bigint', v: '12' })).toEqual({ text: '12n', cls: 'number', note: 'BigInt' });
    expect(d({ $: 'number', v: '-0' }).text).toBe('-0');
    expect(d({ $: 'date', v: null }).text).toBe('Invalid Date');
    expect(d({ $: 'set', items: [1], size: 3 })).toMatchObject({ text: 'Set(3) {1}', note: '2 more entries not kept' });
    expect(d({ $: 'cut', kind: 'map' })).toMatchObject({ text: 'Map {…}', note: 'not opened: the sample stops at this depth or size' });
    expect(d({ $: 'circular' }).text).toBe('[Circular]');
    expect(d({ $: 'hole' }).text).toBe('empty');
    expect(d({ $: 'port' }).text).toBe('MessagePort');
    expect(d({ $: 'blob', kind: 'File', size: 2, type: 'text/plain', name: 'a.txt' }).text).toBe('File "a.txt" (2 bytes, text/plain)');
    expect(d({ $: 'error', name: 'TypeError', message: 'no' }).text).toBe('TypeError: no');
    expect(d({ $: 'bytes', kind: 'DataView', byteLength: 2, head: [1, 171] })).toMatchObject({ text: 'DataView(2 bytes) 01 ab', note: null });
    // Empty containers have nothing to open.
    expect(treeRows({ $: 'array', items: [], length: 0 }, new Set([ROOT]))[0]).toMatchObject({ expandable: false, text: '[]' });
  });
});

describe('payload tree keys', () => {
  const s = rich();
  const step = (st: TreeState, key: string) => {
    const next = treeKey(st, key, treeRows(s, st.open));
    expect(next, key).not.toBeNull();
    return next!;
  };

  it('Enter and Right open, Right steps in, Left closes and steps out, Up/Down move', () => {
    let st: TreeState = { open: new Set(), focus: ROOT };
    st = step(st, 'Enter');
    expect([...st.open]).toEqual([ROOT]);
    st = step(st, 'ArrowRight');
    expect(st.focus).toBe(`${ROOT}/0`);
    st = step(st, 'ArrowDown');
    expect(st.focus).toBe(`${ROOT}/1`);
    st = step(st, 'ArrowRight');
    expect(st.open.has(`${ROOT}/1`)).toBe(true);
    st = step(st, 'ArrowLeft');
    expect(st.open.has(`${ROOT}/1`)).toBe(false);
    st = step(st, 'ArrowLeft');
    expect(st.focus).toBe(ROOT);
    st = step(st, 'ArrowLeft');
    expect(st.open.size).toBe(0);
    st = step(st, 'ArrowUp');
    expect(st.focus).toBe(ROOT);
    expect(treeKey(st, 'a', treeRows(s, st.open))).toBeNull();
  });

  it('lets a click toggle only what can open', () => {
    const rows = treeRows(s, new Set([ROOT]));
    const st = toggle({ open: new Set([ROOT]), focus: ROOT }, `${ROOT}/0`, rows);
    expect(st).toEqual({ open: new Set([ROOT]), focus: `${ROOT}/0` });
    expect(toggle(st, ROOT, rows).open.size).toBe(0);
  });
});
