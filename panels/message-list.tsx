// The messages of the session: time, channel, from → to, outcome and a preview.
import type { MessageRecord } from '../src/protocol/session';
import type { PanelState } from './store';

const MAX_SHOWN = 2000;

export function MessageList({ state }: { state: PanelState }) {
  const all = [...state.messages.values()];
  const rows = all.length > MAX_SHOWN ? all.slice(-MAX_SHOWN) : all;
  const t0 = all[0]?.sentAt ?? all[0]?.deliveredAt ?? 0;
  const where = (id: number | null) => (id === null ? '?' : (state.contexts.get(id)?.url ?? `#${id}`));
  return (
    <div class="grid">
      <table>
        <colgroup>
          <col style="width: 72px" />
          <col style="width: 56px" />
          <col style="width: 34%" />
          <col style="width: 90px" />
          <col />
        </colgroup>
        <thead>
          <tr>
            <th>Time</th>
            <th>Via</th>
            <th>From → To</th>
            <th>Outcome</th>
            <th>Preview</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((m) => (
            <tr key={m.id} data-message-id={m.id} data-outcome={m.outcome.status}>
              <td>{(((m.sentAt ?? m.deliveredAt ?? t0) - t0) / 1000).toFixed(3)} s</td>
              <td>{m.via}</td>
              <td title={`${where(m.fromContext)} → ${where(m.toContext)}`}>
                {short(where(m.fromContext))} → {short(where(m.toContext))}
              </td>
              <td class={`outcome-${m.outcome.status}`}>{outcomeText(m)}</td>
              <td>{m.preview ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function short(url: string) {
  try {
    const u = new URL(url);
    return u.host + u.pathname;
  } catch {
    return url;
  }
}

function outcomeText(m: MessageRecord) {
  return m.outcome.reason ? `${m.outcome.status} (${m.outcome.reason})` : m.outcome.status;
}
