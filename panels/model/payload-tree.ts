// The payload tree's model: a Sample as rows that open lazily (only the open nodes' children
// are made), each with its key, a one-line text, its type and what the sample left out, and
// the keyboard moves over the visible rows. The component only renders these rows.
import type { Sample } from '../../src/protocol/sample';
import { samplePreview } from '../../src/protocol/sample-preview';
import { fmt, msg } from '../i18n';

export const ROOT = 'r';
/** Longest one-line text of a collapsed container. */
const LINE = 120;

export type ValueClass = 'string' | 'number' | 'bool' | 'null' | 'special' | 'object' | 'cut';

export interface TreeRow {
  /** Stable id of the node: ROOT, then "/<child index>" per level. */
  id: string;
  level: number;
  /** The key, index or map key shown before the value; null for the root and "more" rows. */
  label: string | null;
  /** Between label and value: ': ' for keys and indexes, ' → ' after a Map's key. */
  sep: string;
  /** One line of text for the value (plain text, never markup). */
  text: string;
  cls: ValueClass;
  expandable: boolean;
  expanded: boolean;
  /** What the sample did not keep of this value, said plainly ("1,000 of 25,000 characters"). */
  note: string | null;
  /** A row that stands for entries the sample did not keep. */
  more: boolean;
}

interface Child {
  label: string | null;
  value: Node;
  sep?: string;
}

// Type names (Array, Object, Map, Set, Date, ArrayBuffer, MessagePort...) stay as JavaScript
// writes them; the words around them come from the catalogue, in the locale's digits.
const count = (n: number) => fmt.number(n);
const bytes = (n: number) => (n === 1 ? msg('dtPtBytes_one', count(n)) : msg('dtPtBytes_other', count(n)));
const moreNotKept = (n: number) => (n === 1 ? msg('dtPtMoreNotKept_one', count(n)) : msg('dtPtMoreNotKept_other', count(n)));
const moreEntries = (n: number) => (n === 1 ? msg('dtPtMore_one', count(n)) : msg('dtPtMore_other', count(n)));

function isContainer(s: Sample): s is Extract<Sample, { $: 'array' | 'object' | 'map' | 'set' }> {
  return s !== null && typeof s === 'object' && (s.$ === 'array' || s.$ === 'object' || s.$ === 'map' || s.$ === 'set');
}

/** A Map entry whose key is itself a container: opened as a pair of key and value. */
interface Pair {
  $: 'pair';
  key: Sample;
  value: Sample;
}
type Node = Sample | Pair;
const isPair = (n: Node): n is Pair => n !== null && typeof n === 'object' && n.$ === 'pair';

function childrenOf(n: Node): Child[] {
  if (isPair(n)) return [{ label: msg('dtPtKey'), value: n.key }, { label: msg('dtPtValue'), value: n.value }];
  if (!isContainer(n)) return [];
  switch (n.$) {
    case 'array':
      return n.items.map((value, i) => ({ label: String(i), value }));
    case 'object':
      return n.entries.map(([label, value]) => ({ label, value }));
    case 'set':
      return n.items.map((value, i) => ({ label: String(i), value }));
    case 'map':
      return n.entries.map(([key, value], i) =>
        isContainer(key) ? { label: String(i), value: { $: 'pair', key, value } as Pair } : { label: oneLine(key, LINE), value, sep: ' → ' },
      );
  }
}

/** How many entries the value had beyond those the sample kept. */
function missing(n: Node): number {
  if (isPair(n) || !isContainer(n)) return 0;
  switch (n.$) {
    case 'array':
      return n.length - n.items.length;
    case 'object':
      return n.count - n.entries.length;
    case 'map':
      return n.size - n.entries.length;
    case 'set':
      return n.size - n.items.length;
  }
}

function oneLine(s: Sample, max: number): string {
  return samplePreview(s, max);
}

/** The type line of an opened container. */
function header(n: Node): string {
  if (isPair(n)) return `${oneLine(n.key, LINE / 2)} → ${oneLine(n.value, LINE / 2)}`;
  if (!isContainer(n)) return '';
  switch (n.$) {
    case 'array':
      return `Array(${count(n.length)})`;
    case 'object':
      return `Object {${n.count === 1 ? msg('dtPtKeys_one', count(n.count)) : msg('dtPtKeys_other', count(n.count))}}`;
    case 'map':
      return `Map(${count(n.size)})`;
    case 'set':
      return `Set(${count(n.size)})`;
  }
}

