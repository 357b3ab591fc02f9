// The page's call stack at a channel operation, without the instrumentation's own
// frames. V8 and SpiderMonkey format stacks differently; both are kept as text and
// trimmed to the first frame outside this script. Only captured natives are used, and
// nothing is captured while the page has its own Error.prepareStackTrace (V8 would
// call it, and the page would see an extra call).
import type { Natives } from './natives';

const MAX_FRAMES = 12;

export interface Stacks {
  capture(): string | undefined;
}

export function createStacks(n: Natives, g: typeof globalThis): Stacks {
  const ErrorCtor = g.Error;
  const stackGetter = n.getOwnPropertyDescriptor(ErrorCtor.prototype, 'stack')?.get;
  const pageFormatsStacks = () => {
    const d = n.getOwnPropertyDescriptor(ErrorCtor, 'prepareStackTrace');
    return !!d && (n.dataProp(d, 'value') !== undefined || n.dataProp(d, 'get') !== undefined || n.dataProp(d, 'set') !== undefined);
  };
  const raw = (): string => {
    const e = new ErrorCtor();
    const s = stackGetter ? n.apply(stackGetter, e, []) : n.dataProp(e, 'stack');
    return typeof s === 'string' ? s : '';
  };
  // The first frame of a stack taken here names this script's URL.
  const self = pageFormatsStacks() ? null : scriptOf(raw());
  return {
    capture() {
      if (pageFormatsStacks()) return undefined;
      try {
        return trim(n, raw(), self);
      } catch {
        return undefined;
      }
    },
  };
}

function trim(n: Natives, text: string, self: string | null): string | undefined {
  const lines = n.split(text, '\n');
  let out = '';
  let kept = 0;
  for (let i = 0; i < lines.length && kept < MAX_FRAMES; i++) {
    const line = lines[i];
    if (!line || line === 'Error' || (self && n.indexOf(line, self) >= 0)) continue;
    out += (kept ? '\n' : '') + n.trim(line);
    kept++;
  }
  return out || undefined;
}

/** The URL of the first frame of a stack (V8: "at f (url:1:2)"; Firefox: "f@url:1:2"). */
function scriptOf(stack: string): string | null {
  const m = /(?:\(|@|at )((?:moz-extension|chrome-extension|https?|file):\/\/[^\s)]+?):\d+:\d+/.exec(stack);
  return m ? m[1] : null;
}
