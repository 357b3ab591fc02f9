// Where a port is held, and a URL as findings name it (host and path).
import type { PortRecord } from '../protocol/session';

/** The context holding a port last (where it was made, when no holder was recorded). */
export function holderOf(p: PortRecord): number | null {
  const h = p.holders[p.holders.length - 1];
  return h ? h.contextId : p.createdIn;
}

/** "127.0.0.1:8080/index.html" for http(s); other URLs as they are. */
export function shortUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.protocol === 'http:' || u.protocol === 'https:') return `${u.host}${u.pathname}`;
    return url;
  } catch {
    return url;
  }
}
