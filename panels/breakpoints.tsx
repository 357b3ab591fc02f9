// The Breakpoints view: the tab's message breakpoints (they outlive the panel and survive a
// reload), each with its switch, its removal and, where it cannot pause where one expects,
// why; and a form in the filter bar's terms to add one.
import { useState } from 'preact/hooks';
import type { BreakOn, SendOutcome, Via } from '../src/protocol/messages';
import { SEND_OUTCOMES } from '../src/protocol/messages';
import type { Dataset } from './model/dataset';
import { PROTOCOLS } from './model/filter';
import { VIA_CHOICES, cannotPause, describeBreakpoint, fromFilter } from './model/breakpoints';
import { T } from './debug-strings';
import type { PanelState, Store } from './store';

const firefox = typeof navigator !== 'undefined' && navigator.userAgent.includes('Firefox/');

export function BreakpointsView({ store, state, data }: { store: Store; state: PanelState; data: Dataset }) {
  const [on, setOn] = useState<BreakOn>('deliver');
  const [via, setVia] = useState<Via | ''>('');
  const [protocol, setProtocol] = useState('');
  const [call, setCall] = useState('');
  const [text, setText] = useState('');
  const [origin, setOrigin] = useState('');
  const [outcome, setOutcome] = useState<SendOutcome | ''>('');
  const value = (e: Event) => (e.target as HTMLInputElement | HTMLSelectElement).value;
  const add = () => {
    store.addBreakpoint({ on, via: via || undefined, protocol: protocol || undefined, call: protocol ? call : undefined, text, origin, outcome: on === 'send' && outcome ? outcome : undefined });
    setCall('');
    setText('');
  };

  return (
    <div class="breakpoints" data-testid="breakpoints" data-synced={state.breakpointsSynced} data-handovers={state.debugHandovers}>
      <p class="bp-intro">{T.intro}</p>
      {state.tab && !state.tab.recording && <p class="bp-note">{T.paused}</p>}
      <form
        class="bp-form"
        aria-label={T.addTitle}
        onSubmit={(e) => {
          e.preventDefault();
          add();
        }}
      >
        <label>
          {T.on}{' '}
          <select data-testid="bp-on" value={on} onChange={(e) => setOn(value(e) as BreakOn)}>
            <option value="deliver">{T.onDeliver}</option>
            <option value="send">{T.onSend}</option>
          </select>
        </label>
        <label>
          {T.via}{' '}
          <select data-testid="bp-via" value={via} onChange={(e) => setVia(value(e) as Via | '')}>
            <option value="">{T.any}</option>
            {VIA_CHOICES.map((v) => (
              <option value={v}>{v}</option>
            ))}
          </select>
        </label>
        <label>
          {T.protocol}{' '}
          <select data-testid="bp-protocol" value={protocol} onChange={(e) => setProtocol(value(e))}>
            <option value="">{T.any}</option>
            {PROTOCOLS.map((p) => (
              <option value={p}>{p}</option>
            ))}
          </select>
        </label>
        <label>
          {T.call} <input data-testid="bp-call" value={call} disabled={!protocol} placeholder={T.callPlaceholder} onInput={(e) => setCall(value(e))} />
        </label>
        <label>
          {T.text} <input data-testid="bp-text" value={text} onInput={(e) => setText(value(e))} />
        </label>
        <label>
          {T.origin} <input data-testid="bp-origin" value={origin} placeholder="https://…" onInput={(e) => setOrigin(value(e))} />
        </label>
        {on === 'send' && (
          <label>
            {T.outcome}{' '}
            <select data-testid="bp-outcome" value={outcome} onChange={(e) => setOutcome(value(e) as SendOutcome | '')}>
              <option value="">{T.any}</option>
              {SEND_OUTCOMES.map((o) => (
                <option value={o}>{o}</option>
              ))}
            </select>
          </label>
        )}
        <button type="submit" data-testid="bp-add">
          {T.add}
        </button>
        <button type="button" data-testid="bp-add-filter" onClick={() => store.addBreakpoint(fromFilter(state.filter))}>
          {T.addFromFilter}
        </button>
      </form>
      {state.breakpoints.length === 0 ? (
        <p class="bp-empty">{T.none}</p>
      ) : (
        <ul class="bp-list" aria-label={T.viewTitle}>
          {state.breakpoints.map((b) => {
            const why = cannotPause(b, data);
            return (
              <li data-breakpoint-id={b.id} class={b.enabled ? '' : 'disabled'}>
                <label>
                  <input type="checkbox" data-testid="bp-enabled" checked={b.enabled} aria-label={T.enabled} onChange={(e) => store.toggleBreakpoint(b.id, (e.target as HTMLInputElement).checked)} />
                  <span class="bp-text">{describeBreakpoint(b)}</span>
                </label>
                <button class="link" data-testid="bp-remove" onClick={() => store.removeBreakpoint(b.id)}>
                  {T.remove}
                </button>
                {why ? (
                  <div class="bp-warning" data-testid="bp-cannot">
                    {why}
                  </div>
                ) : firefox && b.on === 'deliver' ? (
                  <div class="bp-note">{T.firefoxStep}</div>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
