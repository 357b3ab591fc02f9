// The Topology view: the frame tree at an instant, workers under their frame, ports as chips
// with their state, entangled pairs linked, the picked port's moves drawn as a path, and a
// time scrubber over the recording.
import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Dataset } from './model/dataset';
import { contextName, relTime, shortUrl, startTime, timeExtent } from './model/format';
import { flatten, topologyModel, type GhostChip, type PortChip, type TopoNode } from './model/topology';
import { selectContext, selectPort } from './model/selection';
import type { PanelState, Store } from './store';
import { fmt, msg } from './i18n';
import { identityWhy, insideNote } from './model/details';

// Functions, not bare keys: the catalogue check finds keys as literal arguments of msg.
const STATE_LABEL: Record<PortChip['state'], () => string> = {
  'not-started': () => msg('tpStateNotStarted'),
  started: () => msg('tpStateStarted'),
  closed: () => msg('tpStateClosed'),
  'in-flight': () => msg('tpStateInFlight'),
  lost: () => msg('tpStateLost'),
  'state-unknown': () => msg('tpStateUnknown'),
};
const portList = (ids: number[]) => ids.map((c) => msg('tpPort', c)).join(msg('tpOr'));
const listenersOn = (n: number, on: string) => (n === 1 ? msg('tpListeners1On', fmt.number(n), on) : msg('tpListenersOn', fmt.number(n), on));

interface Line {
  d: string;
  kind: 'link' | 'move';
}

