// scripts/check-layers.mjs on small trees written for each case: every kind of violation is
// caught, and what the house allows (type names, locals named like globals, the instrumentation
// using the DOM) is not.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkLayers as checkLayersJs } from '../../../scripts/check-layers.mjs';

type Result = { violations: { rule: string; file: string; line: number; detail: string }[]; allowed: string[][]; stale: string[][] };
const checkLayers = checkLayersJs as (root: string, opts?: object) => Result;

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'layers-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const check = (files: Record<string, string>, opts: object = { allowedCycles: [] }): Result => checkLayers(tree(files), opts);
const rules = (r: Result) => r.violations.map((v) => `${v.rule} ${v.file}:${v.line}`);

describe('check-layers', () => {
  it('passes a tree whose imports all point down', () => {
    const r = check({
      'src/protocol/messages.ts': "export type Via = 'port' | 'window';\n",
      'src/aggregate/session.ts': "import type { Via } from '../protocol/messages';\nexport const v: Via = 'window';\n",
      'extension/background.ts': "import { v } from '../src/aggregate/session';\nchrome.runtime.id; console.log(v, document.title);\n",
      'panels/app.tsx': "import { v } from '../src/aggregate/session';\nexport const x = () => <p>{v}{window.name}</p>;\n",
    });
    expect(r.violations).toEqual([]);
  });

  it('catches src/ importing extension/ or panels/ (static, re-export, dynamic and import() type)', () => {
    const r = check({
      'extension/relay.ts': 'export const a = 1;\n',
      'panels/store.ts': 'export type S = number;\n',
      'src/a.ts': "import { a } from '../extension/relay';\nexport { a };\n",
      'src/b.ts': "export * from '../panels/store';\n",
      'src/c.ts': "export const l = () => import('../extension/relay.js');\n",
      'src/d.ts': "export let s: import('../panels/store').S;\n",
    });
    expect(rules(r)).toEqual(['src-imports-upward src/a.ts:1', 'src-imports-upward src/b.ts:1', 'src-imports-upward src/c.ts:1', 'src-imports-upward src/d.ts:1']);
  });

  it('catches extension globals anywhere in src/, the instrumentation included', () => {
    const r = check({
      'src/instrument/x.ts': 'export const id = chrome.runtime.id;\n',
      'src/trace/y.ts': 'export async function f() {\n  return browser?.storage;\n}\nexport const g = () => globalThis.chrome;\n',
      'src/trace/z.ts': "// chrome.runtime in a comment, and in a string:\nexport const s = 'browser.tabs';\nexport const o = { chrome: 1 }.chrome;\n",
    });
    expect(rules(r)).toEqual(['src-extension-global src/instrument/x.ts:1', 'src-extension-global src/trace/y.ts:2']);
  });

  it('catches DOM globals in src/ outside src/instrument, not type names, keys or locals', () => {
    const r = check({
      'src/instrument/ok.ts': 'export const t = document.title + window.name;\n',
      'src/aggregate/bad.ts': 'export function f() {\n  return location.href;\n}\nexport const g = () => `${document.title}`;\n',
      'src/model/fine.ts': [
        "// window and document in a comment; 'window' in a string; x.document a property",
        "export const kinds = { window: 1, document: 2 };",
        'export function g(x: { document: number }, window: boolean) { return window ? x.document : 0; }',
        'export class T { document(v: unknown): number { return 1; } }',
        'export const re = /window/;',
      ].join('\n'),
    });
    expect(rules(r)).toEqual(['src-dom-global src/aggregate/bad.ts:2', 'src-dom-global src/aggregate/bad.ts:4']);
  });

  it('catches panels/ importing page code', () => {
    const r = check({
      'src/instrument/install.ts': 'export const i = 1;\n',
      'src/model/port.ts': 'export const p = 1;\n',
      'extension/page.ts': 'export const pg = 1;\n',
      'panels/a.tsx': "import { i } from '../src/instrument/install';\nimport { p } from '../src/model/port';\nexport const a = i + p;\n",
      'panels/b.ts': "import { pg } from '../extension/page';\nexport const b = pg;\n",
    });
    expect(rules(r)).toEqual(['panel-imports-page-code panels/a.tsx:1', 'panel-imports-page-code panels/b.ts:1']);
  });

  it('catches an import circle, type-only imports included', () => {
    const r = check({
      'src/protocol/messages.ts': "import { expand } from './compact';\nexport type E = 1;\nexport const m = expand;\n",
      'src/protocol/compact.ts': "import type { E } from './messages';\nexport const expand = (e: E) => e;\n",
      'panels/self.ts': "import './self';\n",
    });
    expect(r.violations.map((v) => v.detail)).toEqual(['import circle: panels/self.ts', 'import circle: src/protocol/compact.ts ↔ src/protocol/messages.ts']);
  });

  it('lets a listed temporary circle through, fails one that grew, and calls an unused entry stale', () => {
    const files = {
      'src/aggregate/session.ts': "import './identify';\n",
      'src/aggregate/identify.ts': "import type {} from './session';\n",
    };
    const allowed = [['src/aggregate/session.ts', 'src/aggregate/identify.ts']];
    const ok = check(files, { allowedCycles: allowed });
    expect(ok.violations).toEqual([]);
    expect(ok.allowed).toEqual([['src/aggregate/identify.ts', 'src/aggregate/session.ts']]);
    const grown = check({ ...files, 'src/aggregate/state.ts': "import './session';\n", 'src/aggregate/identify.ts': "import './state';\nimport './session';\n" }, { allowedCycles: allowed });
    expect(rules(grown)).toEqual(['import-cycle src/aggregate/identify.ts:0']);
    const gone = check({ 'src/aggregate/session.ts': "import './identify';\n", 'src/aggregate/identify.ts': '' }, { allowedCycles: allowed });
    expect(gone.violations).toEqual([]);
    expect(gone.stale).toEqual(allowed);
  });

  it('passes this repository except for the listed temporary circle', { timeout: 30_000 }, () => {
    const r: Result = checkLayers(join(__dirname, '../../..'));
    expect(r.violations).toEqual([]);
  });
});
