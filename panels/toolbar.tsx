// The panel's toolbar: recording controls (live only), export, import and the counts.
import { useRef } from 'preact/hooks';
import { shown, type PanelState, type Store } from './store';
import { exportPerfettoFile, exportTraceFile } from './files';
import { currentContexts, currentPorts } from './model/format';
import { noticesOf } from './notices';

/** What the switch does, said plainly (issue 21). */
const WORKERS_HELP =
  'Records what happens inside the dedicated workers this site starts from now on (remembered for the site). ' +
  'Chrome: the extension attaches its debugger to the tab to run its recorder in each new worker before the worker\'s first line, ' +
  'which is why Chrome shows its "started debugging this browser" bar while this is on; closing the bar stops it. ' +
  'Firefox: the recorder is put before the first line of each worker script as it loads. Shared and service workers are still seen from their pages only.';

export function Toolbar({ store, state, onImport }: { store: Store; state: PanelState; onImport: (f: File | undefined) => void }) {
  const picker = useRef<HTMLInputElement>(null);
  const data = shown(state);
  const recording = state.tab?.recording ?? false;
  const live = state.hasLive && !state.trace;
  const title = state.trace?.title ?? null;
  const nothing = data.contexts.size === 0 && data.messages.length === 0;
  const dropped = Object.values(data.dropped).reduce((a, b) => a + b, 0);
  const contexts = currentContexts(data);
  const replaced = data.contexts.size - contexts;
  const ports = currentPorts(data);
  return (
    <div class="toolbar" role="toolbar" aria-label="Recording">
      {state.hasLive && (
        <>
          <button
            class="icon-button"
            data-testid="record"
            onClick={() => store.command({ t: 'record', on: !recording })}
            title={recording ? 'Stop recording' : 'Record'}
            aria-pressed={recording}
            disabled={!live}
          >
            <span class={`rec-dot${recording ? ' on' : ''}`} />
            {recording ? 'Stop' : 'Record'}
          </button>
          <button onClick={() => store.command({ t: 'recordFromLoad' })} title="Reload the page and record from its first message" disabled={!live}>
            ⟳ Record from load
          </button>
          <button onClick={() => store.command({ t: 'clear' })} title="Clear the recording" disabled={!live}>
            ⊘ Clear
          </button>
          <label title="Keep the recording when the page navigates">
            <input type="checkbox" checked={state.tab?.preserveLog ?? false} disabled={!live} onChange={(e) => store.command({ t: 'preserveLog', on: (e.target as HTMLInputElement).checked })} />
            Preserve log
          </label>
          <label title={WORKERS_HELP} data-testid="workers">
            <input type="checkbox" checked={state.tab?.workers ?? false} disabled={!live} onChange={(e) => store.command({ t: 'workers', on: (e.target as HTMLInputElement).checked })} />
            Record inside workers
          </label>
          {state.tab?.workersError && (
            <span class="status" role="status" data-testid="workers-error">
              {state.tab.workersError}
            </span>
          )}
          <span class="sep" />
        </>
      )}
      <button onClick={() => picker.current?.click()} title="Open a trace file (or drop it on the panel)" data-testid="import">
        {state.hasLive ? 'Import…' : 'Open trace…'}
      </button>
      <input
        ref={picker}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="import-input"
        onChange={(e) => {
          const input = e.target as HTMLInputElement;
          onImport(input.files?.[0]);
          input.value = '';
        }}
      />
      <button onClick={() => exportTraceFile(data, title, noticesOf(state).map((n) => n.message))} disabled={nothing} title="Save this recording as a Channel Inspector trace">
        Export trace
      </button>
      <button onClick={() => exportPerfettoFile(data, title)} disabled={nothing} title="Save as Chrome trace events, for Perfetto or chrome://tracing">
        Export Perfetto
      </button>
      <span class="status" data-testid="status">
        <span data-count="contexts" title={replaced ? `and ${replaced} replaced by navigation` : undefined}>
          {contexts}
        </span>{' '}
        contexts ·{' '}
        <span data-count="ports" title={data.ports.size > ports ? `and ${data.ports.size - ports} in replaced documents` : undefined}>
          {ports}
        </span>{' '}
        ports ·{' '}
        <span data-count="messages">{data.messages.length}</span> messages
        {data.findings.length > 0 && (
          <>
            {' '}
            · <span data-count="findings">{data.findings.length}</span> findings
          </>
        )}
        {dropped > 0 && <span title={Object.entries(data.dropped).map(([k, v]) => `${k}: ${v}`).join('\n')}> · {dropped} not kept</span>}
      </span>
    </div>
  );
}
