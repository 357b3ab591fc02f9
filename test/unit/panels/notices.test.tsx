// @vitest-environment happy-dom
// What the panel says beside the recording: every tab recorded by the test switch, a partial
// restore, a frame whose instrumentation failed, refused batches; and an exported trace keeps
// the notices (meta.notices), which an opened trace shows again.
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { packSnapshot } from '../../../src/aggregate/columns';
import { Notices, noticesOf } from '../../../panels/notices';
import { Store } from '../../../panels/store';
import { traceOf } from '../../../panels/files';
import { importTrace, stringifyTrace } from '../../../src/trace/format';
import type { TabState } from '../../../src/protocol/messages';
import { fixtureSnapshot } from './fixture';

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
