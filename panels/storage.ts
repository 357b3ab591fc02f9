// sessionStorage as the store's KeyValue: UI choices survive the panel being hidden,
// shown or reloaded within the DevTools session. Absent or blocked storage is no error.
import type { KeyValue } from './store';

export function sessionKeyValue(): KeyValue | null {
  try {
    const s = globalThis.sessionStorage;
    return s ? { get: (k) => s.getItem(k), set: (k, v) => s.setItem(k, v) } : null;
  } catch {
    return null;
  }
}
