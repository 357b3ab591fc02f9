// The message catalogues against the code: every key the code asks for is in each of the five
// catalogues, every catalogue key is asked for somewhere, and the five hold the same keys with
// the same $n substitutions. Runs in `npm test` (unit).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeLookup, substitute } from '../../../src/i18n/lookup';
import { formatsFor } from '../../../src/i18n/format';
import { RULES, RULE_TEXTS, explanationKey, titleKey } from '../../../src/audit';

const ROOT = join(__dirname, '..', '..', '..');
const LANGS = ['en', 'fr', 'ko', 'zh_CN', 'zh_TW'];
const catalogue = (lang: string) => JSON.parse(readFileSync(join(ROOT, '_locales', lang, 'messages.json'), 'utf8')) as Record<string, { message: string }>;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : /\.(ts|tsx)$/.test(name) ? [p] : [];
  });
}

/** Keys the code asks for: msg('key' …), getMessage('key' …) and the manifest's __MSG_key__. */
function usedKeys(): Set<string> {
  const used = new Set<string>();
  for (const dir of ['panels', 'extension', 'src']) {
    for (const file of sources(join(ROOT, dir))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\b(?:msg|getMessage|say)\(\s*'([A-Za-z0-9_@]+)'/g)) used.add(m[1]);
    }
  }
  // The audit's rules name their sentences' keys in `texts`, and their titles by id.
  for (const r of RULES) {
    used.add(titleKey(r.id));
    used.add(explanationKey(r.id));
    for (const k of RULE_TEXTS.get(r.id) ?? []) used.add(k);
  }
  for (const m of readFileSync(join(ROOT, 'manifest.json'), 'utf8').matchAll(/__MSG_([A-Za-z0-9_@]+)__/g)) used.add(m[1]);
  return used;
}

const placeholders = (s: string) => [...s.matchAll(/\$([1-9])/g)].map((m) => m[1]).sort().join(',');

describe('message catalogues', () => {
  const used = usedKeys();

  it.each(LANGS)('%s has every key the code uses', (lang) => {
    const keys = new Set(Object.keys(catalogue(lang)));
    expect([...used].filter((k) => !keys.has(k))).toEqual([]);
  });

  it.each(LANGS)('%s has no key the code does not use', (lang) => {
    expect(Object.keys(catalogue(lang)).filter((k) => !used.has(k))).toEqual([]);
  });

  it.each(LANGS.slice(1))('%s has the same keys and substitutions as en, each translated', (lang) => {
    const en = catalogue('en');
    const other = catalogue(lang);
    expect(Object.keys(other).sort()).toEqual(Object.keys(en).sort());
    for (const [k, v] of Object.entries(en)) {
      expect(placeholders(other[k].message), `${lang} ${k}`).toBe(placeholders(v.message));
      expect(other[k].message.trim(), `${lang} ${k}`).not.toBe('');
    }
  });

  it('finds the checks’ own failure: a key used only in a test string is flagged', () => {
    const keys = new Set(Object.keys(catalogue('en')));
    expect(keys.has('noSuchKeyAnywhere')).toBe(false);
    expect(used.has('bpAdd') && used.has('extName')).toBe(true);
  });
});

describe('lookup and formats', () => {
  it('substitutes $1…$9 as the browsers do, and falls back to English', () => {
    expect(substitute('Stored as $1 in $2 ($$)', ['temp1', 'here'])).toBe('Stored as temp1 in here ($)');
    const fr = makeLookup((key, subs) => (key === 'bpAdded' ? substitute(catalogue('fr').bpAdded.message, subs ?? []) : ''));
    expect(fr('bpAdded', 'x')).toBe('Point d’arrêt ajouté : x');
    expect(fr('bpRemove')).toBe('Remove');
  });

  it('writes numbers and sizes per locale', () => {
    expect(formatsFor('en').number(1234567)).toBe('1,234,567');
    expect(formatsFor('fr').number(1234567)).toMatch(/^1\s234\s567$/);
    expect(formatsFor('zh_CN').size(2048)).toMatch(/^2\s?kB$/i);
    expect(formatsFor('ko').size(512)).toMatch(/512/);
    expect(formatsFor('en').duration(1500)).toBe('1.5 sec');
    expect(formatsFor('fr').duration(1500)).toMatch(/^1,5\s?s$/);
    expect(formatsFor('en').fixed(2, 1)).toBe('2.0');
    expect(formatsFor('fr').fixed(1234.5, 3)).toMatch(/^1\s234,500$/);
    expect(formatsFor('zh_TW').fixed(0.25, 2)).toBe('0.25');
  });
});
