// The Channels panel (and the standalone viewer): toolbar, view tabs, the current view and
// the Details sidebar. Files dropped anywhere on it are imported as traces.
import { useRef, useState } from 'preact/hooks';
import { shown, VIEWS, type Store, type ViewName } from './store';
import { useStore } from './hooks';
import { Toolbar } from './toolbar';
import { Notices } from './notices';
import { TopologyView } from './topology';
import { TimelineView } from './timeline';
import { MessagesView } from './messages';
import { FindingsView } from './findings';
import { ListenersView } from './listeners';
import { attachedCount } from './model/listeners';
import { Details } from './details';
import { EmptyState } from './empty';
import { readTraceFile } from './files';
import { currentContexts } from './model/format';
import { BreakpointsView } from './breakpoints';
import { fmt, msg } from './i18n';
import type { Host } from './host';

export type { Host } from './host';

const TITLES: Record<ViewName, () => string> = {
  topology: () => msg('viewTopology'),
  timeline: () => msg('viewTimeline'),
  messages: () => msg('viewMessages'),
  findings: () => msg('viewFindings'),
  listeners: () => msg('viewListeners'),
  breakpoints: () => msg('viewBreakpoints'),
};

export function App({ store, host }: { store: Store; host: Host }) {
  const state = useStore(store);
  const data = shown(state);
  const [dragging, setDragging] = useState(false);
  const depth = useRef(0);

  const importFile = async (file: File | undefined) => {
    if (!file) return;
    try {
      store.openTrace(await readTraceFile(file), file.name);
    } catch (e) {
      store.showBanner({ kind: 'error', text: msg('appOpenFailed', file.name, (e as Error).message) });
    }
  };

  const counts: Record<ViewName, number | null> = {
    topology: currentContexts(data),
    timeline: null,
    messages: data.messages.length,
    findings: data.findings.length,
    listeners: attachedCount(data),
    breakpoints: state.hasLive && !state.trace ? state.breakpoints.length : null,
  };
  const empty = data.contexts.size === 0 && data.messages.length === 0;

  return (
    <div
      class={`app${dragging ? ' dragging' : ''}`}
      onDragEnter={(e) => {
        if (!e.dataTransfer?.types.includes('Files')) return;
        e.preventDefault();
        depth.current++;
        setDragging(true);
      }}
      onDragOver={(e) => {
        if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
      }}
      onDragLeave={() => {
        if (--depth.current <= 0) {
          depth.current = 0;
          setDragging(false);
        }
      }}
      onDrop={(e) => {
        e.preventDefault();
        depth.current = 0;
        setDragging(false);
        void importFile(e.dataTransfer?.files[0]);
      }}
    >
      <Toolbar store={store} state={state} onImport={importFile} />
      <Notices state={state} />
      {state.banner && (
        <div class={`banner ${state.banner.kind}`} role="alert" data-testid="banner">
          <span class="banner-text">{state.banner.text}</span>
          <button class="link" onClick={() => store.showBanner(null)} aria-label={msg('appDismiss')}>
            ✕
          </button>
        </div>
      )}
      {state.trace && (
        <div class="banner info" data-testid="trace-bar">
          <span class="banner-text">
            Viewing the trace <b>{state.trace.name}</b>
            {state.trace.title ? ` (${state.trace.title})` : ''}.
          </span>
          {state.hasLive && (
            <button class="link" onClick={() => store.closeTrace()}>
              Back to the live recording
            </button>
          )}
        </div>
      )}
      <div class="tabs" role="tablist" aria-label={msg('appViewsAria')}>
        {VIEWS.filter((v) => v !== 'breakpoints' || (state.hasLive && !state.trace)).map((v) => (
          <button
            key={v}
            role="tab"
            id={`tab-${v}`}
            data-view={v}
            aria-selected={state.view === v}
            tabIndex={state.view === v ? 0 : -1}
            onClick={() => store.setView(v)}
            onKeyDown={(e) => {
              const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
              if (!step) return;
              const next = VIEWS[(VIEWS.indexOf(v) + step + VIEWS.length) % VIEWS.length];
              store.setView(next);
              (e.currentTarget.parentElement?.querySelector(`[data-view=${next}]`) as HTMLElement | null)?.focus();
            }}
          >
            {TITLES[v]()}
            {counts[v] !== null && <span class="count">{fmt.number(counts[v]!)}</span>}
          </button>
        ))}
      </div>
      <div class="main">
        <section class="view" role="tabpanel" aria-labelledby={`tab-${state.view}`} data-active-view={state.view}>
          {state.view === 'breakpoints' && state.hasLive && !state.trace ? (
            <BreakpointsView store={store} state={state} data={data} />
          ) : empty ? (
            <EmptyState live={state.hasLive && !state.trace} recording={state.tab?.recording ?? false} store={store} />
          ) : state.view === 'topology' ? (
            <TopologyView store={store} state={state} data={data} />
          ) : state.view === 'timeline' ? (
            <TimelineView store={store} state={state} data={data} />
          ) : state.view === 'messages' ? (
            <MessagesView store={store} state={state} data={data} />
          ) : state.view === 'listeners' ? (
            <ListenersView store={store} state={state} data={data} host={host} />
          ) : (
            <FindingsView store={store} state={state} data={data} />
          )}
        </section>
        {!empty && <Details store={store} state={state} data={data} host={host} />}
      </div>
      {dragging && <div class="drop-hint">{msg('appDropHint')}</div>}
    </div>
  );
}
