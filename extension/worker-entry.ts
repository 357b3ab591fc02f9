// Runs inside a dedicated worker before the worker's own first line (issue 21): evaluated
// there through the debugger in Chrome (extension/workers-chrome.ts), prepended to the
// worker's script in Firefox (extension/workers-firefox.ts). No extension API exists here;
// the worker's events go up a private port to the context that made it.
// The background puts its secret in place of WORKER_TOKEN before it hands the code over.
import { captureNatives } from '../src/instrument/natives';
import { openWorkerBridge } from '../src/instrument/worker-bridge';
import { install } from '../src/instrument/install';

declare const WORKER_TOKEN: string;
/** The engine this build is for (scripts/build.mjs). */
declare const __ENGINE__: 'chromium' | 'firefox';

const INSTALLED = 'channel-inspector-worker-installed';

(() => {
  const g = globalThis;
  try {
    // Once per scope: in Firefox a module worker's imports come with the worker's own fetch
    // destination and are prepended too. The first instance cancels this event; the page
    // sees it only if it listens for this very type.
    if (!g.dispatchEvent(new Event(INSTALLED, { cancelable: true }))) return;
    const natives = captureNatives(g);
    const bridge = openWorkerBridge(natives, g, WORKER_TOKEN);
    if (!bridge) return;
    // Flushed at the end of every task (no pacing here): a worker can be terminated at any
    // moment and what it buffered goes with it; the hop to its creator is a private port, and
    // the creator's relay paces what goes on to the background.
    const { rec, links } = install(g, { natives, engine: __ENGINE__, transport: bridge, flushDelay: 0 });
    bridge.attach(rec, links);
    natives.addEventListener.call(g, INSTALLED, (e: Event) => e.preventDefault());
  } catch {
    // The worker must behave as without the extension, whatever happens here.
  }
})();
