// The out-of-band side of the ground-truth pages (test/pages/ground-truth/gt.js): it hands
// each context its program, holds the start barrier, answers "were these carrier messages
// delivered yet", and keeps every context's own log. All over plain HTTP with short polls,
// so that the page's only postMessage traffic is the program's.
import http from 'node:http';
import type { GtProgram } from './ground-truth-program';
import type { GtLogs, LogEntry } from './ground-truth-check';

interface ProgramState {
  program: GtProgram;
  arrived: Set<string>;
  logs: GtLogs;
  received: Set<string>;
  /** Bumped on every log that grew: quiescence is "no bump for a while". */
  version: number;
}

export interface Collector {
  origin: string;
  add(program: GtProgram): void;
  state(seed: number): { logs: GtLogs; version: number; done: string[]; arrived: string[] };
  forget(seed: number): void;
  close(): Promise<void>;
}

export async function startCollector(): Promise<Collector> {
  const programs = new Map<number, ProgramState>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const p = programs.get(Number(url.searchParams.get('s')));
    if (!p) return reply(404, { error: 'no such program' });
    const ctx = url.searchParams.get('c') ?? '';
    switch (url.pathname) {
      case '/program':
        return reply(200, p.program);
      case '/barrier':
        p.arrived.add(ctx);
        return reply(200, { ok: p.arrived.size === p.program.contexts.length });
      case '/received': {
        const tags = (url.searchParams.get('tags') ?? '').split(',').filter(Boolean);
        return reply(200, { ok: tags.every((t) => p.received.has(t)) });
      }
      case '/log': {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          try {
            const entries = JSON.parse(body) as LogEntry[];
            // Flushes are cumulative; a late, shorter one never replaces a longer one.
            if (entries.length > (p.logs[ctx]?.length ?? -1)) {
              p.logs[ctx] = entries;
              p.version++;
              for (const e of entries) if (e.e === 'recv' && e.tag) p.received.add(e.tag);
            }
            reply(200, { ok: true });
          } catch (err) {
            reply(400, { error: String(err) });
          }
        });
        return;
      }
      default:
        return reply(404, { error: 'unknown path' });
    }
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as { port: number }).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    add(program) {
      programs.set(program.seed, { program, arrived: new Set(), logs: {}, received: new Set(), version: 0 });
    },
    state(seed) {
      const p = programs.get(seed)!;
      const done = Object.entries(p.logs)
        .filter(([, l]) => l.some((e) => e.e === 'done'))
        .map(([c]) => c);
      return { logs: p.logs, version: p.version, done, arrived: [...p.arrived] };
    },
    forget(seed) {
      programs.delete(seed);
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
