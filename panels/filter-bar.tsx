// The Messages filters: search text, origin, context, channel, outcome, finding rule and protocol.
import type { Dataset } from './model/dataset';
import { PROTOCOLS, filterChoices, isFiltering } from './model/filter';
import { contextLabel, outcomeWord } from './model/format';
import { fmt, msg } from './i18n';
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
        placeholder={msg('fbPlaceholder')}
        aria-label={msg('fbSearchAria')}
        value={f.text}
        onInput={(e) => store.setFilter({ text: (e.target as HTMLInputElement).value })}
      />
      <select aria-label={msg('fbOrigin')} value={f.origin} onChange={(e) => store.setFilter({ origin: (e.target as HTMLSelectElement).value })}>
        <option value="">{msg('fbAllOrigins')}</option>
        {choices.origins.map((o) => (
          <option value={o}>{o}</option>
        ))}
      </select>
      <select aria-label={msg('fbContext')} value={f.context === null ? '' : String(f.context)} onChange={(e) => store.setFilter({ context: num((e.target as HTMLSelectElement).value) })}>
        <option value="">{msg('fbAllContexts')}</option>
        {[...data.contexts.values()].map((c) => (
          <option value={String(c.id)}>{contextLabel(c, c.id)}</option>
        ))}
      </select>
      <select aria-label={msg('fbChannel')} value={f.channel === null ? '' : String(f.channel)} onChange={(e) => store.setFilter({ channel: num((e.target as HTMLSelectElement).value) })}>
        <option value="">{msg('fbAllChannels')}</option>
        {choices.channels.map((c) => (
          <option value={String(c)}>{msg('tpChannel', c)}</option>
        ))}
      </select>
      <select aria-label={msg('fbOutcome')} value={f.outcome} onChange={(e) => store.setFilter({ outcome: (e.target as HTMLSelectElement).value as typeof f.outcome })}>
        <option value="">{msg('fbAllOutcomes')}</option>
        {(['delivered', 'sent', 'queued', 'dropped', 'error'] as const).map((o) => (
          <option value={o}>{outcomeWord(o)}</option>
        ))}
      </select>
      <select aria-label={msg('fbRule')} value={f.rule} onChange={(e) => store.setFilter({ rule: (e.target as HTMLSelectElement).value })} disabled={choices.rules.length === 0 && !f.rule}>
        <option value="">{msg('fbAllRules')}</option>
        {choices.rules.map((r) => (
          <option value={r}>{r}</option>
        ))}
      </select>
      <select aria-label={msg('fbProtocol')} value={f.protocol} onChange={(e) => store.setFilter({ protocol: (e.target as HTMLSelectElement).value })}>
        <option value="">{msg('fbAllProtocols')}</option>
        {PROTOCOLS.map((p) => (
          <option value={p}>{p}</option>
        ))}
      </select>
      {state.brush && (
        <button class="chip" onClick={() => store.setBrush(null)} title={msg('fbBrushTitle')}>
          {msg('fbBrush')}
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
          {msg('fbClear')}
        </button>
      )}
      <span class="filter-count" data-testid="filter-count">
        {/* Plain digits: e2e helpers compare this count with the toolbar's (Number()). */}
        {shownCount === data.messages.length ? msg('fbCountAll', fmt.number(shownCount)) : msg('fbCountOf', fmt.number(shownCount), fmt.number(data.messages.length))}
      </span>
    </div>
  );
}
