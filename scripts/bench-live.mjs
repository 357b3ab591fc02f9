#!/usr/bin/env node
// The live DevTools panel measurement alone (the last phase of npm run bench): the frame rate of
// the Channels panel while the page posts 10,000 messages/s, per window, and where its time goes.
//   node scripts/bench-live.mjs [--windows N] [--rate R] [--json FILE]
import { writeFileSync } from 'node:fs';
import { startServer } from './serve.mjs';
import { livePanel } from './bench/live.mjs';

const argv = process.argv.slice(2);
const flag = (k, d) => (argv.includes(`--${k}`) ? argv[argv.indexOf(`--${k}`) + 1] : d);
const srv = await startServer();
try {
  const r = await livePanel(`${srv.origin()}/bench/live.html`, { rate: Number(flag('rate', 10_000)), windows: Number(flag('windows', 6)), log: (s) => console.log(s), profileViews: ['messages', 'timeline'] });
  const f = (s) => `${s.med.toFixed(1)} (${s.min.toFixed(1)}–${s.max.toFixed(1)})`;
  console.log(`sent ${r.sent} at ${Math.round(r.rate)}/s; shown ${r.shown} (${r.shownAtEnd} when the traffic stopped)`);
  console.log(`Messages: ${f(r.messages.fps)} fps over ${r.messages.windows} windows; Timeline: ${f(r.timeline.fps)} fps over ${r.timeline.windows}`);
  console.log(`panel heap ${(r.heap0 / 1e6).toFixed(1)} → ${(r.heap1 / 1e6).toFixed(1)} MB`);
  for (const [view, p] of Object.entries(r.profiles)) console.log(`${view} profile (self time):\n  ${p.functions.map((x) => `${x.what} ${x.pct.toFixed(1)}%`).join('\n  ')}`);
  const out = flag('json', null);
  if (out) writeFileSync(out, JSON.stringify(r, null, 2));
} finally {
  await srv.close();
}
