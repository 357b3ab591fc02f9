// Frame times of the panel's views while a person scrolls and zooms: real input events through
// CDP (Input.dispatchMouseEvent: mouseWheel, drag), frame times from requestAnimationFrame
// timestamps taken by a loop injected from outside (the viewer has no hook for this).
import { spread } from './stats.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts a rAF loop in the page; `stop()` resolves with the intervals between its frames (ms). */
async function frameClock(evaluate) {
  await evaluate(`(() => {
    const f = (window.__benchFrames = { t: [], on: true });
    const loop = (t) => { f.t.push(t); if (f.on) requestAnimationFrame(loop); };
    requestAnimationFrame(loop);
  })()`);
  return {
    async stop() {
      const t = await evaluate(`(() => { const f = window.__benchFrames; f.on = false; return f.t; })()`);
      return t.slice(1).map((x, i) => x - t[i]);
    },
  };
}

export function quantile(v, q) {
  const s = v.slice().sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
}

/** Per-run median and p95 of the frame intervals, then their spread over runs. */
export function frameStats(perRun) {
  return {
    med: spread(perRun.map((v) => quantile(v, 0.5))),
    p95: spread(perRun.map((v) => quantile(v, 0.95))),
    max: spread(perRun.map((v) => Math.max(...v))),
    frames: spread(perRun.map((v) => v.length)),
  };
}

/** The centre of the element matching `sel`, in CSS pixels of the viewport. */
const centre = (evaluate, sel) =>
  evaluate(`(() => { const r = document.querySelector(${JSON.stringify(sel)}).getBoundingClientRect(); return { x: r.left + r.width / 2, y: r.top + r.height / 2, w: r.width, h: r.height }; })()`);

/**
 * Scrolls the Messages table and zooms/pans the Timeline of what the viewer shows, `runs`
 * times each. `cdp` is a CDP session of the page, `evaluate(expr)` evaluates there.
 */
export async function viewFrames(cdp, evaluate, { runs, log, budgetS = 60 }) {
  const t00 = Date.now();
  const mouse = (p) => cdp.send('Input.dispatchMouseEvent', { button: 'none', pointerType: 'mouse', ...p });
  const wheel = (x, y, deltaY, pace = 16) => mouse({ type: 'mouseWheel', x, y, deltaX: 0, deltaY }).then(() => sleep(pace));
  const show = async (view, sel) => {
    await evaluate(`document.querySelector('[data-view=${view}]').click()`);
    for (let i = 0; i < 100 && !(await evaluate(`!!document.querySelector(${JSON.stringify(sel)})`)); i++) await sleep(50);
    await sleep(300);
  };
  const scroll = [];
  const timeline = [];
  const notes = {};
  for (let run = 0; run < runs; run++) {
    if ((Date.now() - t00) / 1000 > budgetS) {
      notes.stopped = `stopped after ${run} of ${runs} runs (time budget ${budgetS} s)`;
      break;
    }
    // Messages: a fast flick down through the table, then back up.
    await show('messages', '[data-testid=message-grid]');
    await evaluate(`document.querySelector('[data-testid=message-grid]').scrollTop = 0`);
    const g = await centre(evaluate, '[data-testid=message-grid]');
    await mouse({ type: 'mouseMoved', x: g.x, y: g.y });
    let clock = await frameClock(evaluate);
    for (let i = 0; i < 60; i++) await wheel(g.x, g.y, 800);
    notes.scrolledRows = Math.round((await evaluate(`document.querySelector('[data-testid=message-grid]').scrollTop`)) / 20);
    for (let i = 0; i < 20; i++) await wheel(g.x, g.y, -800);
    await sleep(200);
    scroll.push(await clock.stop());

    // Timeline: wheel-zoom in around the middle, drag to pan, wheel-zoom back out.
    await show('timeline', '[data-testid=timeline]');
    const c = await centre(evaluate, '[data-testid=timeline]');
    const y = c.y + Math.min(40, c.h / 4); // below the ruler, where a drag pans
    await mouse({ type: 'mouseMoved', x: c.x, y });
    clock = await frameClock(evaluate);
    for (let i = 0; i < 30; i++) await wheel(c.x, y, -120);
    notes.zoomedIn = await evaluate(`document.querySelector('[data-testid=timeline-stats]').textContent`);
    await mouse({ type: 'mousePressed', x: c.x, y, button: 'left', buttons: 1, clickCount: 1 });
    for (let i = 1; i <= 30; i++) {
      await mouse({ type: 'mouseMoved', x: c.x - i * 10, y, button: 'left', buttons: 1 });
      await sleep(16);
    }
    await mouse({ type: 'mouseReleased', x: c.x - 300, y, button: 'left', buttons: 0, clickCount: 1 });
    for (let i = 0; i < 30; i++) await wheel(c.x, y, 120);
    notes.zoomedOut = await evaluate(`document.querySelector('[data-testid=timeline-stats]').textContent`);
    await sleep(200);
    timeline.push(await clock.stop());
    const s = scroll[scroll.length - 1];
    const t = timeline[timeline.length - 1];
    log(`  frames run ${run + 1}: messages scroll median ${quantile(s, 0.5).toFixed(1)} ms, p95 ${quantile(s, 0.95).toFixed(1)} ms (${s.length} frames); timeline zoom/pan median ${quantile(t, 0.5).toFixed(1)} ms, p95 ${quantile(t, 0.95).toFixed(1)} ms (${t.length} frames)`);
  }
  return { scroll: scroll.length ? frameStats(scroll) : null, timeline: timeline.length ? frameStats(timeline) : null, runs: scroll.length, notes };
}
