// @vitest-environment happy-dom
// Details says why a decoded request or response has no pair (CallRecord.unpaired), and why the
// delivery of a message sent into a worker not recorded inside cannot be seen, in the UI
// language; and says nothing of the kind on a pair or a delivered message.
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { packSnapshot } from '../../../src/aggregate/columns';
import { CALL_UNPAIRED, type CallUnpaired } from '../../../src/protocol/enums';
import { fixtureSnapshot } from './fixture';
import { inLanguage, leaveLanguage } from './in-language';

afterEach(leaveLanguage);

/** The Why row of each unpaired reason (and of a pair: null), rendered in `lang`. */
async function whyRows(lang: string): Promise<Map<CallUnpaired | 'paired', string | null>> {
  inLanguage(lang);
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

describe('a message sent into a worker not recorded inside, in Details', () => {
  async function outOfSight(lang: string, sent: boolean): Promise<string | null> {
    inLanguage(lang);
    const { App } = await import('../../../panels/app');
    const storeMod = await import('../../../panels/store');
    const sel = await import('../../../panels/model/selection');
    const snap = fixtureSnapshot();
    const worker = snap.contexts.find((c) => c.kind === 'worker')!;
    worker.kind = 'serviceworker';
    worker.inside = { recorded: false, why: 'not-dedicated', note: 'not recorded inside: only dedicated workers are instrumented from inside, not a service worker', text: { key: 'inWhy_service_worker', args: [] } };
    const m = snap.messages.find((x) => x.via === 'worker' && x.toContext === worker.id)!;
    if (sent) Object.assign(m, { deliveredAt: null, outcome: { status: 'sent', reason: null } });
    const store = new storeMod.Store(() => {}, null);
    store.apply({ t: 'snapshot', state: { tabId: 1, recording: true, preserveLog: false }, snapshot: packSnapshot(snap) });
    const root = document.createElement('div');
    document.body.append(root);
    act(() => render(<App store={store} host={{ openResource: () => {} }} />, root));
    act(() => store.select(sel.selectMessage(storeMod.shown(store.state).messages.find((x) => x.id === m.id)!)));
    await act(async () => void (await new Promise((r) => requestAnimationFrame(() => r(undefined)))));
    const note = root.querySelector('[data-delivery-out-of-sight]');
    const out = note ? `${note.getAttribute('data-delivery-out-of-sight')}: ${note.textContent}` : null;
    act(() => render(null, root));
    root.remove();
    return out;
  }

  it('says its delivery cannot be seen and why, in English and French; nothing once delivered', async () => {
    expect(await outOfSight('en', true)).toBe('not-dedicated: its delivery cannot be seen (the receiver is not recorded inside: only dedicated workers are instrumented from inside, not a service worker)');
    const fr = await outOfSight('fr', true);
    expect(fr).toContain('sa remise ne peut pas être vue');
    expect(fr).toContain('service worker');
    expect(fr).not.toContain('cannot be seen');
    expect(await outOfSight('en', false)).toBeNull();
  });
});
