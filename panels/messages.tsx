// The Messages view: a virtualized table (only the rows in view are in the DOM) of time,
// via, from → to, size, transfer, outcome and payload preview, under the filters.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { MessageRecord } from '../src/protocol/session';
import type { Dataset } from './model/dataset';
import { RowFilter } from './model/filter';
import { contextName, contextShort, outcomeText, outcomeTitle, relTime, sizeOf, startTime, transferText } from './model/format';
import { highlightOf, isMessageHighlighted, selectMessage } from './model/selection';
import { atEnd, revealRow, rowWindow, stepRow } from './model/virtual';
import { useSize } from './hooks';
import { FilterBar } from './filter-bar';
import { CallLabel } from './call';
import type { PanelState, Store } from './store';
import { describeBreakpoint, likeMessage } from './model/breakpoints';
import { messageById } from './model/dataset';
import { T } from './debug-strings';
import { msg } from './i18n';

export const ROW_HEIGHT = 20;

const columns = () => [msg('msColTime'), msg('msColVia'), msg('msColFromTo'), msg('msColSize'), msg('msColTransfer'), msg('msColOutcome'), msg('msColPreview')];

export function MessagesView({ store, state, data }: { store: Store; state: PanelState; data: Dataset }) {
  // Kept across frames: a delta costs the messages it changed, not a pass over all of them.
  const filter = useRef(new RowFilter());
  const rows = filter.current.rows(data, state.filter, state.brush);
  const [scrollRef, size] = useSize<HTMLDivElement>();
  const [scrollTop, setScrollTop] = useState(0);
  const stick = useRef(true);
  const t0 = useMemo(() => startTime(data), [data, data.version]);
  const focusId = state.selection.focus?.kind === 'message' ? state.selection.focus.id : null;
  const focusRow = focusId === null ? -1 : rows.rowOf(focusId);
  const hl = highlightOf(state.selection);
  const contentHeight = rows.length * ROW_HEIGHT;
  // Under live traffic, a list scrolled to its end stays at its end; anywhere else it stays put.
  // Known at render, so that following the end takes one render per frame, not two.
  const top = stick.current ? Math.max(0, contentHeight - size.height) : scrollTop;

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el || !stick.current) return;
    if (el.scrollTop !== top) el.scrollTop = top;
  }, [top]);

  // Bring the selected message into view when it was picked elsewhere (timeline, findings).
  useEffect(() => {
    const el = scrollRef.current;
    if (!el || focusRow < 0) return;
    const to = revealRow(focusRow, el.scrollTop, el.clientHeight, ROW_HEIGHT);
    if (to !== el.scrollTop) el.scrollTop = to;
  }, [focusId]);

  // The row's context menu: "Break on messages like this" (a live recording only).
  const [menu, setMenu] = useState<{ x: number; y: number; id: number } | null>(null);
  const live = state.hasLive && !state.trace;
  const breakLike = (id: number) => {
    setMenu(null);
    const m = messageById(data, id);
    if (!m) return;
    const b = likeMessage(data, m);
    store.addBreakpoint(b);
    store.showBanner({ kind: 'info', text: T.added(describeBreakpoint(b)) });
  };

  const win = rowWindow(top, size.height, ROW_HEIGHT, rows.length);
  const visible: MessageRecord[] = [];
  for (let i = win.start; i < win.end; i++) visible.push(rows.at(i));

  const pick = (row: number) => {
    const m = row >= 0 && row < rows.length ? rows.at(row) : undefined;
    if (m) store.select(selectMessage(m));
    const el = scrollRef.current;
    if (el) el.scrollTop = revealRow(row, el.scrollTop, el.clientHeight, ROW_HEIGHT);
  };

  return (
    <div class="messages">
      <FilterBar store={store} state={state} data={data} shownCount={rows.length} />
      <div class="grid-head" role="row">
        {columns().map((c) => (
          <div role="columnheader" class="cell">
            {c}
          </div>
        ))}
      </div>
      <div
        class="grid-body"
        ref={scrollRef}
        role="grid"
        aria-label={msg('viewMessages')}
        aria-rowcount={rows.length}
        tabIndex={0}
        data-testid="message-grid"
        onScroll={(e) => {
          const el = e.currentTarget as HTMLDivElement;
          stick.current = atEnd(el.scrollTop, el.clientHeight, el.scrollHeight);
          // While it follows the end, the render places it: no second render for our own scroll.
          if (!stick.current) setScrollTop(el.scrollTop);
        }}
        onKeyDown={(e) => {
          const next = stepRow(e.key, focusRow, rows.length, Math.max(1, Math.floor(size.height / ROW_HEIGHT) - 1));
          if (next === null) return;
          e.preventDefault();
          pick(next);
        }}
      >
        {rows.length === 0 ? (
          <div class="grid-empty">
            {data.messages.length === 0 ? msg('msNoneYet') : msg('msNoMatch')}
          </div>
        ) : (
          <div style={{ height: `${contentHeight}px`, position: 'relative' }}>
            <div style={{ transform: `translateY(${win.offset}px)` }}>
              {/* Keyed by place, not by message: under live traffic the whole window is new rows
                  every frame, and updating 40 rows' text costs far less than building 40 rows. */}
              {visible.map((m, k) => (
                <Row
                  key={k}
                  m={m}
                  data={data}
                  t0={t0}
                  index={win.start + k}
                  selected={m.id === focusId}
                  highlighted={isMessageHighlighted(hl, m)}
                  onPick={() => pick(win.start + k)}
                  onMenu={
                    live
                      ? (e: MouseEvent) => {
                          e.preventDefault();
                          setMenu({ x: e.clientX, y: e.clientY, id: m.id });
                        }
                      : undefined
                  }
                />
              ))}
            </div>
          </div>
        )}
      </div>
      {menu && (
        <div class="context-menu-backdrop" onClick={() => setMenu(null)} onContextMenu={(e) => (e.preventDefault(), setMenu(null))}>
          <div class="context-menu" role="menu" style={{ left: `${menu.x}px`, top: `${menu.y}px` }} onClick={(e) => e.stopPropagation()}>
            <button role="menuitem" data-testid="menu-break-like" autoFocus onClick={() => breakLike(menu.id)} onKeyDown={(e) => e.key === 'Escape' && setMenu(null)}>
              {T.breakLikeThis}
            </button>
          </div>
        </div>
      )}
    </div>
  );
}

