// @vitest-environment happy-dom
// The panel's views in another UI language: rendered with the French catalogue answering the
// browser's i18n.getMessage, no English text of the views' catalogue keys is left in what the
// user reads (text, tooltips, accessible names), while the English render does show them.
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { packSnapshot } from '../../../src/aggregate/columns';
import { fixtureSnapshot } from './fixture';
import { catalogue, inLanguage } from './in-language';

Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 });
Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 900 });

const frame = () => act(async () => void (await new Promise((r) => requestAnimationFrame(() => r(undefined)))));

/** Everything a user reads in the views, one string per text, tooltip or accessible name. */
function readable(root: Element): string {
  const parts = [root.textContent ?? ''];
  for (const el of root.querySelectorAll('[title],[aria-label],[placeholder]')) {
    for (const a of ['title', 'aria-label', 'placeholder']) parts.push(el.getAttribute(a) ?? '');
  }
  return parts.join('\n');
}

/** The panel rendered in `lang` (the panel modules read chrome.i18n when loaded): every view and a Details of each kind. */
async function renderAll(lang: string, snap = fixtureSnapshot()): Promise<string> {
  inLanguage(lang);
  const { App } = await import('../../../panels/app');
  const storeMod = await import('../../../panels/store');
  const { Store } = storeMod;
  const sel = await import('../../../panels/model/selection');
  const store = new Store(() => {}, null);
  store.apply({ t: 'snapshot', state: { tabId: 1, recording: true, preserveLog: false }, snapshot: packSnapshot(snap) });
  const root = document.createElement('div');
  document.body.append(root);
  act(() => render(<App store={store} host={{ openResource: () => {} }} />, root));
  const seen: string[] = [];
  const data = storeMod.shown(store.state);
  const picks = [
    sel.selectMessage(data.messages[0]),
    sel.selectMessage(data.messages[data.messages.length - 1]),
    sel.selectPort([...data.ports.values()][0]),
    sel.selectContext([...data.contexts.keys()][0]),
    ...(data.findings.length ? [sel.selectFinding(data.findings[0], 0)] : []),
  ];
  for (const view of ['topology', 'timeline', 'messages', 'findings', 'listeners'] as const) {
    act(() => store.setView(view));
    await frame();
    seen.push(readable(root));
  }
  for (const p of picks) {
    act(() => store.select(p));
    await frame();
    seen.push(readable(root));
  }
  act(() => render(null, root));
  return seen.join('\n');
}

afterEach(() => {
  delete (globalThis as { chrome?: unknown }).chrome;
  document.body.replaceChildren();
});

// The keys of the views this test covers, as their English texts without substitutions: long
// enough not to be a word the French text could hold by chance (a port name, an origin).
const VIEW_KEY = /^(ls|fd|ms|tl|tp|fb|dt|notice)[A-Z]/;
const englishTexts = () =>
  Object.entries(catalogue('en'))
    .filter(([k, v]) => VIEW_KEY.test(k) && !/\$\d/.test(v.message) && v.message.length >= 8 && v.message !== catalogue('fr')[k].message)
    .map(([, v]) => v.message);
/** The text as a whole phrase: "Transfer" is not in "Transfert". */
const has = (hay: string, t: string) => new RegExp(`(?<!\\p{L})${t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!\\p{L})`, 'u').test(hay);

describe('the views in French', () => {
  it('show none of the English texts the English render shows', async () => {
    const en = await renderAll('en');
    const shownInEnglish = englishTexts().filter((t) => has(en, t));
    // Not vacuous: the fixture brings up a good share of the views' texts.
    expect(shownInEnglish.length).toBeGreaterThan(15);
    const fr = await renderAll('fr');
    expect(shownInEnglish.filter((t) => has(fr, t))).toEqual([]);
    expect(fr).toContain('Afficher les messages');
    // A finding's sentence and its rule's title, from the catalogue.
    expect(en).toContain('1 message was never delivered to port #4 in worker 127.0.0.1:8000/demo/worker.js');
    expect(fr).toContain("1 message n’a jamais été remis à port #4 dans worker 127.0.0.1:8000/demo/worker.js : il a un écouteur 'message' posé par addEventListener");
    expect(fr).not.toContain('was never delivered');
    expect(fr).toContain('Messages bloqués sur un port jamais démarré');
    expect(fr).not.toContain('Messages stuck on a port that was never started');
    // The rule's explanation in Details (the fixture's first finding is picked).
    expect(en).toContain("A MessagePort's message queue starts disabled.");
    expect(fr).toContain('La file de messages d’un MessagePort est désactivée au départ.');
    expect(fr).toContain('Sélectionnez un message');
  });
});

