// @vitest-environment happy-dom
// The panel's components rendered into a DOM in Node (happy-dom): what a user sees of the
// fixture recording in each view, what a click or a key does, and that page data stays text.
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { packSnapshot } from '../../../src/aggregate/columns';
import { exportTrace, stringifyTrace } from '../../../src/trace/format';
import { App, type Host } from '../../../panels/app';
import { Store, type ViewName } from '../../../panels/store';
import { fixtureSnapshot, HOSTILE } from './fixture';

// happy-dom does no layout: give every element a panel-sized box so the virtualized table
// has room for rows (this stands in for the browser's layout, not for anything under test).
Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 600 });
Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 900 });

/** The store re-renders the views once per animation frame: let one pass. */
const frame = () => act(async () => void (await new Promise((r) => requestAnimationFrame(() => r(undefined)))));

const opened: [string, number][] = [];
const host: Host = { openResource: (url, line) => void opened.push([url, line]) };

function mount(snapshot = fixtureSnapshot()) {
  const sent: unknown[] = [];
  const store = new Store((m) => void sent.push(m), null);
  store.apply({ t: 'snapshot', state: { tabId: 1, recording: true, preserveLog: false }, snapshot: packSnapshot(snapshot) });
  const root = document.createElement('div');
  document.body.append(root);
  act(() => render(<App store={store} host={host} />, root));
  const show = async (view: ViewName) => {
    act(() => store.setView(view));
    await frame();
  };
  return { store, root, sent, show };
}

afterEach(() => {
  document.body.replaceChildren();
  opened.length = 0;
});

const all = (root: Element, selector: string) => [...root.querySelectorAll(selector)];
const tabCount = (root: Element, view: string) => root.querySelector(`[data-view=${view}] .count`)?.textContent;

