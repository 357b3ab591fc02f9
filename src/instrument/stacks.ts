// The page's call stack at a channel operation, without the instrumentation's own
// frames. V8 and SpiderMonkey format stacks differently; both are kept as text and
// trimmed to the first frame outside this script.
import type { Natives } from './natives';

const MAX_FRAMES = 12;

export interface Stacks {
  capture(): string | undefined;
}

export function createStacks(n: Natives, g: typeof globalThis): Stacks {
  const ErrorCtor = g.Error;
  const stackDesc = n.getOwnPropertyDescriptor(ErrorCtor.prototype, 'stack');
  const stackGetter = stackDesc?.get;
  const raw = (): string => {
    const e = new ErrorCtor();
    const s = stackGetter ? n.apply(stackGetter, e, []) : (e as { stack?: unknown }).stack;
    return typeof s === 'string' ? s : '';
  };
  // The first frame of a stack taken here names this script's URL.
  const self = scriptOf(raw());
  return {
    capture() {
      try {
        return trim(raw(), self);
      } catch {
        return undefined;
      }
    },
  };
}

function trim(text: string, self: string | null): string | undefined {
      const lines = text.split('\n');
      let out = '';
      let kept = 0;
      for (let i = 0; i < lines.length && kept < MAX_FRAMES; i++) {
        const line = lines[i];
        if (!line || line === 'Error' || (self && line.includes(self))) continue;
        out += (kept ? '\n' : '') + line.trim();
        kept++;
      }
      return out || undefined;
}

/** The URL of the first frame of a stack (V8: "at f (url:1:2)"; Firefox: "f@url:1:2"). */
function scriptOf(stack: string): string | null {
  const m = /(?:\(|@|at )((?:[a-z-]+-extension|moz-extension|chrome-extension|https?|file):\/\/[^\s)]+?):\d+:\d+/.exec(stack);
  return m ? m[1] : null;
}
