// The Channels panel: toolbar and the live list of what the inspected page's frames did.
import { useEffect, useState } from 'preact/hooks';
import type { Store } from './store';
import { EventList } from './event-list';

export function App({ store }: { store: Store }) {
  const state = useStoreState(store);
  const dropped = Object.values(state.dropped).reduce((a, b) => a + b, 0);
  return (
    <>
      <div class="toolbar" role="toolbar">
        <span title={state.recording ? 'Recording this tab' : 'Not recording'}>
          <span class={`rec-dot${state.recording ? ' on' : ''}`} />
          {state.recording ? 'Recording' : 'Stopped'}
        </span>
        <span class="sep" />
        <button onClick={() => store.command({ t: 'clear' })} title="Clear">
          Clear
        </button>
        <span class="status" data-testid="status">
          {state.rows.length} events · {state.frames.length} frames
          {dropped > 0 ? ` · ${dropped} dropped` : ''}
        </span>
      </div>
      {state.rows.length === 0 ? <EmptyState /> : <EventList state={state} />}
    </>
  );
}

function EmptyState() {
  return (
    <div class="empty">
      <h2>No channel traffic yet</h2>
      Channel Inspector records MessageChannel, MessagePort and postMessage activity in every frame of this tab while this panel is
      open. Use the page, or reload it to record from page load.
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
