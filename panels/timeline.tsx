// The Timeline view: a canvas with a lane per context and each message an arrow from its
// send to its delivery; losses are marked at the sender. Wheel zooms around the pointer,
// dragging the lanes pans, dragging on the ruler brushes a time range that filters the
// other views; a click picks the nearest arrow.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Dataset } from './model/dataset';
import { contextLabel, relTime, startTime, timeExtent } from './model/format';
import {
  arrowOf,
  clampView,
  density,
  messageExtent,
  hitArrow,
  inView,
  LABEL_WIDTH,
  LANE_HEIGHT,
  laneIndex,
  lanesOf,
  laneY,
  MAX_ARROWS,
  paddedExtent,
  panBy,
  RULER_HEIGHT,
  ticks,
  tOf,
  xOf,
  zoomAt,
  type Arrow,
  type TimeView,
} from './model/timeline';
import { highlightOf, isMessageHighlighted, selectMessage } from './model/selection';
import { indexOf, messageById } from './model/dataset';
import { useSize } from './hooks';
import type { PanelState, Store } from './store';
import { fmt, msg } from './i18n';

type Drag = { mode: 'pan'; x: number; view: TimeView; moved: boolean } | { mode: 'brush'; from: number; to: number };

export function TimelineView({ store, state, data }: { store: Store; state: PanelState; data: Dataset }) {
  const [wrap, size] = useSize<HTMLDivElement>();
  const canvas = useRef<HTMLCanvasElement>(null);
  // Kept current by applyDelta as deltas arrive; its version says when it changed.
  const ix = indexOf(data);
  // Zoom out as far as the whole recording; start on the span the messages cover.
  const extent = useMemo(() => paddedExtent(timeExtent(data)), [data, data.parts.contexts, data.parts.ports, ix, ix.version]);
  const fit = useMemo(() => {
    const m = messageExtent(ix);
    return m ? clampView(paddedExtent(m), extent) : extent;
  }, [ix, ix.version, extent]);
  const [zoom, setZoom] = useState<TimeView | null>(null);
  const view = zoom ?? fit;
  const lanes = useMemo(() => lanesOf(data), [data, data.parts.contexts, ix, ix.routesVersion]);
  const lanesById = useMemo(() => laneIndex(lanes), [lanes]);
  const t0 = useMemo(() => startTime(data), [data, data.version]);
  const drawn = useRef<Arrow[]>([]);
  const drag = useRef<Drag | null>(null);
  const [brushing, setBrushing] = useState<{ from: number; to: number } | null>(null);
  const height = Math.max(size.height, RULER_HEIGHT + lanes.length * LANE_HEIGHT + 8);
  // What is in view, by binary search: known at render, so the counts shown need no second render.
  const range = inView(ix, view);
  const count = range.end - range.start;
  const arrowCount = count > MAX_ARROWS ? 0 : count;
  // The last picture's inputs: a render that changes none of them (another view's state) draws nothing.
  const lastDraw = useRef<unknown[]>([]);
  const labels = useRef(new Map<string, string>());

  useEffect(() => {
    const cv = canvas.current;
    if (!cv || size.width === 0) return;
    const inputs = [size.width, height, lanes, view.from, view.to, ix, ix.version, brushing, state.brush, state.selection, t0];
    if (inputs.length === lastDraw.current.length && inputs.every((v, i) => v === lastDraw.current[i])) return;
    lastDraw.current = inputs;
    const dpr = window.devicePixelRatio || 1;
    // Setting a canvas's size clears it and resets its context even when unchanged: only when it changed.
    const pw = Math.round(size.width * dpr);
    const ph = Math.round(height * dpr);
    if (cv.width !== pw) cv.width = pw;
    if (cv.height !== ph) cv.height = ph;
    const g = cv.getContext('2d');
    if (!g) return;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    const css = getComputedStyle(cv);
    const color = (name: string) => css.getPropertyValue(name).trim() || '#888';
    const c = { bgAlt: color('--bg-alt'), fgDim: color('--fg-dim'), border: color('--border'), brush: color('--brush'), accent: color('--accent'), error: color('--error'), warning: color('--warning') };
    const w = size.width;
    g.clearRect(0, 0, w, height);
    g.font = '11px system-ui, sans-serif';
    g.textBaseline = 'middle';

    // Lanes and their labels.
    lanes.forEach((l, i) => {
      const y = RULER_HEIGHT + i * LANE_HEIGHT;
      if (i % 2) {
        g.fillStyle = c.bgAlt;
        g.fillRect(0, y, w, LANE_HEIGHT);
      }
      g.fillStyle = c.fgDim;
      const label = l.context ? `${'  '.repeat(l.depth)}${contextLabel(l.context, l.contextId)}` : msg('tlSenderNotSeen');
      let short = labels.current.get(label);
      if (short === undefined) labels.current.set(label, (short = ellipsize(g, label, LABEL_WIDTH - 10)));
      g.fillText(short, 6, y + LANE_HEIGHT / 2);
    });
    g.strokeStyle = c.border;
    g.beginPath();
    g.moveTo(LABEL_WIDTH + 0.5, 0);
    g.lineTo(LABEL_WIDTH + 0.5, height);
    g.stroke();

    // Ruler.
    g.fillStyle = c.bgAlt;
    g.fillRect(LABEL_WIDTH, 0, w - LABEL_WIDTH, RULER_HEIGHT);
    const tk = ticks(view, Math.max(2, Math.floor((w - LABEL_WIDTH) / 110)), t0);
    g.strokeStyle = c.border;
    g.beginPath();
    for (const t of tk.at) {
      const x = Math.round(xOf(view, w, t)) + 0.5;
      g.moveTo(x, RULER_HEIGHT - 6);
      g.lineTo(x, height);
    }
    g.stroke();
    g.fillStyle = c.fgDim;
    for (const t of tk.at) g.fillText(relTime(t, t0), Math.round(xOf(view, w, t)) + 3.5, RULER_HEIGHT / 2);
    g.fillText(msg('tlRulerHint'), 6, RULER_HEIGHT / 2);

    // Brush (chosen or being chosen).
    const b = brushing ?? state.brush;
    if (b) {
      const x1 = Math.max(LABEL_WIDTH, xOf(view, w, b.from));
      const x2 = Math.min(w, xOf(view, w, b.to));
      if (x2 > x1) {
        g.fillStyle = c.brush;
        g.fillRect(x1, 0, x2 - x1, height);
      }
    }

    // Messages.
    g.save();
    g.beginPath();
    g.rect(LABEL_WIDTH, RULER_HEIGHT, w - LABEL_WIDTH, height - RULER_HEIGHT);
    g.clip();
    const arrows: Arrow[] = [];
    if (count > MAX_ARROWS) {
      // Too dense for arrows: how many messages leave each lane per pixel, as one path.
      const bins = density(ix, lanesById, lanes.length, view, w);
      let max = 1;
      for (const col of bins) for (let i = 0; i < col.length; i++) if (col[i] > max) max = col[i];
      g.fillStyle = c.accent;
      g.beginPath();
      bins.forEach((col, lane) => {
        const y = laneY(lane);
        for (let i = 0; i < col.length; i++) {
          if (!col[i]) continue;
          const h = Math.max(2, (col[i] / max) * (LANE_HEIGHT - 6));
          g.rect(LABEL_WIDTH + i, y - h / 2, 1, h);
        }
      });
      g.fill();
    } else {
      const hl = highlightOf(state.selection);
      const focus = state.selection.focus?.kind === 'message' ? state.selection.focus.id : null;
      for (let i = range.start; i < range.end; i++) {
        const m = ix.byStart[i];
        const a = arrowOf(m, lanesById, view, w);
        if (!a) continue;
        arrows.push(a);
        const strong = m.id === focus || isMessageHighlighted(hl, m);
        drawArrow(g, a, a.lost ? c.error : a.pending ? c.warning : c.accent, strong);
      }
    }
    g.restore();
    drawn.current = arrows;
  });

  const pointX = (e: MouseEvent) => e.clientX - (canvas.current?.getBoundingClientRect().left ?? 0);
  const pointY = (e: MouseEvent) => e.clientY - (canvas.current?.getBoundingClientRect().top ?? 0);

  return (
    <div class="timeline">
      <div class="timeline-bar">
        <span class="tl-legend" aria-label={msg('tlLegend')}>
          <span class="lg lg-delivered" /> {msg('tlDelivered')} <span class="lg lg-waiting" /> {msg('tlWaiting')} <span class="lg lg-lost">×</span> {msg('tlLost')}
        </span>
        <span class="hint">{msg('tlHint')}</span>
        <span class="timeline-stats" data-testid="timeline-stats">
          {count > MAX_ARROWS ? msg('tlInViewDensity', fmt.number(count)) : msg('tlInView', fmt.number(arrowCount))}
        </span>
        {state.brush && (
          <button class="chip" onClick={() => store.setBrush(null)}>
            {relTime(state.brush.from, t0)} – {relTime(state.brush.to, t0)} ✕
          </button>
        )}
      </div>
      <div class="timeline-canvas" ref={wrap}>
        <canvas
          ref={canvas}
          style={{ width: `${size.width}px`, height: `${height}px` }}
          tabIndex={0}
          role="img"
          aria-label={msg('tlAria', fmt.number(lanes.length), fmt.number(arrowCount))}
          data-testid="timeline"
          data-lanes={lanes.length}
          data-arrows={arrowCount}
          onWheel={(e) => {
            e.preventDefault();
            if (e.shiftKey) setZoom(panBy(view, ((e.deltaY || e.deltaX) / Math.max(1, size.width - LABEL_WIDTH)) * (view.to - view.from), extent));
            else setZoom(zoomAt(view, tOf(view, size.width, pointX(e)), Math.exp(e.deltaY * 0.002), extent));
          }}
          onMouseDown={(e) => {
            const x = pointX(e);
            if (pointY(e) < RULER_HEIGHT && x > LABEL_WIDTH) {
              const t = tOf(view, size.width, x);
              drag.current = { mode: 'brush', from: t, to: t };
            } else drag.current = { mode: 'pan', x, view, moved: false };
          }}
          onMouseMove={(e) => {
            const d = drag.current;
            if (!d || !(e.buttons & 1)) return;
            const x = pointX(e);
            if (d.mode === 'brush') {
              d.to = tOf(view, size.width, x);
              setBrushing({ from: Math.min(d.from, d.to), to: Math.max(d.from, d.to) });
            } else if (Math.abs(x - d.x) > 2 || d.moved) {
              d.moved = true;
              setZoom(panBy(d.view, -((x - d.x) / Math.max(1, size.width - LABEL_WIDTH)) * (d.view.to - d.view.from), extent));
            }
          }}
          onMouseUp={(e) => {
            const d = drag.current;
            drag.current = null;
            if (d?.mode === 'brush') {
              setBrushing(null);
              store.setBrush(d.to !== d.from ? { from: Math.min(d.from, d.to), to: Math.max(d.from, d.to) } : null);
            } else if (d?.mode === 'pan' && !d.moved) {
              const a = hitArrow(drawn.current, pointX(e), pointY(e));
              const m = a && messageById(data, a.id);
              if (m) store.select(selectMessage(m));
            }
          }}
          onDblClick={() => setZoom(null)}
          onKeyDown={(e) => {
            const mid = (view.from + view.to) / 2;
            const span = view.to - view.from;
            if (e.key === '+' || e.key === '=') setZoom(zoomAt(view, mid, 0.7, extent));
            else if (e.key === '-') setZoom(zoomAt(view, mid, 1 / 0.7, extent));
            else if (e.key === 'ArrowLeft') setZoom(panBy(view, -span * 0.1, extent));
            else if (e.key === 'ArrowRight') setZoom(panBy(view, span * 0.1, extent));
            else if (e.key === '0') setZoom(null);
            else return;
            e.preventDefault();
          }}
        />
      </div>
    </div>
  );
}