describe('the Findings view in French', () => {
  it('words the rules a recording cannot judge from the catalogue, rule ids as they are', async () => {
    // A recording without window sends: the two targetOrigin rules cannot be judged.
    const snap = () => {
      const s = fixtureSnapshot();
      for (const m of s.messages) if (m.via === 'window') Object.assign(m, { sentAt: null, targetOrigin: null });
      return s;
    };
    const en = await renderAll('en', snap());
    expect(en).toContain(
      'Not judged on this recording: target-origin-mismatch, wildcard-target-origin (this recording has no window.postMessage sends: a page recording sees a window message only where it is delivered, without its targetOrigin).',
    );
    const fr = await renderAll('fr', snap());
    expect(fr).toContain(
      'Non évalué sur cet enregistrement : target-origin-mismatch, wildcard-target-origin (cet enregistrement ne contient aucun envoi window.postMessage : un enregistrement de page ne voit un message de fenêtre que là où il est remis, sans son targetOrigin).',
    );
    expect(fr).not.toContain('Not judged');
  });
});


describe('the replay form and the payload tree in French', () => {
  it('word the form, its targets and the tree from the catalogue, JS type names as they are', async () => {
    const seen: Record<string, string> = {};
    for (const lang of ['en', 'fr']) {
      inLanguage(lang);
      const { Replay } = await import('../../../panels/replay');
      const storeMod = await import('../../../panels/store');
      const { treeRows } = await import('../../../panels/model/payload-tree');
      const store = new storeMod.Store(() => {}, null);
      store.apply({ t: 'snapshot', state: { tabId: 1, recording: true, preserveLog: false }, snapshot: packSnapshot(fixtureSnapshot()) });
      const data = storeMod.shown(store.state);
      const m = data.messages.find((x) => x.via === 'port' && x.sample !== null)!;
      const root = document.createElement('div');
      document.body.append(root);
      act(() => render(<Replay m={m} store={store} data={data} live />, root));
      act(() => (root.querySelector('[data-testid=replay-edit]') as HTMLButtonElement).click());
      const text = root.querySelector('[data-testid=replay-text]') as HTMLTextAreaElement;
      text.value = '{ a: }';
      act(() => void text.dispatchEvent(new Event('input')));
      const sample = {
        $: 'object',
        entries: [
          ['buf', { $: 'bytes', kind: 'ArrayBuffer', byteLength: 40, head: [1, 2] }],
          ['list', { $: 'array', items: [{ $: 'hole' }], length: 3 }],
          ['m', { $: 'map', entries: [[{ $: 'object', entries: [], count: 2 }, 1]], size: 1 }],
          ['p', { $: 'port' }],
        ],
        count: 5,
      } as const;
      const rows = treeRows(sample as never, new Set(['r', 'r/1', 'r/2', 'r/2/0']));
      seen[lang] = [readable(root), ...rows.flatMap((r) => [r.label ?? '', r.text, r.note ?? ''])].join('\n');
      act(() => render(null, root));
      document.body.replaceChildren();
    }
    const { en, fr } = seen;
    for (const t of ['Replay', 'Edit & replay', 'The value to send', 'Target', 'Send', 'as the original: on port', 'Line 1, column 6:', 'Object {5 keys}', 'ArrayBuffer(40 bytes) 01 02 …', 'first 2 bytes of 40', 'a hole in the array', '… 2 more entries', 'key', 'it arrived in event.ports too']) {
      expect(en).toContain(t);
    }
    for (const t of ['Rejouer', 'Modifier et rejouer', 'La valeur à envoyer', 'Cible', 'Envoyer', 'comme l’original : sur le port', 'Ligne 1, colonne 6 :', 'Object {5 clés}', 'ArrayBuffer(40 octets) 01 02 …', '2 premiers octets sur 40', 'un trou dans le tableau', '… 2 entrées de plus', 'clé', 'il est aussi arrivé dans event.ports']) {
      expect(fr).toContain(t);
    }
    for (const t of ['Edit & replay', 'The value to send', 'as the original', 'Line 1', '5 keys', '40 bytes', 'a hole in the array', 'more entries', 'event.ports too']) {
      expect(fr).not.toContain(t);
    }
  });
});