/** Text, class and note of a value's own row. */
export function describeValue(n: Node, expanded = false): { text: string; cls: ValueClass; note: string | null } {
  if (isPair(n)) return { text: header(n), cls: 'object', note: null };
  if (n === null) return { text: 'null', cls: 'null', note: null };
  switch (typeof n) {
    case 'string':
      return { text: JSON.stringify(n), cls: 'string', note: null };
    case 'number':
      return { text: String(n), cls: 'number', note: null };
    case 'boolean':
      return { text: String(n), cls: 'bool', note: null };
  }
  switch (n.$) {
    case 'str':
      return { text: JSON.stringify(n.head) + '…', cls: 'string', note: msg('dtPtChars', count(n.head.length), count(n.length)) };
    case 'undefined':
      return { text: 'undefined', cls: 'null', note: null };
    case 'hole':
      return { text: msg('dtPtEmpty'), cls: 'null', note: msg('dtPtHole') };
    case 'number':
      return { text: n.v, cls: 'number', note: null };
    case 'bigint':
      return { text: `${n.v}n`, cls: 'number', note: 'BigInt' };
    case 'date':
      return { text: n.v === null ? 'Invalid Date' : new Date(n.v).toISOString(), cls: 'special', note: 'Date' };
    case 'regexp':
      return { text: `/${n.source}/${n.flags}`, cls: 'special', note: 'RegExp' };
    case 'bytes': {
      const hex = n.head.map((b) => b.toString(16).padStart(2, '0')).join(' ');
      const shown = n.head.length < n.byteLength ? (n.head.length === 1 ? msg('dtPtFirstBytes_one', count(n.head.length), count(n.byteLength)) : msg('dtPtFirstBytes_other', count(n.head.length), count(n.byteLength))) : null;
      return { text: `${n.kind}(${bytes(n.byteLength)})${hex ? ` ${hex}${shown ? ' …' : ''}` : ''}`, cls: 'special', note: shown };
    }
    case 'error':
      return { text: `${n.name}: ${n.message}`, cls: 'special', note: null };
    case 'port':
      return { text: 'MessagePort', cls: 'special', note: msg('dtPtPortNote') };
    case 'blob':
      return { text: n.kind === 'File' ? `File ${JSON.stringify(n.name ?? '')} (${bytes(n.size)}${n.type ? `, ${n.type}` : ''})` : `Blob(${bytes(n.size)}${n.type ? `, ${n.type}` : ''})`, cls: 'special', note: null };
    case 'other':
      return { text: n.kind, cls: 'special', note: msg('dtPtKindOnly') };
    case 'circular':
      return { text: '[Circular]', cls: 'cut', note: msg('dtPtCircular') };
    case 'cut':
      return { text: n.kind === 'array' ? '[…]' : n.kind === 'map' ? 'Map {…}' : n.kind === 'set' ? 'Set {…}' : '{…}', cls: 'cut', note: msg('dtPtCut') };
  }
  const more = missing(n);
  return { text: expanded ? header(n) : oneLine(n, LINE), cls: 'object', note: more > 0 ? moreNotKept(more) : null };
}

/**
 * The rows shown for a sample with the nodes in `open` expanded: a closed node's children
 * are never made, so a large sample costs only what is on screen.
 */
export function treeRows(sample: Sample, open: ReadonlySet<string>, rootText?: string): TreeRow[] {
  const rows: TreeRow[] = [];
  const visit = (n: Node, id: string, level: number, label: string | null, sep = ': ') => {
    const expandable = isPair(n) || (isContainer(n) && childrenOf(n).length + missing(n) > 0);
    const expanded = expandable && open.has(id);
    const d = describeValue(n, expanded);
    // The root, closed, reads as the message's preview.
    const text = id === ROOT && !expanded && rootText !== undefined ? rootText : d.text;
    rows.push({ id, level, label, sep, text, cls: d.cls, expandable, expanded, note: d.note, more: false });
    if (!expanded) return;
    const kids = childrenOf(n);
    for (let i = 0; i < kids.length; i++) visit(kids[i].value, `${id}/${i}`, level + 1, kids[i].label, kids[i].sep);
    const more = missing(n);
    if (more > 0) rows.push({ id: `${id}/more`, level: level + 1, label: null, sep: '', text: moreEntries(more), cls: 'cut', expandable: false, expanded: false, note: msg('dtPtMoreNote'), more: true });
  };
  visit(sample, ROOT, 0, null);
  return rows;
}

export interface TreeState {
  open: ReadonlySet<string>;
  focus: string;
}

const parentOf = (id: string) => (id === ROOT ? null : id.slice(0, id.lastIndexOf('/')));

/** Click or Enter: opens or closes a node. */
export function toggle(state: TreeState, id: string, rows: TreeRow[]): TreeState {
  const row = rows.find((r) => r.id === id);
  if (!row?.expandable) return { ...state, focus: id };
  const open = new Set(state.open);
  if (open.has(id)) open.delete(id);
  else open.add(id);
  return { open, focus: id };
}

/**
 * A key on the focused row, as in a tree view: Enter toggles, Right opens (or steps into an
 * open node), Left closes (or steps out to the parent), Up/Down/Home/End move. Null when
 * the key is not one of these.
 */
export function treeKey(state: TreeState, key: string, rows: TreeRow[]): TreeState | null {
  const i = Math.max(0, rows.findIndex((r) => r.id === state.focus));
  const row = rows[i];
  if (!row) return null;
  switch (key) {
    case 'Enter':
    case ' ':
      return toggle(state, row.id, rows);
    case 'ArrowRight':
      if (row.expandable && !row.expanded) return toggle(state, row.id, rows);
      if (row.expanded && rows[i + 1]) return { ...state, focus: rows[i + 1].id };
      return state;
    case 'ArrowLeft': {
      if (row.expanded) return toggle(state, row.id, rows);
      const parent = parentOf(row.id);
      return parent === null ? state : { ...state, focus: parent };
    }
    case 'ArrowDown':
      return { ...state, focus: rows[Math.min(rows.length - 1, i + 1)].id };
    case 'ArrowUp':
      return { ...state, focus: rows[Math.max(0, i - 1)].id };
    case 'Home':
      return { ...state, focus: rows[0].id };
    case 'End':
      return { ...state, focus: rows[rows.length - 1].id };
    default:
      return null;
  }
}
