// Plain-English names for contexts, ports, counts and sizes, used in finding sentences.
import type { ContextRecord, PortRecord } from '../protocol/session';

/** "frame localhost/child.html", "page 127.0.0.1/index.html", "worker 127.0.0.1/rpc.js". */
/** The context holding a port last (where it was made, when no holder was recorded). */
export function holderOf(p: PortRecord): number | null {
  const h = p.holders[p.holders.length - 1];
  return h ? h.contextId : p.createdIn;
}

export function where(c: ContextRecord | undefined): string {
  if (!c) return 'an unknown context';
  const kind = c.kind === 'window' ? (c.top ? 'page' : 'frame') : c.kind === 'sharedworker' ? 'shared worker' : c.kind === 'serviceworker' ? 'service worker' : 'worker';
  return `${kind} ${shortUrl(c.url) || c.origin || '(unknown url)'}`;
}

export function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.protocol === 'http:' || u.protocol === 'https:') return `${u.host}${u.pathname}`;
    return url;
  } catch {
    return url;
  }
}

/** "1 message", "3 messages". */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/** "was" / "were" for n things. */
export function was(n: number): string {
  return n === 1 ? 'was' : 'were';
}

export function size(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return count(bytes, 'byte');
}

export function port(id: number | null): string {
  return id === null ? 'an unknown port' : `port #${id}`;
}
