// A finding's sentence (FindingText: a catalogue key and structured parameters) in words: the
// audit renders it in English for the CLI, traces and `audit --json`; the panel renders it in
// the browser's UI language. One renderer, so the two cannot drift apart.
import en from '../../_locales/en/messages.json';
import type { FindingArg, FindingText } from '../protocol/session';
import type { MessageKey } from './lookup';

/** What rendering needs: the catalogue lookup and the number formats of one language. */
export interface Wording {
  say(key: MessageKey, ...subs: string[]): string;
  number(n: number): string;
  fixed(n: number, digits: number): string;
}

const MIB = 1024 * 1024;

export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(en, key);
}

/** The sentence in words, or null when its key is not in the catalogues (a newer producer). */
export function renderFindingText(t: FindingText, w: Wording): string | null {
  if (!isMessageKey(t.key)) return null;
  const subs: string[] = [];
  for (const a of t.args) {
    const s = renderArg(a, w);
    if (s === null) return null;
    subs.push(s);
  }
  return w.say(t.key, ...subs);
}

function renderArg(a: FindingArg, w: Wording): string | null {
  if ('n' in a) return w.number(a.n);
  if ('s' in a) return a.s;
  if ('port' in a) return a.port === null ? w.say('fxPortUnknown') : w.say('fxPort', w.number(a.port));
  if ('bytes' in a) {
    const b = a.bytes;
    if (b >= MIB) return w.say('fxSizeMB', w.fixed(b / MIB, 1));
    if (b >= 1024) return w.say('fxSizeKB', w.fixed(b / 1024, 1));
    return b === 1 ? w.say('fxBytes_one', w.number(b)) : w.say('fxBytes_other', w.number(b));
  }
  if ('text' in a) return renderFindingText(a.text, w);
  if ('ctx' in a) {
    const c = a.ctx;
    if (c === null) return w.say('fxCtxUnknown');
    const at = c.at || w.say('fxUrlUnknown');
    switch (c.kind) {
      case 'page':
        return w.say('fxCtxPage', at);
      case 'frame':
        return w.say('fxCtxFrame', at);
      case 'sharedworker':
        return w.say('fxCtxSharedWorker', at);
      case 'serviceworker':
        return w.say('fxCtxServiceWorker', at);
      default:
        return w.say('fxCtxWorker', at);
    }
  }
  return null;
}
