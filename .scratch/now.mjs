import { chromium } from 'playwright-core';
import { requireBrowser } from '../scripts/browsers.mjs';
const b = await chromium.launch({ executablePath: requireBrowser('chromium'), headless: true });
const p = await b.newPage();
await p.goto('data:text/html,x');
console.log(await p.evaluate(() => { const a = []; for (let i = 0; i < 2000; i++) a.push(performance.now()); const odd = a.filter((t) => Math.round(t * 1000) / 1000 !== t); return { sample: a.slice(0, 3), distinct: new Set(a).size, notOnMicroGrid: odd.length, ex: odd.slice(0, 3), roundedBelow: odd.filter((t) => Math.round(t * 1000) / 1000 < t).length }; }));
await b.close();