describe('panel components in a DOM', () => {
  it('the tabs count what the recording holds, and arrow keys move between views', async () => {
    const { root, store } = mount();
    expect(tabCount(root, 'messages')).toBe('7');
    expect(tabCount(root, 'findings')).toBe('2');
    const tab = root.querySelector<HTMLElement>('[data-view=topology]')!;
    act(() => void tab.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true })));
    expect(store.state.view).toBe('timeline');
    await frame();
    expect(root.querySelector('[data-active-view]')!.getAttribute('data-active-view')).toBe('timeline');
  });

  it('Topology: every port on its context, and a click selects the port', async () => {
    const { root, store, show } = mount();
    await show('topology');
    const ports = all(root, '[data-port-id]');
    expect(new Set(ports.map((p) => p.getAttribute('data-port-id')))).toEqual(new Set(['1', '2', '3', '4']));
    act(() => (ports.find((p) => p.getAttribute('data-port-id') === '4') as HTMLElement).click());
    expect(store.state.selection.portIds).toContain(4);
  });

  it('Messages: rows per message, and the hostile payload stays text', async () => {
    const { root, show } = mount();
    await show('messages');
    const rows = all(root, '[data-message-id]');
    expect(rows.map((r) => Number(r.getAttribute('data-message-id')))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(rows[6].textContent).toContain(HOSTILE);
    expect(rows[5].textContent).toContain('port-shipped');
    expect(root.querySelector('img, script'), 'no element made from page data').toBeNull();
  });

  it('Details: a selected message shows its route and its send stack, which opens in Sources', async () => {
    const { root, store, show } = mount();
    await show('messages');
    const row = root.querySelector<HTMLElement>('[data-message-id="7"]')!;
    act(() => row.click());
    await frame();
    const id = Number(row.getAttribute('data-message-id'));
    expect(store.state.selection.messageIds).toContain(id);
    const details = root.querySelector('.details, [data-testid=details]') ?? root;
    expect(details.textContent).toContain('demo.js');
    const link = [...details.querySelectorAll<HTMLElement>('a, button')].find((e) => e.textContent?.includes('demo.js:12'));
    expect(link, 'a stack frame link').toBeDefined();
    act(() => link!.click());
    expect(opened).toEqual([['http://127.0.0.1:8000/demo/demo.js', 12]]);
    expect(root.querySelector('img, script')).toBeNull();
  });

  it('Findings: grouped by rule; a click selects its messages and ports; arrow keys walk them', async () => {
    const { root, store, show } = mount();
    await show('findings');
    expect(all(root, '[data-rule]').map((f) => f.getAttribute('data-rule'))).toEqual(expect.arrayContaining(['port-never-started', 'post-on-shipped-port']));
    act(() => root.querySelector<HTMLElement>('[data-rule=port-never-started]')!.click());
    await frame();
    expect(store.state.selection.messageIds).toEqual([5]);
    expect(store.state.selection.portIds).toEqual([4]);
    // From the first finding on screen, ArrowDown selects the second.
    const shown = all(root, '[data-rule]') as HTMLElement[];
    act(() => shown[0].click());
    await frame();
    act(() => void root.querySelector('.findings')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true })));
    await frame();
    expect(store.state.selection.focus).toMatchObject({ kind: 'finding', rule: shown[1].getAttribute('data-rule') });
    expect(root.querySelector('.finding.selected')?.getAttribute('data-rule')).toBe(shown[1].getAttribute('data-rule'));
    expect(root.querySelector('[data-testid=mismatches]'), 'no mismatch section without mismatches').toBeNull();
  });

  it('Findings: where the model and the browser disagreed, it says so with the context', async () => {
    const snap = fixtureSnapshot();
    snap.mismatches = [{ contextId: 2, at: snap.messages[0].sentAt!, messageId: null, expected: 'no message on port 3: its message queue was never enabled', actual: 'message dispatched on port 3' }];
    const { root, show } = mount(snap);
    await show('findings');
    const section = root.querySelector('[data-testid=mismatches]')!;
    expect(section.textContent).toContain('Model and browser disagreed');
    expect(section.textContent).toContain('message dispatched on port 3');
    expect(section.textContent).toContain('http://localhost:8000/demo/child.html');
  });

  it('a malformed trace picked for import gives a clear error and the live recording stays', async () => {
    const { root, store } = mount();
    const input = root.querySelector<HTMLInputElement>('[data-testid=import-input]')!;
    const pick = async (file: File) => {
      await act(async () => {
        Object.defineProperty(input, 'files', { configurable: true, value: [file] });
        input.dispatchEvent(new Event('change', { bubbles: true }));
        await new Promise((r) => setTimeout(r, 50));
      });
      await frame();
    };
    await pick(new File(['{"format":"channel-inspector-trace","version":1,"messages":'], 'broken.json', { type: 'application/json' }));
    const banner = root.querySelector('[data-testid=banner]')!;
    expect(banner.textContent).toContain('Could not open “broken.json”');
    expect(store.state.trace).toBeNull();
    expect(tabCount(root, 'messages')).toBe('7');

    // A good trace opens over the live session, in the same views.
    await pick(new File([stringifyTrace(exportTrace(fixtureSnapshot(), { title: 'saved' }))], 'saved.json', { type: 'application/json' }));
    expect(root.querySelector('[data-testid=trace-bar]')!.textContent).toContain('saved.json');
    expect(store.state.trace?.data.messages).toHaveLength(7);
  });

  it('an imported trace is audited again: findings edited into the file are not shown, the real ones are', async () => {
    const { root, store, show } = mount();
    const truth = exportTrace(fixtureSnapshot(), { title: 'tampered' });
    expect(truth.findings.map((f) => f.rule).sort()).toEqual(['port-never-started', 'post-on-shipped-port']);
    const tampered = { ...truth, findings: [{ rule: 'large-copy', severity: 'info' as const, message: 'made up by whoever edited the file', messageIds: [1], portIds: [] }] };
    const input = root.querySelector<HTMLInputElement>('[data-testid=import-input]')!;
    await act(async () => {
      Object.defineProperty(input, 'files', { configurable: true, value: [new File([stringifyTrace(tampered)], 'tampered.json', { type: 'application/json' })] });
      input.dispatchEvent(new Event('change', { bubbles: true }));
      await new Promise((r) => setTimeout(r, 50));
    });
    await frame();
    expect(store.state.trace?.name).toBe('tampered.json');
    await show('findings');
    expect(all(root, '[data-rule]').map((f) => f.getAttribute('data-rule')).sort()).toEqual(['port-never-started', 'post-on-shipped-port']);
    expect(root.textContent).not.toContain('made up by whoever edited the file');
  });

  it('Findings: says which rules the recording could not judge, and only when it could not', async () => {
    const withSends = mount();
    await withSends.show('findings');
    // The fixture's window message was recorded at its send, with its targetOrigin.
    expect(withSends.root.querySelector('[data-testid=not-judged]')).toBeNull();
    document.body.replaceChildren();

    const snap = fixtureSnapshot();
    for (const m of snap.messages) if (m.via === 'window') Object.assign(m, { sentAt: null, targetOrigin: null });
    const { root, show } = mount(snap);
    await show('findings');
    const line = root.querySelector('[data-testid=not-judged]')!;
    expect(line.textContent).toBe(
      'Not judged on this recording: target-origin-mismatch, wildcard-target-origin (this recording has no window.postMessage sends: a page recording sees a window message only where it is delivered, without its targetOrigin).',
    );
  });
});