export function TopologyView({ store, state, data }: { store: Store; state: PanelState; data: Dataset }) {
  const extent = useMemo(() => timeExtent(data), [data, data.version]);
  const t0 = useMemo(() => startTime(data), [data, data.version]);
  // The brush end is the natural instant to look at; else the scrubber; else now.
  const at = state.scrubAt ?? (state.brush ? state.brush.to : Infinity);
  const model = useMemo(() => topologyModel(data, at), [data, data.version, at]);
  const focus = state.selection.focus;
  const pickedPorts = new Set(state.selection.portIds);
  const movedPort = focus?.kind === 'port' ? data.ports.get(focus.id) : undefined;
  const box = useRef<HTMLDivElement>(null);
  const [lines, setLines] = useState<Line[]>([]);

  // Links are drawn over the boxes once they are laid out: measured, not guessed.
  useLayoutEffect(() => {
    const root = box.current;
    if (!root) return;
    const origin = root.getBoundingClientRect();
    const centre = (el: Element | null) => {
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return { x: r.left + r.width / 2 - origin.left + root.scrollLeft, y: r.top + r.height / 2 - origin.top + root.scrollTop, r };
    };
    const out: Line[] = [];
    // One curve between two chips: a loop under them on one row, else bottom of the upper to top of the lower.
    const curve = (p: NonNullable<ReturnType<typeof centre>>, q: NonNullable<ReturnType<typeof centre>>) => {
      const ph = p.r.height / 2;
      const qh = q.r.height / 2;
      if (Math.abs(p.y - q.y) < ph) {
        const dip = Math.max(p.y, q.y) + ph + 10 + Math.min(30, Math.abs(q.x - p.x) / 8);
        return `M${p.x},${p.y + ph} C${p.x},${dip} ${q.x},${dip} ${q.x},${q.y + qh}`;
      }
      const [a, b] = p.y < q.y ? [p, q] : [q, p];
      const y1 = a.y + a.r.height / 2;
      const y2 = b.y - b.r.height / 2;
      const mid = (y1 + y2) / 2;
      return `M${a.x},${y1} C${a.x},${mid} ${b.x},${mid} ${b.x},${y2}`;
    };
    for (const [a, b] of model.links) {
      const p = centre(root.querySelector(`[data-port-id="${a}"]`));
      const q = centre(root.querySelector(`[data-port-id="${b}"]`));
      if (p && q) out.push({ kind: 'link', d: curve(p, q) });
    }
    // The picked port's moves: from the neutered handle it left in each context to where it went next.
    if (movedPort) {
      const stops = movedPort.holders
        .filter((h) => h.since <= at)
        .map((h) => root.querySelector(`[data-context-id="${h.contextId}"] > .ports > [data-ghost-port-id="${movedPort.id}"]`) ?? root.querySelector(`[data-context-id="${h.contextId}"] > .ports > [data-port-id="${movedPort.id}"]`))
        .map(centre)
        .filter((p): p is NonNullable<typeof p> => p !== null);
      for (let i = 1; i < stops.length; i++) {
        const p = stops[i - 1];
        const q = stops[i];
        const down = q.y > p.y;
        const y1 = p.y + (down ? 1 : -1) * (p.r.height / 2);
        const y2 = q.y - (down ? 1 : -1) * (q.r.height / 2 + 2);
        out.push({ kind: 'move', d: `M${p.x},${y1} C${p.x},${(y1 + y2) / 2} ${q.x},${(y1 + y2) / 2} ${q.x},${y2}` });
      }
    }
    setLines((old) => (JSON.stringify(old) === JSON.stringify(out) ? old : out));
  });

  const nodes = flatten(model.roots);
  const focusIndex = focus?.kind === 'context' ? nodes.findIndex((n) => n.context.id === focus.id) : -1;

  return (
    <div class="topology">
      <div class="scrubber">
        <label for="scrub">{msg('tpTime')}</label>
        <input
          id="scrub"
          type="range"
          min={0}
          max={1000}
          value={at === Infinity ? 1000 : Math.round(((at - extent.from) / (extent.to - extent.from)) * 1000)}
          aria-valuetext={at === Infinity ? msg('tpLatestNow') : relTime(at, t0)}
          onInput={(e) => {
            const v = Number((e.target as HTMLInputElement).value);
            store.setScrub(v >= 1000 ? null : extent.from + (v / 1000) * (extent.to - extent.from));
          }}
        />
        <span class="scrub-time">{at === Infinity ? msg('tpLatestNow') : relTime(at, t0)}</span>
        {state.scrubAt !== null && (
          <button class="link" onClick={() => store.setScrub(null)}>
            {msg('tpLatest')}
          </button>
        )}
        <span class="legend">
          <span class="port-chip s-not-started">{msg('tpLegendNotStarted')}</span>
          <span class="port-chip s-state-unknown">{msg('tpLegendUnknown')}</span>
          <span class="port-chip s-started">{msg('tpLegendStarted')}</span>
          <span class="port-chip s-closed">{msg('tpLegendClosed')}</span>
          <span class="port-chip ghost">{msg('tpLegendShipped')}</span>
        </span>
      </div>
      <div
        class="topo-body"
        ref={box}
        tabIndex={0}
        role="tree"
        aria-label={msg('tpAria')}
        data-contexts={model.contextCount}
        data-ports={model.portCount}
        onKeyDown={(e) => {
          if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
          e.preventDefault();
          const next = Math.max(0, Math.min(nodes.length - 1, focusIndex + (e.key === 'ArrowDown' ? 1 : -1)));
          if (nodes[next]) store.select(selectContext(nodes[next].context.id));
        }}
      >
        <svg class="topo-lines" aria-hidden="true">
          <defs>
            <marker id="arrowhead" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto">
              <path d="M0,0 L8,4 L0,8 z" class="move-head" />
            </marker>
          </defs>
          {lines.map((l) => (
            <path d={l.d} class={l.kind === 'link' ? 'entangle-line' : 'move-line'} marker-end={l.kind === 'move' ? 'url(#arrowhead)' : undefined} />
          ))}
        </svg>
        {model.roots.map((n) => (
          <ContextBox node={n} store={store} data={data} focus={focus} picked={pickedPorts} />
        ))}
        {(model.inFlight.length > 0 || model.lost.length > 0) && (
          <div class="ctx-box floating">
            <div class="ctx-head">
              <span class="ctx-kind">{msg('tpNotInContext')}</span>
            </div>
            <div class="ports">
              {[...model.inFlight, ...model.lost].map((p) => (
                <Chip p={p} store={store} data={data} picked={pickedPorts.has(p.id)} focused={focus?.kind === 'port' && focus.id === p.id} />
              ))}
            </div>
          </div>
        )}
      </div>
    </div>
  );
}

