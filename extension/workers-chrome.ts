// Chrome's way into a tab's workers (issue 21): the debugger, attached to the tab while the
// user has "Record inside workers" on (Chrome shows its "started debugging this browser" bar
// meanwhile). Target auto-attach pauses each new worker before its first line; the worker
// code is evaluated there and the worker let go. No domain is enabled: with Runtime enabled,
// console calls would serialize their arguments, which a page can notice through getters.
import type { WorkerEngine } from './worker-engine';

interface Debuggee {
  tabId?: number;
  sessionId?: string;
}
interface TargetInfo {
  type: string;
  url: string;
}
interface ChromeDebugger {
  attach(target: Debuggee, version: string): Promise<void>;
  detach(target: Debuggee): Promise<void>;
  sendCommand(target: Debuggee, method: string, params?: object): Promise<unknown>;
  onEvent: { addListener(f: (source: Debuggee, method: string, params?: unknown) => void): void };
  onDetach: { addListener(f: (source: Debuggee, reason: string) => void): void };
}

const AUTO_ATTACH = { autoAttach: true, waitForDebuggerOnStart: true, flatten: true };

export function chromeWorkers(code: () => Promise<string>, onChange: (tabId: number) => void): WorkerEngine {
  const dbg = (globalThis as unknown as { chrome: { debugger: ChromeDebugger } }).chrome.debugger;
  /** Tabs the debugger is attached to, and what went wrong there. */
  const tabs = new Map<number, { problem?: string }>();

  /** Workers paused at their first script, by session: the instrumentation breakpoint's id. */
  const due = new Map<string, { tabId: number; breakpoint: string }>();

  dbg.onEvent.addListener((source, method, params) => {
    if (source.tabId === undefined || !tabs.has(source.tabId)) return;
    if (method === 'Target.attachedToTarget') {
      const p = params as { sessionId: string; targetInfo: TargetInfo; waitingForDebugger: boolean };
      void attached(source.tabId, p.sessionId, p.targetInfo, p.waitingForDebugger);
    } else if (method === 'Debugger.paused' && source.sessionId !== undefined && due.has(source.sessionId)) {
      void firstScript(source.tabId, source.sessionId);
    }
  });
  dbg.onDetach.addListener((source, reason) => {
    if (source.tabId === undefined || source.sessionId !== undefined) return;
    const t = tabs.get(source.tabId);
    if (!t) return;
    // The user closed the bar ("canceled_by_user"), DevTools took over, or the tab closed.
    t.problem = reason === 'canceled_by_user' ? 'the debugger was detached from the bar: turn the switch off and on again' : `the debugger was detached (${reason})`;
    onChange(source.tabId);
  });

  async function attached(tabId: number, sessionId: string, info: TargetInfo, waiting: boolean) {
    const target = { tabId, sessionId };
    try {
      if (info.type === 'worker') {
        // Nested workers pause too.
        await dbg.sendCommand(target, 'Target.setAutoAttach', AUTO_ATTACH);
        // Paused before its first line the worker's scope is not whole yet (no setTimeout,
        // no structuredClone; reading its location crashes the renderer): the instrumentation
        // runs at the pause just before the worker's first script instead. The Debugger domain
        // is on only until then.
        await dbg.sendCommand(target, 'Debugger.enable');
        const r = (await dbg.sendCommand(target, 'Debugger.setInstrumentationBreakpoint', { instrumentation: 'beforeScriptExecution' })) as { breakpointId: string };
        due.set(sessionId, { tabId, breakpoint: r.breakpointId });
      } else if (info.type === 'iframe') {
        // An out-of-process frame: its own workers are auto-attached through its session.
        await dbg.sendCommand(target, 'Target.setAutoAttach', AUTO_ATTACH);
      }
      // Shared and service workers are let go as they are (not recorded inside yet).
    } catch {
      /* the target went away, or refused: it runs as it is */
    } finally {
      if (waiting) await dbg.sendCommand(target, 'Runtime.runIfWaitingForDebugger').catch(() => {});
    }
  }

  async function firstScript(tabId: number, sessionId: string) {
    const d = due.get(sessionId);
    if (!d) return;
    due.delete(sessionId);
    const target = { tabId, sessionId };
    try {
      await dbg.sendCommand(target, 'Debugger.removeBreakpoint', { breakpointId: d.breakpoint });
      await dbg.sendCommand(target, 'Runtime.evaluate', { expression: (await code()) + '\n//# sourceURL=channel-inspector-worker.js', silent: true });
    } catch {
      /* the worker went away: nothing to record */
    } finally {
      await dbg.sendCommand(target, 'Debugger.resume').catch(() => {});
      await dbg.sendCommand(target, 'Debugger.disable').catch(() => {});
    }
  }

  return {
    async set(tabId, on) {
      if (!on) {
        if (tabs.delete(tabId)) await dbg.detach({ tabId }).catch(() => {});
        return undefined;
      }
      const t: { problem?: string } = {};
      tabs.set(tabId, t);
      try {
        await dbg.attach({ tabId }, '1.3');
        await dbg.sendCommand({ tabId }, 'Target.setAutoAttach', AUTO_ATTACH);
      } catch (e) {
        t.problem = `the debugger could not attach: ${(e as Error)?.message ?? e}`;
      }
      return t.problem;
    },
    navigated(tabId) {
      // Auto-attach does not survive every navigation (a new renderer): set it again.
      if (tabs.has(tabId)) void dbg.sendCommand({ tabId }, 'Target.setAutoAttach', AUTO_ATTACH).catch(() => {});
    },
    problem: (tabId) => tabs.get(tabId)?.problem,
  };
}
