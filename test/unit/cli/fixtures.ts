// Small trace files for the CLI tests, exported from hand-built snapshots (test/unit/audit/build.ts)
// into a fresh temporary directory, plus a way to run the CLI and capture what it prints.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type CliDeps } from '../../../src/cli/main';
import { exportTrace, stringifyTrace } from '../../../src/trace';
import type { FindingRecord } from '../../../src/protocol/session';
import { CHILD, Snap, TOP, shippedPair } from '../audit/build';

export const STACK = 'Error\n    at sendTicks (http://127.0.0.1:8080/app.js:10:5)\n    at init (http://127.0.0.1:8080/app.js:3:1)';

/** Top page and cross-origin child; port #2 shipped to the child; two delivered messages. */
export function clean(): Snap {
  const { s, a, b } = shippedPair();
  s.post(a, { preview: '{type: "ping"}' });
  s.post(b, { preview: '{type: "pong"}' });
  return s;
}

/** clean() plus three messages stuck on a port that has a listener but was never started (error). */
export function neverStarted(): Snap {
  const s = new Snap();
  const top = s.ctx(TOP);
  const child = s.ctx(CHILD, { parent: top });
  const [a, b] = s.channel(top);
  s.ship(b, child);
  b.listeners = 1;
  const stuck = { deliveredAt: null, listeners: null, handlerMs: null, waitMs: null, stack: STACK, outcome: { status: 'queued' as const, reason: null } };
  s.repeat(3, () => s.post(a, stuck));
  return s;
}

/** A window message to a cross-origin frame with targetOrigin "*" (warning only). */
export function wildcard(): Snap {
  const s = new Snap();
  const top = s.ctx(TOP);
  const child = s.ctx(CHILD, { parent: top });
  s.window(top, child, { targetOrigin: '*', stack: STACK });
  return s;
}

/**
 * clean() as a page recording has it today: the window message that handed port #2 over is
 * seen only at its delivery (no send time, no targetOrigin).
 */
export function deliveredOnly(): Snap {
  const s = clean();
  const w = s.messages.find((m) => m.via === 'window')!;
  Object.assign(w, { sentAt: null, targetOrigin: null, stack: null, waitMs: null });
  return s;
}

export class Dir {
  readonly path = mkdtempSync(join(tmpdir(), 'ci-cli-test-'));
  file(name: string, text: string): string {
    const p = join(this.path, name);
    writeFileSync(p, text);
    return p;
  }
  /** Writes `snap` as a trace; `findings` replaces what the file claims (the CLI must ignore it). */
  trace(name: string, snap: Snap, findings: FindingRecord[] = []): string {
    const doc = exportTrace({ ...snap.build(), findings }, { tool: 'test', exportedAt: '2026-01-01T00:00:00.000Z', title: 'fixture' });
    return this.file(name, stringifyTrace(doc));
  }
  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

export interface Run {
  code: number;
  out: string;
  err: string;
}

export async function run(argv: string[], deps: CliDeps = {}): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { ...deps, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}
