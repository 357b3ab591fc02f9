// The differential test's generator and runner, checked in Node against the model: programs are
// reproducible by seed, cover every operation, and run without the runner itself failing.
import { describe, expect, it } from 'vitest';
import { createRealm } from '../../../src/model/index.js';
import { ENGINE_FACTS, generateProgram, runPrograms } from '../../support/model-programs.js';

const globalsFor = (profile: 'spec' | 'chromium' | 'firefox') => {
  const r = createRealm({ origin: 'http://127.0.0.1:9', profile });
  return { MessageChannel: r.MessageChannel, MessagePort: r.MessagePort, BroadcastChannel: r.BroadcastChannel, structuredClone: r.structuredClone, win: r.window, origin: r.origin, settle: () => r.settle() };
};

describe('model-programs', () => {
  it('generateProgram is deterministic per seed and stays within 30 operations', () => {
    expect(generateProgram(42)).toEqual(generateProgram(42));
    expect(generateProgram(42)).not.toEqual(generateProgram(43));
    for (let s = 1; s < 200; s++) expect(generateProgram(s).length).toBeLessThanOrEqual(30);
  });

  it('500 programs use every kind of operation', () => {
    const kinds = new Set<string>();
    for (let s = 1; s <= 500; s++) for (const op of generateProgram(s)) kinds.add(op.op);
    expect([...kinds].sort()).toEqual(['bc', 'bcclose', 'bcpost', 'buf', 'ch', 'close', 'echo', 'listen', 'onerr', 'onmsg', 'post', 'start', 'tick', 'unonmsg', 'win'].sort());
  });

  it('the runner executes 40 programs against the model without failing itself, and deliveries happen', async () => {
    const programs = Array.from({ length: 40 }, (_, i) => generateProgram(1000 + i));
    const logs = await runPrograms(programs as any, globalsFor('chromium'));
    const flat = logs.flat() as any[];
    expect(flat.filter((e) => e[0] === 'op-threw')).toEqual([]);
    expect(flat.some((e) => e[0] === 'm')).toBe(true);
    expect(flat.some((e) => e[0] === 'w')).toBe(true);
    expect(flat.some((e) => typeof e[4] === 'string' && e[4].startsWith('throw:'))).toBe(true);
  });

  it('engine-fact scenarios run against every profile', async () => {
    for (const p of ['spec', 'chromium', 'firefox'] as const) {
      for (const f of Object.values(ENGINE_FACTS)) await expect(f(globalsFor(p))).resolves.toBeDefined();
    }
  });
});
