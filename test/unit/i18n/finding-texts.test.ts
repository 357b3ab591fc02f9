// The audit's findings in the user's language: each rule names the catalogue keys of its
// sentences, every catalogue has them and the rule's title, and a finding rendered with the
// French catalogue reads French (numbers and sizes in French formats) while its English
// `message`, which the CLI and traces carry, stays the same sentence.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES, RULE_TEXTS, explanationKey, runAudit, titleKey, type AuditFinding } from '../../../src/audit';
import { ENGLISH } from '../../../src/audit/text';
import { findingsJson } from '../../../src/cli/audit';
import { formatsFor } from '../../../src/i18n/format';
import { renderFindingText, type Wording } from '../../../src/i18n/finding-text';
import { substitute, type MessageKey } from '../../../src/i18n/lookup';
import type { FindingText } from '../../../src/protocol/session';
import { CHILD, MiB, Snap, TOP } from '../audit/build';

const LANGS = ['en', 'fr', 'ko', 'zh_CN', 'zh_TW'];
type Catalogue = Record<string, { message: string }>;
const catalogue = (lang: string) => JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '_locales', lang, 'messages.json'), 'utf8')) as Catalogue;

function wording(lang: string): Wording {
  const cat = catalogue(lang);
  const f = formatsFor(lang);
  return { say: (k, ...s) => substitute(cat[k]?.message ?? `<${k}?>`, s), number: f.number, fixed: f.fixed };
}

/** What is wrong with the rules' texts in the catalogues: a rule with no sentence key, or a key or title a catalogue lacks. */
function missingTexts(rules: readonly { id: string }[], texts: ReadonlyMap<string, readonly string[]>, cats: Record<string, Catalogue>): string[] {
  const out: string[] = [];
  for (const r of rules) {
    const keys = texts.get(r.id) ?? [];
    if (!keys.length) out.push(`${r.id}: no texts`);
    for (const [lang, cat] of Object.entries(cats)) {
      for (const k of [titleKey(r.id), explanationKey(r.id), ...keys]) if (!cat[k]?.message) out.push(`${lang}: ${r.id} lacks ${k}`);
    }
  }
  return out;
}

/** Every key a sentence uses, nested sentences included. */
function keysOf(t: FindingText): string[] {
  return [t.key, ...t.args.flatMap((a) => ('text' in a ? keysOf(a.text) : []))];
}

/** A page with a finding of most rules. */
function messy(): AuditFinding[] {
  const s = new Snap();
  const top = s.ctx(TOP);
  const child = s.ctx(CHILD, { parent: top });
  const worker = s.ctx('http://127.0.0.1:8080/decode.js', { parent: top, kind: 'worker' });
  const [a, b] = s.channel(top);
  s.listen(a);
  s.ship(b, child);
  s.listen(b);
  s.dropped(b, 'port-shipped', { fromContext: top, stack: 'at x (a.js:1:1)' });
  s.window(top, child, { targetOrigin: '*', stack: 'at y (a.js:2:1)' });
  s.close(a);
  s.dropped(a, 'port-closed');
  s.dropped(a, 'port-closed');
  s.window(null, top, { sentAt: null, origin: 'http://localhost:8080', originRead: false });
  s.msg({ via: 'worker', fromContext: top, toContext: worker, bufferBytes: 2 * MiB });
  s.msg({ via: 'worker', fromContext: top, toContext: worker, bufferBytes: 1 * MiB });
  return runAudit(s.build());
}

describe('findings in five languages', () => {
  const cats = Object.fromEntries(LANGS.map((l) => [l, catalogue(l)]));

  it('every rule has its sentence keys, its title and its explanation in each catalogue', () => {
    expect(missingTexts(RULES, RULE_TEXTS as ReadonlyMap<string, readonly string[]>, cats)).toEqual([]);
    for (const r of RULES) {
      expect(cats.en[titleKey(r.id)].message, r.id).toBe(r.title);
      expect(cats.en[explanationKey(r.id)].message, r.id).toBe(r.explanation);
    }
  });

  it('the check fails on a rule without its texts, or a catalogue without them', () => {
    const rule = { id: 'new-rule' };
    expect(missingTexts([rule], new Map(), cats)).toContain('new-rule: no texts');
    const lacking = { ...cats, ko: { ...cats.ko } };
    delete lacking.ko.fxNoListener_one;
    expect(missingTexts([{ id: 'no-listener' }], RULE_TEXTS as ReadonlyMap<string, readonly string[]>, lacking)).toEqual(['ko: no-listener lacks fxNoListener_one']);
  });

  it('each finding carries the key of one of its rule’s texts, and renders in English as its message', () => {
    const found = messy();
    expect(new Set(found.map((f) => f.rule)).size).toBeGreaterThanOrEqual(5);
    for (const f of found) {
      expect(f.text, f.rule).toBeDefined();
      for (const k of keysOf(f.text!)) expect([...(RULE_TEXTS.get(f.rule) ?? [])], `${f.rule} ${k}`).toContain(k as MessageKey);
      expect(renderFindingText(f.text!, ENGLISH)).toBe(f.message);
    }
  });

  it('reads French with French numbers, and keeps no English sentence', () => {
    const found = messy();
    const fr = wording('fr');
    const said = found.map((f) => renderFindingText(f.text!, fr));
    expect(said).toContain('2 messages postés sur port #1 ont été abandonnés, car close() avait déjà été appelé sur lui.');
    expect(said).toContain('2 messages de page 127.0.0.1:8080/index.html vers worker 127.0.0.1:8080/decode.js ont copié 3,0 MB de données ArrayBuffer (le plus grand : 2,0 MB) au lieu de les transférer.');
    for (const [i, f] of found.entries()) {
      expect(said[i]).not.toBe(f.message);
      expect(said[i]).not.toContain('<');
    }
    // Korean and Chinese render every finding from their own catalogues too.
    for (const lang of ['ko', 'zh_CN', 'zh_TW']) for (const f of found) expect(renderFindingText(f.text!, wording(lang))).not.toMatch(/<fx|message posted|was dropped/);
  });

  it('leaves `audit --json` as it was: English messages, no sentence keys', () => {
    const found = messy();
    const json = JSON.parse(findingsJson(found, 'error', 't.json')) as { findings: Record<string, unknown>[] };
    expect(json.findings.map((f) => f.message)).toEqual(found.map((f) => f.message));
    expect(json.findings.every((f) => !('text' in f))).toBe(true);
  });

  it('keeps the English message for a sentence whose key this build does not know', () => {
    expect(renderFindingText({ key: 'fxFromTheFuture', args: [] }, wording('fr'))).toBeNull();
  });
});
