// What a new user sees before there is anything to show: what the panel does and the next step.
import type { Store } from './store';

export function EmptyState({ live, recording, store }: { live: boolean; recording: boolean; store: Store }) {
  if (!live) {
    return (
      <div class="empty" data-testid="empty">
        <h2>Open a Channel Inspector trace</h2>
        <p>Drop a trace file here, or use <b>Open trace…</b> in the toolbar. Traces are exported from the Channels panel in DevTools or recorded with the command-line recorder.</p>
      </div>
    );
  }
  return (
    <div class="empty" data-testid="empty">
      <h2>{recording ? 'Recording — no channel traffic yet' : 'Not recording'}</h2>
      <p>
        Channel Inspector shows every MessageChannel, MessagePort and postMessage of this tab: which frames and workers hold which ports, each
        message from send to delivery, and the messages browsers lose without a word.
      </p>
      <p>
        {recording ? 'Use the page to make it talk, or ' : 'Click Record, or '}
        <button class="link" onClick={() => store.command({ t: 'recordFromLoad' })}>
          reload the page and record from its first message
        </button>
        . You can also drop a trace file here to open it.
      </p>
    </div>
  );
}
