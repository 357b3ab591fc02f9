// The Listeners view: every 'message' / 'messageerror' listener and on* handler the page
// registered, per context: target, the author's function, attached or removed, messages
// handled, whether it read event.origin, the wrapper library, the registration stack
// (links open Sources) and the source text on demand.
import { useMemo } from 'preact/hooks';
import type { Host } from './host';
import { Stack } from './details';
import type { Dataset } from './model/dataset';
import { listenerGroups, type ListenerRow } from './model/listeners';
import { selectPort } from './model/selection';
import type { PanelState, Store } from './store';

export function ListenersView({ store, data, host }: { store: Store; state: PanelState; data: Dataset; host: Host }) {
  const groups = useMemo(() => listenerGroups(data), [data, data.version]);
  if (groups.length === 0) {
    return (
      <div class="empty" data-testid="no-listeners">
        <h2>No listeners</h2>
        <p>No 'message' or 'messageerror' listener was registered on a window, port, worker or BroadcastChannel while recording. Listeners added before recording began show up after a reload with “Record from page load”.</p>
      </div>
    );
  }
  return (
    <div class="listeners" data-testid="listeners">
      {groups.map((g) => (
        <section class="listener-group" data-context-id={g.contextId}>
          <h3>
            <span>{g.label}</span>
            <span class="count">{g.attached}</span>
            <span class="dim">
              attached · {g.rows.length - g.attached} no longer
            </span>
          </h3>
          <table class="listener-table">
            <thead>
              <tr>
                <th class="c-fn">Function</th>
                <th class="c-target">Target</th>
                <th class="c-event">Event</th>
                <th class="c-state">State</th>
                <th class="c-num" title="Messages handled while recording">Handled</th>
                <th class="c-origin" title="Did it read event.origin?">Origin read</th>
              </tr>
            </thead>
            <tbody>
              {g.rows.map((r) => (
                <Row r={r} store={store} data={data} host={host} />
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}

function Row({ r, store, data, host }: { r: ListenerRow; store: Store; data: Dataset; host: Host }) {
  const port = r.portId !== null ? data.ports.get(r.portId) : undefined;
  return (
    <>
      <tr class={`listener${r.attached ? '' : ' removed'}`} data-listener-id={r.id} data-attached={String(r.attached)}>
        <td class="fn">
          <code>{r.name}</code>
          {r.wrappedBy && (
            <span class="badge" data-wrapped-by={r.wrappedBy} title={r.wrapperOnly ? `wrapped by ${r.wrappedBy}, which keeps the original function out of reach: this is its wrapper` : `wrapped by ${r.wrappedBy}: shown is the function behind it`}>
              {r.wrappedBy}
            </span>
          )}
        </td>
        <td>
          {port ? (
            <button class="link" onClick={() => store.select(selectPort(port))}>
              {r.target}
            </button>
          ) : (
            r.target
          )}
        </td>
        <td>
          {r.event}
          {r.options && <span class="dim"> ({r.options})</span>}
        </td>
        <td class="state">{r.state}</td>
        <td class="num">{r.handled}</td>
        <td class={`origin origin-${r.originRead.replace(' ', '-')}`}>{r.originRead}</td>
      </tr>
      <tr class="listener-more" data-listener-more={r.id}>
        <td colSpan={6}>
          <details>
            <summary>Registered at</summary>
            <Stack text={r.stack} host={host} />
          </details>
          <details>
            <summary>Source{r.sourceTruncated ? ' (first 4 KB)' : ''}</summary>
            {r.source === null ? <p class="dim">Not recorded.</p> : <pre class="source">{r.source}</pre>}
          </details>
        </td>
      </tr>
    </>
  );
}