function ContextBox({ node, store, data, focus, picked }: { node: TopoNode; store: Store; data: Dataset; focus: PanelState['selection']['focus']; picked: Set<number> }) {
  const c = node.context;
  const selected = focus?.kind === 'context' && focus.id === c.id;
  return (
    <div class={`ctx-box kind-${c.kind}${selected ? ' selected' : ''}`} data-context-id={c.id} role="treeitem" aria-selected={selected}>
      <div class="ctx-head" onClick={() => store.select(selectContext(c.id))} title={c.url}>
        <span class="ctx-kind">{c.kind === 'window' ? (c.openerId !== null ? msg('tpPopup') : c.top ? msg('tpTopFrame') : msg('tpFrame')) : c.kind}</span>
        <span class="ctx-origin">{c.origin || msg('tpOpaqueOrigin')}</span>
        <span class="ctx-url">{shortUrl(c.url)}</span>
        {c.openerId !== null && (
          <span
            class="ctx-opener"
            data-opener-id={c.openerId}
            title={msg('tpOpenerTitle')}
            onClick={(e) => {
              e.stopPropagation();
              store.select(selectContext(c.openerId as number));
            }}
          >
            {msg('tpOpenedBy', contextName(data, c.openerId))}
          </span>
        )}
        {c.inside && (
          <span class={`ctx-inside${c.inside.recorded ? '' : ' dim'}`} data-inside={c.inside.recorded ? 'recorded' : c.inside.why} title={c.inside.recorded ? msg('tpInsideTitle') : insideNote(c.inside)}>
            {c.inside.recorded ? msg('tpInside') : msg('tpOutsideOnly')}
          </span>
        )}
        {node.listeners > 0 && (
          <span class="listener-count" data-listener-count={node.listeners} title={listenersOn(node.listeners, c.kind === 'window' ? 'window' : 'worker')}>
            {fmt.number(node.listeners)} ⚑
          </span>
        )}
      </div>
      {node.ports.length === 0 && node.ghosts.length === 0 ? (
        <div class="no-ports dim">{msg('tpNoPorts')}</div>
      ) : (
        <div class="ports">
          {node.ports.map((p) => (
            <Chip p={p} store={store} data={data} picked={picked.has(p.id)} focused={focus?.kind === 'port' && focus.id === p.id} />
          ))}
          {node.ghosts.map((g) => (
            <Ghost g={g} store={store} data={data} />
          ))}
        </div>
      )}
      {node.workers.map((w) => (
        <ContextBox node={w} store={store} data={data} focus={focus} picked={picked} />
      ))}
      {node.frames.map((f) => (
        <ContextBox node={f} store={store} data={data} focus={focus} picked={picked} />
      ))}
    </div>
  );
}

function Chip({ p, store, data, picked, focused }: { p: PortChip; store: Store; data: Dataset; picked: boolean; focused: boolean }) {
  const rec = data.ports.get(p.id);
  const gone = p.partnerGoneWith !== null ? data.contexts.get(p.partnerGoneWith) : undefined;
  const title = [
    msg('tpPort', p.id),
    p.channelId !== null ? msg('tpChannel', p.channelId) : msg('tpChannelNotSeen'),
    STATE_LABEL[p.state](),
    p.entangledWith !== null ? msg('tpEntangledWith', p.entangledWith) : msg('tpNotEntangled'),
    gone ? msg('tpPartnerWentAway', contextName(data, gone.id)) : '',
    p.moved ? msg('tpHasMoved') : '',
    p.candidates ? `${p.candidates.length ? msg('tpIdentityMaybe', portList(p.candidates)) : msg('tpIdentityUnknown')}${rec?.identity ? ` (${identityWhy(rec.identity)})` : ''}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <button
      class={`port-chip s-${p.state}${picked ? ' picked' : ''}${focused ? ' focused' : ''}`}
      data-port-id={p.id}
      data-state={p.state}
      title={title}
      onClick={() => rec && store.select(selectPort(rec))}
    >
      <span class="dot" />
      {msg('tpPort', p.id)}
      {p.moved && <span class="moved" title={msg('tpMovedHere')}>↪</span>}
      {p.candidates && (
        <span class="identity-unknown" data-candidates={p.candidates.join(' ')}>
          {p.candidates.length ? `= ${portList(p.candidates)}?` : msg('tpIdentityQ')}
        </span>
      )}
      {gone && (
        <span class="partner-gone" data-partner-gone={gone.id}>
          {msg('tpPartnerGone')}
        </span>
      )}
      {p.listeners > 0 && (
        <span class="listener-count" data-listener-count={p.listeners} title={p.listeners === 1 ? msg('tpListener1', fmt.number(p.listeners)) : msg('tpListeners', fmt.number(p.listeners))}>
          {fmt.number(p.listeners)} ⚑
        </span>
      )}
    </button>
  );
}

function Ghost({ g, store, data }: { g: GhostChip; store: Store; data: Dataset }) {
  const rec = data.ports.get(g.id);
  return (
    <button class="port-chip ghost" data-ghost-port-id={g.id} title={g.leftIn !== null ? msg('tpGhostTitleIn', g.id, g.leftIn) : msg('tpGhostTitle', g.id)} onClick={() => rec && store.select(selectPort(rec))}>
      {msg('tpGhost', g.id)}
    </button>
  );
}
