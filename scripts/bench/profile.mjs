// Where the time goes: a sampling CPU profile of the page (and of the service worker) while a
// row runs with recording on, reduced to self time per function, per source module (esbuild's
// unminified bundles mark each module with a `// src/...` line) and, for the costliest
// functions, who called them.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST_CHROME } from '../browsers.mjs';
import { connectTarget } from './cdp.mjs';

const modulesOf = new Map();
/** Line (0-based) → the bundle's module at that line, e.g. src/instrument/natives.ts. */
function moduleAt(file, line) {
  if (!modulesOf.has(file)) {
    const path = join(DIST_CHROME, file);
    const marks = [];
    if (existsSync(path))
      readFileSync(path, 'utf8').split('\n').forEach((l, i) => {
        // A worktree's node_modules symlink shows as ../../main/node_modules/...
        const m = /^\s*\/\/ (?:(?:\.\.\/)+[^/\s]+\/)?((?:src|extension|panels|node_modules)\/\S+)$/.exec(l);
        if (m) marks.push([i, m[1].replace(/^node_modules\//, '')]);
      });
    modulesOf.set(file, marks);
  }
  let mod = null;
  for (const [i, m] of modulesOf.get(file)) if (i <= line) mod = m;
  return mod;
}

function summarize(profile, top = 12) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (id) => {
    const cf = byId.get(id).callFrame;
    const file = cf.url ? cf.url.split('/').pop().split('?')[0] : '';
    const mod = file ? moduleAt(file, cf.lineNumber) : null;
    return { fn: `${cf.functionName || '(anonymous)'}${file ? ` (${mod ? mod + ', ' : ''}${file}:${cf.lineNumber + 1})` : ''}`, script: file || cf.functionName, mod: mod ?? (file || cf.functionName) };
  };
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const total = [...self.values()].reduce((a, b) => a + b, 0) || 1;
  const fns = new Map();
  const scripts = new Map();
  const mods = new Map();
  const callers = new Map();
  const add = (m, k, v) => m.set(k, (m.get(k) ?? 0) + v);
  for (const [id, us] of self) {
    const l = label(id);
    add(fns, l.fn, us);
    add(scripts, l.script, us);
    add(mods, l.mod, us);
    if (!callers.has(l.fn)) callers.set(l.fn, new Map());
    const p = parent.get(id);
    add(callers.get(l.fn), p ? label(p).fn : '(root)', us);
  }
  const sort = (m) => [...m].sort((a, b) => b[1] - a[1]).map(([what, us]) => ({ what, pct: (100 * us) / total }));
  const functions = sort(fns).slice(0, top);
  for (const f of functions.slice(0, 3)) f.callers = sort(callers.get(f.what)).slice(0, 3);
  return { totalMs: total / 1000, functions, scripts: sort(scripts).slice(0, 8), modules: sort(mods).slice(0, 10) };
}

/** Profiles `work()` in the page (playwright CDP session) and, if given, the service worker. */
export async function profileRun(pageCdp, swWsUrl, work) {
  const sw = swWsUrl ? await connectTarget(swWsUrl) : null;
  for (const s of [pageCdp, sw].filter(Boolean)) {
    await s.send('Profiler.enable');
    await s.send('Profiler.setSamplingInterval', { interval: 200 });
    await s.send('Profiler.start');
  }
  const result = await work();
  const page = summarize((await pageCdp.send('Profiler.stop')).profile);
  let worker = null;
  if (sw) {
    worker = summarize((await sw.send('Profiler.stop')).profile);
    sw.close();
  }
  return { result, page, worker };
}
