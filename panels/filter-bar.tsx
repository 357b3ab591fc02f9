// The Messages filters: search text, origin, context, channel, outcome, finding rule and protocol.
import type { Dataset } from './model/dataset';
import { PROTOCOLS, filterChoices, isFiltering } from './model/filter';
import { contextLabel } from './model/format';
import type { PanelState, Store } from './store';

export function FilterBar({ store, state, data, shownCount }: { store: Store; state: PanelState; data: Dataset; shownCount: number }) {
  const f = state.filter;
  const choices = filterChoices(data);
  const num = (v: string) => (v === '' ? null : Number(v));
  return (
    <div class="filter-bar" role="search">
      <input
        type="search"
        class="filter-text"
        placeholder="Filter: search in payloads"
        aria-label="Search in payloads"
        value={f.text}
        onInput={(e) => store.setFilter({ text: (e.target as HTMLInputElement).value })}
      />
      <select aria-label="Origin" value={f.origin} onChange={(e) => store.setFilter({ origin: (e.target as HTMLSelectElement).value })}>
        <option value="">All origins</option>
        {choices.origins.map((o) => (
          <option value={o}>{o}</option>
        ))}
      </select>
      <select aria-label="Context" value={f.context === null ? '' : String(f.context)} onChange={(e) => store.setFilter({ context: num((e.target as HTMLSelectElement).value) })}>
        <option value="">All contexts</option>
        {[...data.contexts.values()].map((c) => (
          <option value={String(c.id)}>{contextLabel(c, c.id)}</option>
        ))}
      </select>
      <select aria-label="Channel" value={f.channel === null ? '' : String(f.channel)} onChange={(e) => store.setFilter({ channel: num((e.target as HTMLSelectElement).value) })}>
        <option value="">All channels</option>
        {choices.channels.map((c) => (
          <option value={String(c)}>channel {c}</option>
        ))}
      </select>
      <select aria-label="Outcome" value={f.outcome} onChange={(e) => store.setFilter({ outcome: (e.target as HTMLSelectElement).value as typeof f.outcome })}>
        <option value="">All outcomes</option>
        {['delivered', 'sent', 'queued', 'dropped', 'error'].map((o) => (
          <option value={o}>{o}</option>
        ))}
      </select>
      <select aria-label="Finding rule" value={f.rule} onChange={(e) => store.setFilter({ rule: (e.target as HTMLSelectElement).value })} disabled={choices.rules.length === 0 && !f.rule}>
        <option value="">All rules</option>
        {choices.rules.map((r) => (
          <option value={r}>{r}</option>
        ))}
      </select>
      <select aria-label="Protocol" value={f.protocol} onChange={(e) => store.setFilter({ protocol: (e.target as HTMLSelectElement).value })}>
        <option value="">All protocols</option>
        {PROTOCOLS.map((p) => (
          <option value={p}>{p}</option>
        ))}
      </select>
      {state.brush && (
        <button class="chip" onClick={() => store.setBrush(null)} title="Remove the time range chosen in the Timeline">
          time range ✕
        </button>
      )}
      {isFiltering(f, state.brush) && (
        <button
          class="link"
          onClick={() => {
            store.setFilter({ text: '', origin: '', context: null, channel: null, outcome: '', rule: '', protocol: '' });
            store.setBrush(null);
          }}
        >
          Clear filters
        </button>
      )}
      <span class="filter-count" data-testid="filter-count">
        {shownCount === data.messages.length ? `${shownCount} messages` : `${shownCount} of ${data.messages.length}`}
      </span>
    </div>
  );
}
