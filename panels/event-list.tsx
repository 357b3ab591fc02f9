// The live list of events: time, frame, event and a short description.
import type { EventRow } from '../src/protocol/messages';
import { describe } from '../src/protocol/describe';
import type { PanelState } from './store';

const MAX_SHOWN = 2000;

export function EventList({ state }: { state: PanelState }) {
  const rows = state.rows.length > MAX_SHOWN ? state.rows.slice(-MAX_SHOWN) : state.rows;
  const t0 = state.rows[0]?.event.at ?? 0;
  return (
    <div class="grid">
      <table>
        <colgroup>
          <col style="width: 80px" />
          <col style="width: 30%" />
          <col style="width: 80px" />
          <col />
        </colgroup>
        <thead>
          <tr>
            <th>Time</th>
            <th>Frame</th>
            <th>Event</th>
            <th>Details</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <Row key={r.n} row={r} t0={t0} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Row({ row, t0 }: { row: EventRow; t0: number }) {
  const e = row.event;
  const failed = e.k === 'post' && e.predicted.o === 'error';
  return (
    <tr data-event-kind={e.k} data-frame-id={row.frameId}>
      <td>{((e.at - t0) / 1000).toFixed(3)} s</td>
      <td title={row.url}>{row.url}</td>
      <td class={failed ? 'kind-error' : `kind-${e.k}`}>{e.k}</td>
      <td>{describe(e)}</td>
    </tr>
  );
}