describe('outcome reasons in French', () => {
  it('show a phrase per reason code, keep the code in the tooltip, and the filter matches either', async () => {
    const shown: Record<string, string> = {};
    const found: Record<string, number[]> = {};
    for (const lang of ['en', 'fr']) {
      shown[lang] = await renderAll(lang);
      // renderAll left the modules of `lang` loaded.
      const storeMod = await import('../../../panels/store');
      const { filterMessages, NO_FILTER } = await import('../../../panels/model/filter');
      const store = new storeMod.Store(() => {}, null);
      store.apply({ t: 'snapshot', state: { tabId: 1, recording: true, preserveLog: false }, snapshot: packSnapshot(fixtureSnapshot()) });
      const data = storeMod.shown(store.state);
      const ids = (text: string) => filterMessages(data, { ...NO_FILTER, text }, null).map((i) => data.messages[i].id);
      found[`${lang} code`] = ids('port-shipped');
      found[`${lang} phrase`] = ids('port transféré');
    }
    // English: the code after the outcome word, as always.
    expect(shown.en).toContain('dropped: port-shipped');
    expect(shown.fr).toContain('perdu : port transféré');
    expect(shown.fr).toContain('perdu : port transféré (port-shipped)');
    expect(shown.fr).not.toContain('perdu : port-shipped');
    expect(found['en code']).toEqual([6]);
    expect(found['fr code']).toEqual([6]);
    expect(found['fr phrase']).toEqual([6]);
    expect(found['en phrase']).toEqual([]);
  });
});

describe('the toolbar counts', () => {
  /** The toolbar's counts line in `lang` for the fixture with `keep` of its messages. */
  async function status(lang: string, keep: number) {
    inLanguage(lang);
    const { Toolbar } = await import('../../../panels/toolbar');
    const storeMod = await import('../../../panels/store');
    const store = new storeMod.Store(() => {}, null);
    const snap = fixtureSnapshot();
    const some = snap.messages;
    // More than the fixture holds: copies of its messages under new ids.
    snap.messages = Array.from({ length: keep }, (_, i) => ({ ...some[i % some.length], id: i < some.length ? some[i].id : 10_000 + i }));
    store.apply({ t: 'snapshot', state: { tabId: 1, recording: true, preserveLog: false }, snapshot: packSnapshot(snap) });
    const root = document.createElement('div');
    document.body.append(root);
    act(() => render(<Toolbar store={store} state={store.state} onImport={() => {}} />, root));
    const el = root.querySelector('[data-testid=status]')!;
    const text = el.textContent!.replace(/\s+/g, ' ').trim();
    // What the e2e helpers read (test/support/panel-reads.ts readCounts): the digits of the locale's number.
    const counts = Number(el.querySelector('[data-count=messages]')!.textContent!.replace(/[^0-9]/g, ''));
    act(() => render(null, root));
    document.body.replaceChildren();
    return { text, counts };
  }

  it('agree the word with the count in each language and write the count as the locale writes numbers', async () => {
    expect((await status('en', 1)).text).toMatch(/ · 1 message(?: ·|$)/);
    expect((await status('en', 3)).text).toMatch(/ · 3 messages(?: ·|$)/);
    const fr1 = await status('fr', 1);
    expect(fr1.text).toMatch(/ · 1 message(?: ·|$)/);
    expect(fr1.counts).toBe(1);
    expect((await status('fr', 3)).text).toMatch(/ · 3 messages(?: ·|$)/);
    expect((await status('fr', 1)).text).not.toMatch(/\b1 (contextes|ports|messages|constats)\b/);
    // Counts are written as the locale writes numbers, and read back as the same number.
    const en = await status('en', 1234);
    expect(en.text).toMatch(/ · 1,234 messages(?: ·|$)/);
    expect(en.counts).toBe(1234);
    const fr = await status('fr', 1234);
    expect(fr.text).toMatch(/ · 1\s234 messages(?: ·|$)/u);
    expect(fr.counts).toBe(1234);
  });
});

