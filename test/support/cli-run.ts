// The channel-inspector bin as the CLI e2e tests run it: the pages served on the loopback
// origins, a fresh working directory per file, and the bin run as a user or a CI job would.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { ROOT } from '../../scripts/browsers.mjs';
import { startServer } from '../../scripts/serve.mjs';

export const BIN = join(ROOT, 'scripts', 'cli.mjs');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Killed past `timeoutMs`: the bin did not finish by itself. */
  killed: boolean;
}

/** Starts the pages server and a temporary directory for this file's tests; both go afterwards. */
export function cliHarness(name: string) {
  let server: Awaited<ReturnType<typeof startServer>>;
  let dir = '';
  beforeAll(async () => {
    server = await startServer();
    dir = mkdtempSync(join(tmpdir(), `ci-${name}-`));
  });
  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return {
    /** A path in this file's temporary directory. */
    file: (name: string) => join(dir, name),
    page: (path: string, host = '127.0.0.1') => `${server.origin(host)}${path}`,
    origin: (host = '127.0.0.1') => server.origin(host),
    /** Runs the bin with `args` in the temporary directory. */
    run(args: string[], { env = {}, timeoutMs = 0 }: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliResult> {
      return new Promise((resolve) => {
        execFile(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
          resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr, killed: !!err?.killed });
        });
      });
    },
  };
}