function drawArrow(g: CanvasRenderingContext2D, a: Arrow, stroke: string, strong: boolean) {
  g.strokeStyle = stroke;
  g.fillStyle = stroke;
  g.lineWidth = strong ? 2.5 : 1.2;
  g.globalAlpha = strong ? 1 : 0.85;
  g.beginPath();
  g.arc(a.x1, a.y1, strong ? 3.5 : 2.5, 0, Math.PI * 2);
  g.fill();
  if (a.lost) {
    // A loss: a cross where the message died.
    const s = 4;
    g.beginPath();
    g.moveTo(a.x1 - s, a.y1 - s - 6);
    g.lineTo(a.x1 + s, a.y1 + s - 6);
    g.moveTo(a.x1 + s, a.y1 - s - 6);
    g.lineTo(a.x1 - s, a.y1 + s - 6);
    g.stroke();
  } else if (a.x2 !== a.x1 || a.y2 !== a.y1) {
    if (a.pending) g.setLineDash([3, 3]);
    g.beginPath();
    g.moveTo(a.x1, a.y1);
    g.lineTo(a.x2, a.y2);
    g.stroke();
    g.setLineDash([]);
    const ang = Math.atan2(a.y2 - a.y1, a.x2 - a.x1);
    g.beginPath();
    g.moveTo(a.x2, a.y2);
    g.lineTo(a.x2 - 7 * Math.cos(ang - 0.4), a.y2 - 7 * Math.sin(ang - 0.4));
    g.lineTo(a.x2 - 7 * Math.cos(ang + 0.4), a.y2 - 7 * Math.sin(ang + 0.4));
    g.closePath();
    g.fill();
  }
  g.globalAlpha = 1;
  g.lineWidth = 1;
}

function ellipsize(g: CanvasRenderingContext2D, text: string, width: number): string {
  if (g.measureText(text).width <= width) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (g.measureText(text.slice(0, mid) + '…').width <= width) lo = mid;
    else hi = mid - 1;
  }
  return text.slice(0, lo) + '…';
}