function Row({
  m,
  data,
  t0,
  index,
  selected,
  highlighted,
  onPick,
  onMenu,
}: {
  m: MessageRecord;
  data: Dataset;
  t0: number;
  index: number;
  selected: boolean;
  highlighted: boolean;
  onPick: () => void;
  onMenu?: (e: MouseEvent) => void;
}) {
  const from = contextName(data, m.fromContext);
  const to = contextName(data, m.toContext);
  const size = sizeOf(m);
  return (
    <div
      class={`grid-row${selected ? ' selected' : highlighted ? ' highlighted' : ''}`}
      role="row"
      aria-rowindex={index + 1}
      aria-selected={selected}
      data-message-id={m.id}
      data-outcome={m.outcome.status}
      onClick={onPick}
      onContextMenu={onMenu}
    >
      <div class="cell num">{relTime(m.sentAt ?? m.deliveredAt, t0)}</div>
      <div class="cell">{m.via}</div>
      <div class="cell" title={`${from} → ${to}`}>
        {contextShort(data.contexts.get(m.fromContext ?? -1), m.fromContext)} → {contextShort(data.contexts.get(m.toContext ?? -1), m.toContext)}
      </div>
      <div class="cell num" title={size.title}>
        {size.text}
      </div>
      <div class="cell">{transferText(m)}</div>
      <div class={`cell outcome-${m.outcome.status}`} title={outcomeTitle(m)}>
        {outcomeText(m)}
      </div>
      {/* Text node only: a payload is never parsed as HTML. A decoded call shows instead, badged. */}
      <div class="cell preview" title={m.call ? `${m.call.label}\n${m.preview ?? ''}` : (m.preview ?? '')}>
        {m.call ? <CallLabel call={m.call} /> : (m.preview ?? '')}
      </div>
    </div>
  );
}
