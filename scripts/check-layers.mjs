#!/usr/bin/env node
// The floors of the house, checked (npm run lint runs this): src/ is pure TypeScript that runs in
// Node, extension/ is the browser glue, panels/ only renders. It fails when
//   - src/ imports extension/ or panels/;
//   - src/ names an extension global (chrome., browser.) anywhere;
//   - src/ outside src/instrument names a DOM global (window, document, HTMLElement, ...);
//   - panels/ imports page code (src/instrument/, extension/page.ts);
//   - an import circle exists among src/, extension/ and panels/ (type-only imports count:
//     a circle of types is still a circle for a reader).
// Imports and identifiers are read with a small tokenizer (comments, strings and the text of
// template literals are blanked first), which is enough for this code base and needs nothing
// installed. `node scripts/check-layers.mjs [root]` prints every violation and exits 1 on any.
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * TEMPORARY: import circles known and being removed elsewhere. Each entry is the exact set of
 * files of one circle; a circle that grows, or any other circle, still fails. Delete the entry
 * when the work that removes it lands (the check then says the entry is stale).
 */
export const TEMPORARY_ALLOWED_CYCLES = [];

/** Globals that exist only in a browser's window (not in Node): src/ outside src/instrument must not run them. */
export const DOM_GLOBALS = [
  'window', 'document', 'navigator', 'location', 'localStorage', 'sessionStorage', 'indexedDB',
  'HTMLElement', 'HTMLIFrameElement', 'Element', 'customElements', 'requestAnimationFrame',
  'cancelAnimationFrame', 'getComputedStyle', 'XMLHttpRequest', 'IDBDatabase', 'MutationObserver',
];
export const EXTENSION_GLOBALS = ['chrome', 'browser'];

/**
 * Files of src/ outside src/instrument that may name DOM globals, each with the reason (e.g. a
 * function handed to a browser driver's page.evaluate runs in the page). None needs it today.
 */
export const DOM_ALLOWED_FILES = {};

const CODE_DIRS = ['src', 'extension', 'panels'];
const EXTS = ['.ts', '.tsx', '.mts', '.js', '.mjs'];

