// The test pages' server (scripts/serve.mjs) for one e2e file: started before its tests,
// closed after them.
import { afterAll, beforeAll } from 'vitest';
import { startServer } from '../../scripts/serve.mjs';

export interface PagesServer {
  /** http://host:port of the server, for host 127.0.0.1 (default), 127.0.0.2 or localhost. */
  origin(host?: string): string;
}

export function servePages(): PagesServer {
  let s: Awaited<ReturnType<typeof startServer>> | undefined;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(async () => {
    await s?.close();
  });
  return {
    origin(host) {
      if (!s) throw new Error('the pages server is not started yet: read its origin inside a test or a hook');
      return s.origin(host);
    },
  };
}