describe("a port's identity reason in French", () => {
  it('is said from its key in Details and the Topology tooltip, its English `why` kept for traces', async () => {
    const snap = () => {
      const s = fixtureSnapshot();
      s.ports[0].identity = {
        status: 'unknown',
        candidates: [2],
        why: 'came from a worker whose inside is not seen: made there, or one of the ports it held',
        text: { key: 'idWhy_worker_inside', args: [] },
      };
      return s;
    };
    const en = await renderAll('en', snap());
    expect(en).toContain('(came from a worker whose inside is not seen: made there, or one of the ports it held)');
    const fr = await renderAll('fr', snap());
    expect(fr).toContain('(venu d’un worker dont l’intérieur n’est pas vu : créé là-bas, ou l’un des ports qu’il tenait)');
    expect(fr).not.toContain('whose inside is not seen');
  });
});

describe("a worker's outside-only note in French", () => {
  it('is said from its key in the Topology tooltip, its English note kept for traces', async () => {
    const snap = () => {
      const s = fixtureSnapshot();
      const w = s.contexts.find((c) => c.kind === 'worker')!;
      w.inside = { recorded: false, why: 'switch-off', note: 'not recorded inside: "Record inside workers" is off', text: { key: 'inWhy_switch_off', args: [{ text: { key: 'tbWorkers', args: [] } }] } };
      return s;
    };
    const en = await renderAll('en', snap());
    expect(en).toContain('not recorded inside: "Record inside workers" is off');
    const fr = await renderAll('fr', snap());
    const frSwitch = catalogue('fr').tbWorkers.message;
    expect(fr).toContain(`non enregistré de l’intérieur : « ${frSwitch} » est désactivé`);
    expect(fr).not.toContain('not recorded inside');
  });
});

describe('the call section, trace-open errors, copy reasons and sizes in French', () => {
  it('word what was left in code from the catalogue', async () => {
    const seen: Record<string, string> = {};
    for (const lang of ['en', 'fr']) {
      inLanguage(lang);
      const { CallDetails } = await import('../../../panels/call');
      const { describeImportError } = await import('../../../panels/files');
      const { payloadCopy } = await import('../../../panels/store-global');
      const { TraceImportError } = await import('../../../src/trace/format');
      const storeMod = await import('../../../panels/store');
      const store = new storeMod.Store(() => {}, null);
      const snap = fixtureSnapshot();
      const [a, b] = snap.messages.filter((x) => x.via === 'port');
      a.call = { protocol: 'comlink', role: 'request', label: 'APPLY add(2, 3)', id: '7', pairedWith: b.id, latencyMs: 3 } as never;
      b.call = { protocol: 'comlink', role: 'response', label: 'reply ok 5', id: '7', pairedWith: 999999, latencyMs: null } as never;
      store.apply({ t: 'snapshot', state: { tabId: 1, recording: true, preserveLog: false }, snapshot: packSnapshot(snap) });
      const data = storeMod.shown(store.state);
      const root = document.createElement('div');
      document.body.append(root);
      const parts: string[] = [];
      for (const m of [a, b]) {
        act(() => render(<CallDetails m={data.messages.find((x) => x.id === m.id)!} data={data} store={store} />, root));
        parts.push(readable(root));
      }
      act(() => render(null, root));
      parts.push(describeImportError(new TraceImportError('not-json', '', 'Unexpected end')));
      const noSample = payloadCopy({ ...a, sample: null } as never);
      parts.push('why' in noSample ? noSample.why : '');
      const { bytes } = await import('../../../panels/model/format');
      parts.push(bytes(1536), bytes(3 * 1024 * 1024));
      seen[lang] = parts.join('\n');
    }
    const { en, fr } = seen;
    for (const t of ['Call', 'Protocol', 'request', 'Reply', 'Latency', 'no longer in the recording', 'This is not a trace file', 'the payload was not recorded', '1.5 kB', '3.0 MB']) expect(en).toContain(t);
    for (const t of ['Appel', 'Protocole', 'requête', 'Réponse', 'Latence', 'plus dans l’enregistrement', 'Ce n’est pas un fichier de trace', 'Unexpected end', 'la charge utile n’a pas été enregistrée', '1,5 ko', '3,0 Mo']) expect(fr).toContain(t);
    for (const t of ['Protocol\n', 'Reply', 'Latency', 'no longer in the recording', 'This is not a trace file', 'the payload was not recorded']) expect(fr).not.toContain(t);
  });
});