function walk(dir, out) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (EXTS.some((e) => name.endsWith(e)) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/**
 * The code with comments, string contents and template text replaced by spaces (newlines kept,
 * so offsets and line numbers still match), and the string literals found, with their offsets.
 */
export function blank(text) {
  const out = text.split('');
  const strings = [];
  const stack = []; // brace depths at which a template literal's ${ } expression ends
  let depth = 0;
  let lastSig = '';
  const wipe = (a, b) => {
    for (let k = a; k < b; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  const template = (start) => {
    // From just after a ` or a }, to the closing ` or a ${.
    let j = start;
    while (j < text.length && text[j] !== '`') {
      if (text[j] === '\\') j += 2;
      else if (text[j] === '$' && text[j + 1] === '{') {
        wipe(start, j);
        stack.push(depth);
        depth++;
        return j + 2;
      } else j++;
    }
    wipe(start, j);
    return j + 1;
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const d = text[i + 1];
    if (c === '/' && d === '/') {
      const j = text.indexOf('\n', i);
      const end = j < 0 ? text.length : j;
      wipe(i, end);
      i = end;
    } else if (c === '/' && d === '*') {
      const j = text.indexOf('*/', i + 2);
      const end = j < 0 ? text.length : j + 2;
      wipe(i, end);
      i = end;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      strings.push({ at: i, value: text.slice(i + 1, j) });
      wipe(i + 1, j);
      i = j + 1;
      lastSig = 's';
    } else if (c === '`') {
      i = template(i + 1);
      lastSig = 's';
    } else if (c === '/' && (lastSig === '' || '(,=:[!&|?{};+-*%<>~^'.includes(lastSig) || /\b(return|typeof|case|in|of)\s*$/.test(text.slice(Math.max(0, i - 8), i)))) {
      // A regular expression literal.
      let j = i + 1;
      let inClass = false;
      while (j < text.length && text[j] !== '\n') {
        if (text[j] === '\\') j += 2;
        else if (text[j] === '[') (inClass = true), j++;
        else if (text[j] === ']') (inClass = false), j++;
        else if (text[j] === '/' && !inClass) break;
        else j++;
      }
      wipe(i + 1, j);
      i = j + 1;
      lastSig = 's';
    } else {
      if (c === '{') depth++;
      else if (c === '}') {
        depth--;
        if (stack.length && stack[stack.length - 1] === depth) {
          stack.pop();
          i = template(i + 1);
          lastSig = 's';
          continue;
        }
      }
      if (!/\s/.test(c)) lastSig = /[\w$]/.test(c) ? 'w' : c;
      i++;
    }
  }
  return { code: out.join(''), strings };
}

const lineOf = (text, at) => text.slice(0, at).split('\n').length;

/** The module specifiers a file imports (static, re-exports, side-effect, dynamic and import() types). */
export function importsOf(text, blanked = blank(text)) {
  const { code, strings } = blanked;
  const found = [];
  for (const s of strings) {
    const before = code.slice(Math.max(0, s.at - 200), s.at);
    if (/(?:^|[^\w$.])(?:from|import)\s*$/.test(before) || /(?:^|[^\w$.])import\s*\(\s*$/.test(before)) {
      found.push({ spec: s.value, line: lineOf(text, s.at) });
    }
  }
  return found;
}

/**
 * Where `names` are used as free identifiers (not a property, not an object key). A name the file
 * declares itself (a variable, a typed parameter, a method or accessor) is its own, not the
 * global, in the whole file: a heuristic that can miss a global used beside a local of the same
 * name, never the other way round.
 */
export function globalUses(text, names, blanked = blank(text)) {
  const { code } = blanked;
  const declared = (n) =>
    new RegExp(`(?:\\b(?:const|let|var|function|class|get|set)\\s+${n}\\b)|(?:[(,]\\s*${n}\\s*\\??:)|(?:^\\s*(?:(?:public|private|protected|static|async)\\s+)*${n}\\s*\\([^)]*\\)\\s*(?::[^{;]*)?\\{\\s*$)`, 'm').test(code);
  const free = names.filter((n) => !declared(n));
  if (!free.length) return [];
  const re = new RegExp(`(?<![\\w$.])(?<!\\?\\.)(${free.join('|')})(?![\\w$])`, 'g');
  const found = [];
  for (const m of code.matchAll(re)) {
    const after = code.slice(m.index + m[0].length);
    // An object key or a type member ({ window: 1 }, { window?: X }); not `a ? window : b`.
    if (/^\s*\??:/.test(after) && !/\?\s*$/.test(code.slice(Math.max(0, m.index - 40), m.index))) continue;
    found.push({ name: m[1], line: lineOf(text, m.index) });
  }
  return found;
}

function resolveImport(fromFile, spec) {
  if (!spec.startsWith('.')) return null;
  const base = resolve(dirname(fromFile), spec);
  const noJs = base.replace(/\.(m?js)$/, '');
  const tries = [base, ...EXTS.map((e) => noJs + e), ...EXTS.map((e) => join(base, 'index' + e))];
  for (const t of tries) if (existsSync(t) && statSync(t).isFile()) return t;
  return null;
}

/** Strongly connected components of size > 1 (or a file importing itself), Tarjan's algorithm. */
function cycles(graph) {
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const out = [];
  const visit = (v) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const comp = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? new Set()).has(v)) out.push(comp.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) visit(v);
  return out;
}

/**
 * Checks the tree at `root`. Returns the violations ({ rule, file, line, detail }), the circles
 * let through by `allowedCycles`, and the allowed entries that no longer match any circle.
 */
export function checkLayers(root, { allowedCycles = TEMPORARY_ALLOWED_CYCLES, domAllowed = DOM_ALLOWED_FILES } = {}) {
  const rel = (p) => relative(root, p).split(sep).join('/');
  const files = CODE_DIRS.flatMap((d) => walk(join(root, d), []));
  const violations = [];
  const graph = new Map();
  for (const file of files) {
    const r = rel(file);
    const text = readFileSync(file, 'utf8');
    const blanked = blank(text);
    const edges = new Set();
    graph.set(r, edges);
    for (const { spec, line } of importsOf(text, blanked)) {
      const target = resolveImport(file, spec);
      if (!target) continue;
      const t = rel(target);
      edges.add(t);
      if (r.startsWith('src/') && (t.startsWith('extension/') || t.startsWith('panels/'))) {
        violations.push({ rule: 'src-imports-upward', file: r, line, detail: `src/ imports ${t}` });
      }
      if (r.startsWith('panels/') && (t.startsWith('src/instrument/') || t === 'extension/page.ts')) {
        violations.push({ rule: 'panel-imports-page-code', file: r, line, detail: `panels/ imports page code ${t}` });
      }
    }
    if (r.startsWith('src/')) {
      for (const { name, line } of globalUses(text, EXTENSION_GLOBALS, blanked)) {
        violations.push({ rule: 'src-extension-global', file: r, line, detail: `src/ uses the extension global ${name}` });
      }
      if (!r.startsWith('src/instrument/') && !(r in domAllowed)) {
        for (const { name, line } of globalUses(text, DOM_GLOBALS, blanked)) {
          violations.push({ rule: 'src-dom-global', file: r, line, detail: `src/ outside src/instrument uses the DOM global ${name}` });
        }
      }
    }
  }
  for (const [, edges] of graph) for (const t of edges) if (!graph.has(t)) edges.delete(t);
  const allowedKeys = new Map(allowedCycles.map((c) => [[...c].sort().join(' '), c]));
  const allowed = [];
  const seen = new Set();
  for (const comp of cycles(graph)) {
    const key = comp.join(' ');
    if (allowedKeys.has(key)) {
      allowed.push(comp);
      seen.add(key);
    } else {
      violations.push({ rule: 'import-cycle', file: comp[0], line: 0, detail: `import circle: ${comp.join(' ↔ ')}` });
    }
  }
  const stale = [...allowedKeys].filter(([k]) => !seen.has(k)).map(([, c]) => c);
  return { violations, allowed, stale, files: files.length };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const { violations, allowed, stale, files } = checkLayers(root);
  for (const v of violations) console.error(`layers: ${v.file}${v.line ? ':' + v.line : ''}: ${v.rule}: ${v.detail}`);
  for (const c of allowed) console.log(`layers: allowed for now (TEMPORARY_ALLOWED_CYCLES in scripts/check-layers.mjs): import circle ${c.join(' ↔ ')}`);
  for (const c of stale) console.log(`layers: the temporary allowance for ${c.join(' ↔ ')} matches no circle any more: delete it from scripts/check-layers.mjs`);
  console.log(`layers: ${files} files, ${violations.length} violation${violations.length === 1 ? '' : 's'}`);
  process.exit(violations.length ? 1 : 0);
}
