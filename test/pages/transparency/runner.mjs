// Runs the scenario named by ?s= when window.__run() is called, and resolves with its log as JSON text.
// ?list=1 lists the scenario names instead.
import { scenarios } from './scenarios.mjs';
import { makeLog, describeError } from './helpers.mjs';

const params = new URLSearchParams(location.search);
const stringify = JSON.stringify;

async function main() {
  if (params.get('list')) return stringify(Object.keys(scenarios));
  const name = params.get('s');
  const log = makeLog();
  const scenario = scenarios[name];
  if (!scenario) {
    log.add('unknown scenario', name);
  } else {
    try {
      await scenario(log.add, log);
    } catch (e) {
      log.add('scenario threw', describeError(e));
    }
  }
  // Let late errors and stray deliveries land before closing the log.
  await new Promise((r) => setTimeout(r, 30));
  log.add('window errors', window.__errors.slice());
  return stringify(log.entries);
}
// The harness starts the scenario once the page has loaded, with one call that it awaits
// (no polling that would run its own code in the page while a scenario has built-ins
// patched): window.__run() resolves with the log. ?auto=1 starts it by itself, and so does
// a scenario whose name ends in @early, before the page has loaded.
let started = null;
window.__run = () => (started ??= main().then((r) => (window.__result = r)));
if (params.get('auto') || (params.get('s') || '').endsWith('@early')) window.__run();
