// @vitest-environment happy-dom
// Details says why a decoded request or response has no pair (CallRecord.unpaired), in the UI
// language, and says nothing of the kind on a pair.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { packSnapshot } from '../../../src/aggregate/columns';
import { substitute } from '../../../src/i18n/lookup';
import { CALL_UNPAIRED, type CallUnpaired } from '../../../src/protocol/enums';
import { fixtureSnapshot } from './fixture';

type Catalogue = Record<string, { message: string }>;
const catalogue = (lang: string) => JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '_locales', lang, 'messages.json'), 'utf8')) as Catalogue;

/** The Why row of each unpaired reason (and of a pair: null), rendered in `lang`. */
async function whyRows(lang: string): Promise<Map<CallUnpaired | 'paired', string | null>> {
  const cat = catalogue(lang);
  vi.resetModules();
  (globalThis as { chrome?: unknown }).chrome = {
    i18n: { getMessage: (k: string, s?: string[]) => (cat[k] ? substitute(cat[k].message, s ?? []) : ''), getUILanguage: () => lang },
  };
  const { CallDetails } = await import('../../../panels/call');
  const storeMod = await import('../../../panels/store');
  const store = new storeMod.Store(() => {}, null);
  const snap = fixtureSnapshot();
  const [a, b] = snap.messages.filter((x) => x.via === 'port');
  store.apply({ t: 'snapshot', state: { tabId: 1, recording: true, preserveLog: false }, snapshot: packSnapshot(snap) });
  const data = storeMod.shown(store.state);
  const m = data.messages.find((x) => x.id === a.id)!;
  const root = document.createElement('div');
  document.body.append(root);
  const out = new Map<CallUnpaired | 'paired', string | null>();
  for (const why of [...CALL_UNPAIRED, 'paired'] as const) {
    const call = { protocol: 'jsonrpc', role: 'request' as const, label: 'call m()', id: '7', pairedWith: why === 'paired' ? b.id : null, latencyMs: null, ...(why === 'paired' ? {} : { unpaired: why }) };
    act(() => render(<CallDetails m={{ ...m, call }} data={data} store={store} />, root));
    const row = root.querySelector('[data-testid=call-unpaired]');
    out.set(why, row ? `${row.getAttribute('data-unpaired')}: ${row.textContent}` : null);
  }
  act(() => render(null, root));
  root.remove();
  return out;
}

describe('why a call has no pair, in Details', () => {
  it('gives each reason its own sentence in English and in French, and none on a pair', async () => {
    const en = await whyRows('en');
    const fr = await whyRows('fr');
    expect(en.get('paired')).toBeNull();
    expect(fr.get('paired')).toBeNull();
    const sentences = new Set<string>();
    for (const why of CALL_UNPAIRED) {
      const e = en.get(why) as string;
      const f = fr.get(why) as string;
      expect(e.startsWith(`${why}: `), why).toBe(true);
      expect(f.startsWith(`${why}: `), why).toBe(true);
      expect(f, why).not.toBe(e);
      sentences.add(e);
    }
    expect(sentences.size).toBe(CALL_UNPAIRED.length);
    expect(en.get('ambiguous')).toContain('100 ms');
    expect(en.get('forgotten')).toContain('10,000');
    expect(fr.get('forgotten')).toMatch(/10\s000/);
    expect(en.get('unseen')).toContain('No reply with this id');
    expect(fr.get('unseen')).toContain('Aucune réponse');
  });
});
