// The panel's breakpoint list against the background's answers: each edit is posted at once and
// answered later, and answers may cross newer edits. The list shown must never go back to an
// older edit, or an edit made on top of that stale list loses a breakpoint for good.
import { describe, expect, it } from 'vitest';
import type { BackgroundToPanel, BreakpointSpec, PanelToBackground } from '../../../src/protocol/messages';
import { Store } from '../../../panels/store';

/** A background that keeps the last list it got and answers each edit when told to. */
function wired() {
  const posted: Extract<PanelToBackground, { t: 'breakpoints' }>[] = [];
  const store = new Store((m) => {
    if (m.t === 'breakpoints') posted.push(m);
  });
  let kept: { list: BreakpointSpec[]; rev: number } = { list: [], rev: 0 };
  const answer = (edit: number) => {
    const m = posted[edit];
    kept = { list: m.list, rev: m.rev };
    store.apply({ t: 'breakpoints', list: kept.list, key: 'k', rev: kept.rev } satisfies BackgroundToPanel);
  };
  store.apply({ t: 'breakpoints', list: [], key: 'k', rev: 0 });
  return { store, posted, answer, kept: () => kept };
}
const texts = (s: Store) => s.state.breakpoints.map((b) => `${b.id}:${b.on}:${b.enabled}`);

describe('panel breakpoint list', () => {
  it('keeps an edit made before the answer to the previous one came back', () => {
    const { store, posted, answer } = wired();
    store.addBreakpoint({ on: 'deliver', protocol: 'comlink', call: 'APPLY add' });
    answer(0);
    // Disable the first, then add a second before the background answered the disabling.
    store.toggleBreakpoint(1, false);
    store.addBreakpoint({ on: 'send', outcome: 'dropped' });
    expect(texts(store)).toEqual(['1:deliver:false', '2:send:true']);
    // The answer to the disabling arrives now, carrying the list of that edit.
    answer(1);
    expect(texts(store)).toEqual(['1:deliver:false', '2:send:true']);
    // A third edit made now still has the second breakpoint.
    store.addBreakpoint({ on: 'deliver', text: 'hello' });
    expect(posted.at(-1)!.list.map((b) => b.id)).toEqual([1, 2, 3]);
    answer(2);
    answer(3);
    expect(texts(store)).toEqual(['1:deliver:false', '2:send:true', '3:deliver:true']);
  });

  it('takes the background’s list when a new panel opens on a tab that has breakpoints', () => {
    const store = new Store(() => {});
    const list: BreakpointSpec[] = [{ id: 4, on: 'send', enabled: true }];
    store.apply({ t: 'breakpoints', list, key: 'k', rev: 9 });
    expect(store.state.breakpoints).toEqual(list);
    // Its next edit is numbered after the background's, so that its answer is taken.
    const posted: PanelToBackground[] = [];
    const s2 = new Store((m) => posted.push(m));
    s2.apply({ t: 'breakpoints', list, key: 'k', rev: 9 });
    s2.removeBreakpoint(4);
    expect(posted.at(-1)).toMatchObject({ t: 'breakpoints', list: [], rev: 10 });
    s2.apply({ t: 'breakpoints', list: [], key: 'k', rev: 10 });
    expect(s2.state.breakpoints).toEqual([]);
  });
});
