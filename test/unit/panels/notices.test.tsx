// @vitest-environment happy-dom
// What the panel says beside the recording: every tab recorded by the test switch, a partial
// restore, a frame whose instrumentation failed, refused batches; and an exported trace keeps
// the notices (meta.notices), which an opened trace shows again. The background's notices are
// said in the UI language, their English kept for traces.
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { packSnapshot } from '../../../src/aggregate/columns';
import { Notices, noticesOf } from '../../../panels/notices';
import { Store } from '../../../panels/store';
import { traceOf } from '../../../panels/files';
import { importTrace, stringifyTrace } from '../../../src/trace/format';
import type { TabNotice, TabState } from '../../../src/protocol/messages';
import { instrumentErrorNotice, partialRestoreNotice, tabNotices } from '../../../src/background/notices';
import type { Intake, RelayLink } from '../../../src/background/intake';
import { fixtureSnapshot } from './fixture';
import { inLanguage, leaveLanguage } from './in-language';

function mount(state: TabState) {
  const store = new Store(() => {}, null);
  store.apply({ t: 'snapshot', state, snapshot: packSnapshot(fixtureSnapshot()) });
  const root = document.createElement('div');
  document.body.append(root);
  act(() => render(<Notices state={store.state} />, root));
  return { store, root };
}

afterEach(() => document.body.replaceChildren());

const PARTIAL = 'Partial recording: a saved session could not be restored (not a Channel Inspector session state of a known version); what came before the background restarted is missing.';

describe('panel notices', () => {
  it('says nothing when there is nothing to say', () => {
    const { root } = mount({ tabId: 1, recording: true, preserveLog: false, recordAll: false, notices: [] });
    expect(root.querySelector('[data-testid=notices]')).toBeNull();
  });

  it('shows the record-all switch and every notice, one line each', () => {
    const { root } = mount({
      tabId: 1,
      recording: true,
      preserveLog: false,
      recordAll: true,
      notices: [
        { kind: 'partial-restore', message: PARTIAL },
        { kind: 'instrument-error', message: 'The instrumentation failed to install (install): Error: boom; this frame is not recorded.', frameId: 3, url: 'https://b.test/' },
        { kind: 'refused-batches', message: '2 batches naming a document of another frame were refused.', count: 2 },
      ],
    });
    const lines = [...root.querySelectorAll('[data-notice]')].map((e) => [e.getAttribute('data-notice'), e.textContent]);
    expect(lines.map((l) => l[0])).toEqual(['record-all', 'partial-restore', 'instrument-error', 'refused-batches']);
    expect(lines[0][1]).toMatch(/Every tab is being recorded/);
    expect(lines[1][1]).toBe(PARTIAL);
  });

  it('an exported trace keeps the notices and an opened one shows them', () => {
    const { store } = mount({ tabId: 1, recording: true, preserveLog: false, notices: [{ kind: 'partial-restore', message: PARTIAL }] });
    const doc = traceOf(store.state.live, null, noticesOf(store.state).map((n) => n.message));
    const back = importTrace(JSON.parse(stringifyTrace(doc)));
    expect(back.meta.notices).toEqual([PARTIAL]);
    act(() => store.openTrace(back, 'x.json'));
    expect(noticesOf(store.state).map((n) => n.message)).toEqual([PARTIAL]);
  });
});

describe('panel notices in the UI language', () => {
  afterEach(leaveLanguage);

  // Every notice the background makes, from its own producers: a partial restore, a failed
  // install, each cause of refused batches (one and several), failed writes.
  function everyNotice(): TabNotice[] {
    const intake = {
      refused: new Map([[1, { 'batch-other-frame': 1, 'batch-other-document': 2, 'batch-other-port': 3, 'batch-from-mars': 4 }]]),
      storeFailures: 2,
    } as unknown as Intake<RelayLink>;
    return tabNotices({ id: 1, notices: [partialRestoreNotice('chunk 3 of its messages is missing')], instrumentErrors: [instrumentErrorNotice('install', 'Error: boom', 3, 'https://b.test/')] }, intake);
  }

  async function renderIn(lang: string, notices: TabNotice[]): Promise<string[]> {
    inLanguage(lang);
    const { Notices: LocalNotices } = await import('../../../panels/notices');
    const { Store: LocalStore } = await import('../../../panels/store');
    const store = new LocalStore(() => {}, null);
    store.apply({ t: 'snapshot', state: { tabId: 1, recording: true, preserveLog: false, notices }, snapshot: packSnapshot(fixtureSnapshot()) });
    const root = document.createElement('div');
    document.body.append(root);
    act(() => render(<LocalNotices state={store.state} />, root));
    return [...root.querySelectorAll('[data-notice]')].map((e) => e.textContent ?? '');
  }

  it('keeps the English sentence for traces, rendered from the same catalogue', () => {
    const notices = everyNotice();
    expect(notices.map((n) => n.kind)).toEqual(['partial-restore', 'instrument-error', 'refused-batches', 'refused-batches', 'refused-batches', 'refused-batches', 'store-failed']);
    expect(notices.map((n) => n.message)).toEqual([
      'Partial recording: a saved session could not be restored (chunk 3 of its messages is missing); what came before the background restarted is missing.',
      'The instrumentation failed to install (install): Error: boom; this frame is not recorded.',
      '1 batch naming a document of another frame was refused.',
      '2 batches naming another document of the frame were refused.',
      '3 batches naming a document already sending on another connection were refused.',
      '4 batches were refused (batch-from-mars).',
      'Saving the recording failed 2 times: the frames keep those batches until it works.',
    ]);
  });

  it('says every notice in French, with no English left but what the page or the engine said', async () => {
    const notices = everyNotice();
    const lines = await renderIn('fr', notices);
    expect(lines).toHaveLength(notices.length);
    const english = /\b(partial recording|could not be restored|failed to install|is not recorded|batch(es)?|(was|were) refused|naming a|saving the recording|the frames keep|times?)\b/i;
    for (const [i, line] of lines.entries()) {
      // The parameters that stay as they were said: the error's text, the stage, an unknown cause.
      const words = line.replace('chunk 3 of its messages is missing', '').replace('Error: boom', '').replace('(install)', '').replace('batch-from-mars', '');
      expect(words, notices[i].kind).not.toMatch(english);
      expect(line).not.toBe(notices[i].message);
    }
    expect(lines[0]).toBe('Enregistrement partiel : une session sauvegardée n’a pas pu être restaurée (chunk 3 of its messages is missing) ; ce qui a précédé le redémarrage de l’arrière-plan manque.');
    expect(lines[2]).toMatch(/^1 lot .* a été refusé\.$/);
    expect(lines[6]).toMatch(/^L’enregistrement sur disque a échoué 2 fois/);
  });

  it('falls back to the English sentence when a notice has no text (an older checkpoint)', async () => {
    const lines = await renderIn('fr', [{ kind: 'partial-restore', message: PARTIAL }]);
    expect(lines).toEqual([PARTIAL]);
  });
});
