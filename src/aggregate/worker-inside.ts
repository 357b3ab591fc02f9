// Whether a worker is recorded from inside (issue 21), and if not, why: shown on the worker's
// context in the Topology so that a worker is never silently half-seen. The background says
// what the "Record inside workers" switch is for the tab (setWorkerSwitch); the page says what
// it knows of the worker (a blob: or data: script, whose response Firefox cannot filter); the
// worker's own hello says it is recorded. A reason is given as fact only when it is certain;
// otherwise the status lists the candidates.
import type { ScriptScheme } from '../protocol/events';
import type { ContextRecord, FindingArg, FindingText, WorkerInside } from '../protocol/session';
import type { MessageKey } from '../i18n/lookup';

/** The note as a catalogue key and parameters (WorkerInside.text); its English is `note`. */
const say = (key: MessageKey, ...args: FindingArg[]): FindingText => ({ key, args });
/** The switch's name as the toolbar says it. */
const SWITCH: FindingArg = { text: say('tbWorkers') };

export interface WorkerSwitch {
  /** The switch is on for the tab now. */
  on: boolean;
  /** When it was last turned on (epoch ms, the page's clock base); null while off. */
  since: number | null;
  /** How the browser lets the extension in: the debugger (chromium) or the script filter (firefox). */
  engine: 'chromium' | 'firefox' | null;
  /** Why the switch cannot work now (the debugger could not attach, ...). */
  problem: string | null;
}

export const SWITCH_OFF: WorkerSwitch = { on: false, since: null, engine: null, problem: null };

export function insideOf(c: ContextRecord, reports: boolean, sw: WorkerSwitch, scheme: ScriptScheme | undefined): WorkerInside | undefined {
  if (c.kind === 'window') return undefined;
  if (reports) return { recorded: true };
  // A shared worker's script is not reported (its object is numbered when first used): one
  // worker opened by two documents is two contexts, which the note says rather than hides.
  if (c.kind === 'sharedworker')
    return { recorded: false, why: 'not-dedicated', note: 'not recorded inside: only dedicated workers are instrumented from inside, not a shared worker; its script is not reported, so each document’s SharedWorker is a context of its own, even when two are the same worker', text: say('inWhy_shared_worker') };
  if (c.kind !== 'worker') return { recorded: false, why: 'not-dedicated', note: 'not recorded inside: only dedicated workers are instrumented from inside, not a service worker', text: say('inWhy_service_worker') };
  if (!sw.on) return { recorded: false, why: 'switch-off', note: 'not recorded inside: "Record inside workers" is off', text: say('inWhy_switch_off', SWITCH) };
  if (sw.problem) return { recorded: false, why: 'switch-failed', note: `not recorded inside: ${sw.problem}`, text: say('inWhy_switch_failed', { s: sw.problem }) };
  if (scheme && sw.engine === 'firefox') return { recorded: false, why: 'no-response-to-filter', note: `not recorded inside: a ${scheme}: worker has no response Firefox lets the extension filter`, text: say('inWhy_no_response', { s: scheme }) };
  // First seen before the switch was on: it was made then, and nothing instruments a running worker.
  if (sw.since !== null && c.createdAt !== null && c.createdAt < sw.since) return { recorded: false, why: 'created-before-switch', note: 'not recorded inside: it was running before "Record inside workers" was switched on (reload the page)', text: say('inWhy_created_before', SWITCH) };
  const candidates = ['its hello has not come yet', 'it was made before the switch was on', 'its script could not be instrumented'];
  if (scheme) candidates.push(`a ${scheme}: script`);
  const text = scheme ? say('inWhy_unknown_scheme', { s: scheme }) : say('inWhy_unknown');
  return { recorded: false, why: 'unknown', note: `not recorded inside, reason unknown: ${candidates.join('; or ')}`, text };
}
