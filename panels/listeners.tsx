// The Listeners view: every 'message' / 'messageerror' listener and on* handler the page
// registered, per context: target, the author's function, attached or removed, messages
// handled, whether it read event.origin, the wrapper library, the registration stack
// (links open Sources) and the source text on demand.
import { useMemo } from 'preact/hooks';
import type { Host } from './host';
import { fmt, msg } from './i18n';
import { Stack } from './details';
import type { Dataset } from './model/dataset';
import { listenerGroups, type ListenerRow, type ListenerState, type OriginRead } from './model/listeners';
import { selectPort } from './model/selection';
import type { PanelState, Store } from './store';

export function ListenersView({ store, data, host }: { store: Store; state: PanelState; data: Dataset; host: Host }) {
  const groups = useMemo(() => listenerGroups(data), [data, data.version]);
  if (groups.length === 0) {
    return (
      <div class="empty" data-testid="no-listeners">
        <h2>{msg('lsNoneTitle')}</h2>
        <p>{msg('lsNoneText')}</p>
      </div>
    );
  }
  return (
    <div class="listeners" data-testid="listeners">
      {groups.map((g) => (
        <section class="listener-group" data-context-id={g.contextId}>
          <h3>
            <span>{g.label}</span>
            <span class="count">{fmt.number(g.attached)}</span>
            <span class="dim">
              {msg('lsAttachedNoLonger', fmt.number(g.rows.length - g.attached))}
            </span>
          </h3>
          <table class="listener-table">
            <thead>
              <tr>
                <th class="c-fn">{msg('lsColFunction')}</th>
                <th class="c-target">{msg('lsColTarget')}</th>
                <th class="c-event">{msg('lsColEvent')}</th>
                <th class="c-state">{msg('lsColState')}</th>
                <th class="c-num" title={msg('lsColHandledTitle')}>{msg('lsColHandled')}</th>
                <th class="c-origin" title={msg('lsColOriginTitle')}>{msg('lsColOrigin')}</th>
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
            <span class="badge" data-wrapped-by={r.wrappedBy} title={r.wrapperOnly ? msg('lsWrapperOnly', r.wrappedBy) : msg('lsWrappedBy', r.wrappedBy)}>
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
        <td class="state">{STATE_TEXT[r.state]()}</td>
        <td class="num">{fmt.number(r.handled)}</td>
        <td class={`origin origin-${r.originRead.replace(' ', '-')}`}>{ORIGIN_TEXT[r.originRead]()}</td>
      </tr>
      <tr class="listener-more" data-listener-more={r.id}>
        <td colSpan={6}>
          <details>
            <summary>{msg('lsRegisteredAt')}</summary>
            <Stack text={r.stack} host={host} />
          </details>
          <details>
            <summary>{r.sourceTruncated ? msg('lsSourceTruncated') : msg('lsSource')}</summary>
            {r.source === null ? <p class="dim">{msg('lsNotRecorded')}</p> : <pre class="source">{r.source}</pre>}
          </details>
        </td>
      </tr>
    </>
  );
}

// Functions, not bare keys: the catalogue check finds keys as literal arguments of msg.
const STATE_TEXT: Record<ListenerState, () => string> = {
  attached: () => msg('lsStateAttached'),
  'gone with its document': () => msg('lsStateGone'),
  removed: () => msg('lsStateRemoved'),
  'removed after its one call (once)': () => msg('lsStateOnce'),
  'removed by its AbortSignal': () => msg('lsStateAbort'),
  'replaced (on* handler set again)': () => msg('lsStateHandler'),
};
const ORIGIN_TEXT: Record<OriginRead, () => string> = { yes: () => msg('lsOriginYes'), no: () => msg('lsOriginNo'), 'never handled': () => msg('lsOriginNever') };
