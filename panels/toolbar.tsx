// The panel's toolbar: recording controls (live only), export, import and the counts.
import { fmt, msg } from './i18n';
import { useRef } from 'preact/hooks';
import { shown, type PanelState, type Store } from './store';
import { exportPerfettoFile, exportTraceFile } from './files';
import { currentContexts, currentPorts } from './model/format';
import { noticesOf } from './notices';

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
    <div class="toolbar" role="toolbar" aria-label={msg('tbRecording')}>
      {state.hasLive && (
        <>
          <button
            class="icon-button"
            data-testid="record"
            onClick={() => store.command({ t: 'record', on: !recording })}
            title={recording ? msg('tbStopRecording') : msg('tbRecord')}
            aria-pressed={recording}
            disabled={!live}
          >
            <span class={`rec-dot${recording ? ' on' : ''}`} />
            {recording ? msg('tbStop') : msg('tbRecord')}
          </button>
          <button onClick={() => store.command({ t: 'recordFromLoad' })} title={msg('tbRecordFromLoadTitle')} disabled={!live}>
            {msg('tbRecordFromLoad')}
          </button>
          <button onClick={() => store.command({ t: 'clear' })} title={msg('tbClearTitle')} disabled={!live}>
            {msg('tbClear')}
          </button>
          <label title={msg('tbPreserveLogTitle')}>
            <input type="checkbox" checked={state.tab?.preserveLog ?? false} disabled={!live} onChange={(e) => store.command({ t: 'preserveLog', on: (e.target as HTMLInputElement).checked })} />
            {msg('tbPreserveLog')}
          </label>
          <label title={msg('tbWorkersTitle')} data-testid="workers">
            <input type="checkbox" checked={state.tab?.workers ?? false} disabled={!live} onChange={(e) => store.command({ t: 'workers', on: (e.target as HTMLInputElement).checked })} />
            {msg('tbWorkers')}
          </label>
          {state.tab?.workersError && (
            <span class="status" role="status" data-testid="workers-error">
              {state.tab.workersError}
            </span>
          )}
          <span class="sep" />
        </>
      )}
      <button onClick={() => picker.current?.click()} title={msg('tbOpenTitle')} data-testid="import">
        {state.hasLive ? msg('tbImport') : msg('tbOpenTrace')}
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
      <button onClick={() => exportTraceFile(data, title, noticesOf(state).map((n) => n.message))} disabled={nothing} title={msg('tbExportTraceTitle')}>
        {msg('tbExportTrace')}
      </button>
      <button onClick={() => exportPerfettoFile(data, title)} disabled={nothing} title={msg('tbExportPerfettoTitle')}>
        {msg('tbExportPerfetto')}
      </button>
      <span class="status" data-testid="status">
        <span data-count="contexts" title={replaced ? msg('tbReplaced', fmt.number(replaced)) : undefined}>
          {fmt.number(contexts)}
        </span>{' '}
        {contexts === 1 ? msg('tbContexts_one') : msg('tbContexts_other')} ·{' '}
        <span data-count="ports" title={data.ports.size > ports ? msg('tbPortsReplaced', fmt.number(data.ports.size - ports)) : undefined}>
          {fmt.number(ports)}
        </span>{' '}
        {ports === 1 ? msg('tbPorts_one') : msg('tbPorts_other')} ·{' '}
        <span data-count="messages">{fmt.number(data.messages.length)}</span> {data.messages.length === 1 ? msg('tbMessages_one') : msg('tbMessages_other')}
        {data.findings.length > 0 && (
          <>
            {' '}
            · <span data-count="findings">{fmt.number(data.findings.length)}</span> {data.findings.length === 1 ? msg('tbFindings_one') : msg('tbFindings_other')}
          </>
        )}
        {dropped > 0 && <span title={Object.entries(data.dropped).map(([k, v]) => `${k}: ${v}`).join('\n')}> · {msg('tbNotKept', fmt.number(dropped))}</span>}
      </span>
    </div>
  );
}
