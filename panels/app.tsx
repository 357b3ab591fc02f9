// The Channels panel: toolbar and the messages of the inspected tab.
import { useEffect, useState } from 'preact/hooks';
import type { Store } from './store';
import { MessageList } from './message-list';

export function App({ store }: { store: Store }) {
  const state = useStoreState(store);
  const recording = state.tab?.recording ?? false;
  const dropped = Object.values(state.dropped).reduce((a, b) => a + b, 0);
  return (
    <>
      <div class="toolbar" role="toolbar">
        <button onClick={() => store.command({ t: 'record', on: !recording })} title={recording ? 'Stop recording' : 'Record'} aria-pressed={recording}>
          <span class={`rec-dot${recording ? ' on' : ''}`} />
          {recording ? 'Recording' : 'Record'}
        </button>
        <button onClick={() => store.command({ t: 'recordFromLoad' })} title="Reload the page and record from its first message">
          Record from load
        </button>
        <button onClick={() => store.command({ t: 'clear' })} title="Clear">
          Clear
        </button>
        <label title="Keep the recording when the page navigates">
          <input type="checkbox" checked={state.tab?.preserveLog ?? false} onChange={(e) => store.command({ t: 'preserveLog', on: (e.target as HTMLInputElement).checked })} />
          Preserve log
        </label>
        <span class="status" data-testid="status">
          {state.contexts.size} contexts · {state.ports.size} ports · {state.messages.size} messages
          {dropped > 0 ? ` · ${dropped} dropped` : ''}
        </span>
      </div>
      {state.messages.size === 0 ? <EmptyState /> : <MessageList state={state} />}
    </>
  );
}

function EmptyState() {
  return (
    <div class="empty">
      <h2>No channel traffic yet</h2>
      Channel Inspector records MessageChannel, MessagePort and postMessage activity in every frame of this tab while this panel is
      open. Use the page, or click <b>Record from load</b> to reload it and record from its first message.
    </div>
  );
}

/** Re-renders on store changes, at most once per animation frame. */
function useStoreState(store: Store) {
  const [, setVersion] = useState(0);
  useEffect(() => {
    let pending = 0;
    return store.subscribe(() => {
      if (pending) return;
      pending = requestAnimationFrame(() => {
        pending = 0;
        setVersion(store.state.version);
      });
    });
  }, [store]);
  return store.state;
}
