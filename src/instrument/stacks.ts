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
  const accessor = (o: object, key: string) => {
    const d = n.getOwnPropertyDescriptor(o, key);
    return !!d && (n.dataProp(d, 'get') !== undefined || n.dataProp(d, 'set') !== undefined);
  };
  // V8 formats a stack with the page's Error.prepareStackTrace, and its first line with
  // Error.prototype.name and message: if the page made those code, a stack would run it.
  const pageFormatsStacks = () => {
    const d = n.getOwnPropertyDescriptor(ErrorCtor, 'prepareStackTrace');
    if (d && (n.dataProp(d, 'value') !== undefined || n.dataProp(d, 'get') !== undefined)) return true;
    return accessor(ErrorCtor.prototype, 'name') || accessor(ErrorCtor.prototype, 'message');
  };
  const raw = (): string => {
    const e = new ErrorCtor();
    // V8 keeps `stack` as an own accessor of each error; SpiderMonkey on Error.prototype.
    const own = n.getOwnPropertyDescriptor(e, 'stack');
    const get = own ? n.dataProp(own, 'get') : undefined;
    const s = typeof get === 'function' ? n.apply(get, e, []) : own ? n.dataProp(own, 'value') : stackGetter ? n.apply(stackGetter, e, []) : undefined;
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

/**
 * Where the first frame of a stack comes from, as it is printed: V8 "    at f (LOCATION:1:2)",
 * SpiderMonkey "f@LOCATION:1:2" (a MAIN-world content script shows as "<anonymous code>").
 */
function scriptOf(stack: string): string | null {
  for (const line of stack.split('\n')) {
    const m = /^\s*at (?:.*? \()?(.+?):\d+:\d+\)?$/.exec(line) ?? /^[^@]*@(.+?):\d+:\d+$/.exec(line);
    if (m) return m[1];
  }
  return null;
}
