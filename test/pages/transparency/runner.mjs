// Runs the scenario named by ?s= and resolves window.__resultPromise with its log as JSON text.
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
// The harness awaits this promise once (no polling that would run its own code in the
// page while a scenario has built-ins patched); __result is for people looking.
window.__resultPromise = main().then((r) => (window.__result = r));
